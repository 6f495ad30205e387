package dev.nrt4j.samples;

import dev.nrt4j.DType;
import dev.nrt4j.HostTensor;
import dev.nrt4j.NeuronCore;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Shape;
import dev.nrt4j.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The smallest nrt4j program: open a runtime (the native backend on a Neuron host, the reference
 * device elsewhere), list the cores it claimed, allocate a tensor in one core's HBM, write six floats
 * to it and read them back as a 2×3 host tensor.
 *
 * <p>Run it with {@code bin/nrt4j-sample HelloTensor [core]}. Everything it opens is closed before
 * {@link #run} returns.
 */
public final class HelloTensor {
    /**
     * What one run saw.
     *
     * @param backend the backend's name ({@code reference} or {@code native})
     * @param instanceType the instance type the backend reports
     * @param cores the logical cores the runtime claimed
     * @param core the core the tensor was allocated on
     * @param readBack what was read back from device memory
     */
    public record Result(String backend, String instanceType, List<NeuronCore> cores, int core, HostTensor readBack) {}

    private HelloTensor() {}

    /** Usage: {@code HelloTensor [core]}; the core defaults to 0. */
    public static void main(String[] args) {
        SampleExit.onFailure("HelloTensor", () -> {
            if (args.length > 1 || (args.length == 1 && !args[0].matches("\\d{1,4}"))) {
                System.err.println(
                        "usage: HelloTensor [core]    allocate, write and read a tensor on one core (default 0)");
                System.exit(2);
            }
            int core = args.length == 1 ? Integer.parseInt(args[0]) : 0;
            Result r = run(RuntimeOptions.defaults(), core, System.out::println);
            System.out.println("read back from core " + r.core() + ": "
                    + r.readBack().shape() + " " + Arrays.toString(r.readBack().toFloatArray()));
        });
    }

    /**
     * Opens a runtime with {@code options}, prints what it found to {@code log}, and round-trips six
     * floats through a tensor on {@code core}.
     *
     * @throws dev.nrt4j.NeuronException if no backend can be opened or the core is not visible
     */
    public static Result run(RuntimeOptions options, int core, Consumer<String> log) {
        try (NeuronRuntime rt = NeuronRuntime.open(options)) {
            log.accept("backend: " + rt.backend());
            for (NeuronCore c : rt.cores()) {
                log.accept("  " + c);
            }
            float[] values = {1, 2, 3, 4, 5, 6};
            // 24 bytes of device memory on the chosen core; the tensor knows its size, not its type.
            try (Tensor t = rt.allocate("hello", values.length * 4L, core)) {
                t.write(values);
                HostTensor back = t.read(DType.FLOAT32, Shape.of(2, 3));
                return new Result(rt.backend().name(), rt.backend().instanceType(), rt.cores(), core, back);
            }
        }
    }
}
