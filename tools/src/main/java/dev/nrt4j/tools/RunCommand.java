package dev.nrt4j.tools;

import dev.nrt4j.BFloat16;
import dev.nrt4j.DType;
import dev.nrt4j.Float16;
import dev.nrt4j.HostTensor;
import dev.nrt4j.LoadOptions;
import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.Status;
import dev.nrt4j.TensorInfo;
import dev.nrt4j.npy.Npy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nrt4j run MODEL}: loads a model, feeds it inputs from {@code .npy} files (or random data),
 * executes it once and writes each output as {@code output<i>.npy}.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Execute a model once with inputs from .npy files (or random data) and write its outputs as .npy.")
final class RunCommand implements Callable<Integer> {
    /** Elements of each output shown on the terminal. */
    private static final int SHOWN = 8;

    @Mixin
    RuntimeSelection selection;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A .neff, an HLO module (.pb, .hlo, .hlo.txt) or a MODULE_* compile-cache directory.")
    Path modelPath;

    @Option(names = "--input", paramLabel = "NAME=FILE.npy", description = "An input from a .npy file (repeatable). bf16/f16 inputs also accept float32 files.")
    Map<String, Path> inputs = new LinkedHashMap<>();

    @Option(names = "--random-inputs", description = "Fill inputs not given with --input with seeded random data.")
    boolean randomInputs;

    @Option(names = "--seed", paramLabel = "N", description = "Seed for --random-inputs (default ${DEFAULT-VALUE}).", defaultValue = "1")
    long seed;

    @Option(names = "--output-dir", paramLabel = "DIR", description = "Write output<i>.npy files here.")
    Path outputDir;

    @Option(names = "--core", paramLabel = "N", description = "Core to load the model on (default: the runtime's choice).")
    Integer core;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (NeuronRuntime rt = NeuronRuntime.open(selection.toOptions());
                Model model = rt.load(ModelSource.of(modelPath), core == null ? LoadOptions.anyCore() : LoadOptions.onCore(core))) {
            Map<String, HostTensor> given = readInputs(model);
            long start = System.nanoTime();
            Map<String, HostTensor> results = model.run(given);
            double millis = (System.nanoTime() - start) / 1e6;
            out.printf("%s on %s core %d: %.3f ms%n", modelPath.getFileName(), rt.backend().name(), model.core(), millis);
            if (outputDir != null) {
                Files.createDirectories(outputDir);
            }
            for (Map.Entry<String, HostTensor> e : results.entrySet()) {
                out.println(e.getKey() + ": " + e.getValue().dtype().hloName() + e.getValue().shape() + " " + preview(e.getValue()));
                if (outputDir != null) {
                    Npy.write(e.getValue(), outputDir.resolve(e.getKey() + ".npy"));
                }
            }
            if (outputDir != null) {
                out.println("wrote " + results.size() + " outputs to " + outputDir);
            }
        }
        out.flush();
        return 0;
    }

    private Map<String, HostTensor> readInputs(Model model) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String name : inputs.keySet()) {
            if (model.signature().input(name).isEmpty()) {
                throw new NeuronException(Status.EXEC_BAD_INPUT, "run " + modelPath,
                        "the model has no input '" + name + "'; its inputs are " + model.signature().inputs());
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (TensorInfo info : model.signature().inputs()) {
            Path file = inputs.get(info.name());
            if (file != null) {
                out.put(info.name(), adapt(Npy.read(file), info, file));
            } else if (randomInputs) {
                out.put(info.name(), random(info, random));
            } else {
                missing.add(info.name());
            }
        }
        if (!missing.isEmpty()) {
            throw new NeuronException(Status.EXEC_BAD_INPUT, "run " + modelPath,
                    "no data for input" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
                            + "; give --input NAME=FILE.npy for each, or --random-inputs");
        }
        return out;
    }

    /**
     * Files hold the input's own type; bf16 may come as uint16 bit patterns (the corpus convention) and
     * bf16/f16 also as float32, rounded to nearest even.
     */
    private static HostTensor adapt(HostTensor t, TensorInfo info, Path file) {
        if (!t.shape().equals(info.shape())) {
            throw new NeuronException(Status.EXEC_BAD_INPUT, "read input " + info.name() + " from " + file,
                    "it is " + t.dtype().hloName() + t.shape() + " but the model takes " + info.dtype().hloName() + info.shape());
        }
        if (t.dtype() == info.dtype()) {
            return t;
        }
        boolean half = info.dtype() == DType.BFLOAT16 || info.dtype() == DType.FLOAT16;
        if (half && t.dtype() == DType.FLOAT32) {
            return HostTensor.ofRounded(info.dtype(), t.toFloatArray(), info.shape().dims());
        }
        if (info.dtype() == DType.BFLOAT16 && t.dtype() == DType.UINT16) {
            return t.reinterpret(DType.BFLOAT16);
        }
        throw new NeuronException(Status.EXEC_BAD_INPUT, "read input " + info.name() + " from " + file,
                "it holds " + t.dtype().hloName() + " but the model takes " + info.dtype().hloName()
                        + (half ? " (float32 files are accepted too)" : ""));
    }

    /** Uniform in [-1, 1) for floats, small integers for integer types, fair coin for pred. */
    private static HostTensor random(TensorInfo info, SplittableRandom random) {
        long n = info.shape().elementCount();
        ByteBuffer b = ByteBuffer.allocate((int) info.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < n; i++) {
            double u = random.nextDouble() * 2 - 1;
            switch (info.dtype()) {
                case FLOAT32: case FP32R: b.putFloat((float) u); break;
                case FLOAT64: b.putDouble(u); break;
                case BFLOAT16: b.putShort(BFloat16.fromFloat((float) u)); break;
                case FLOAT16: b.putShort(Float16.fromFloat((float) u)); break;
                case PRED: b.put((byte) (u < 0 ? 0 : 1)); break;
                case INT8: case UINT8: case FP8_E4M3: case FP8_E5M2: case FP8_E3M4: b.put((byte) random.nextInt(16)); break;
                case INT16: case UINT16: b.putShort((short) random.nextInt(16)); break;
                case INT32: case UINT32: b.putInt(random.nextInt(16)); break;
                default: b.putLong(random.nextInt(16)); break;
            }
        }
        return HostTensor.of(info.dtype(), info.shape(), b.flip());
    }

    private static String preview(HostTensor t) {
        if (t.dtype().byteSize() == 1 && t.dtype().isFloatingPoint()) {
            return "";
        }
        double[] v = t.toDoubleArray();
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < Math.min(SHOWN, v.length); i++) {
            s.append(i == 0 ? "" : ", ").append(t.dtype().isFloatingPoint() ? String.valueOf((float) v[i]) : String.valueOf((long) v[i]));
        }
        return s.append(v.length > SHOWN ? ", …]" : "]").toString();
    }
}
