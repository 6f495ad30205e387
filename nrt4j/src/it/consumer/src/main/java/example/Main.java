package example;

import dev.nrt4j.DType;
import dev.nrt4j.HostTensor;
import dev.nrt4j.LoadOptions;
import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Shape;
import dev.nrt4j.Tensor;
import dev.nrt4j.TensorSet;
import dev.nrt4j.npy.Npy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What a first nrt4j program does, compiled against {@code dev.nrt4j:nrt4j} alone: open a runtime on the
 * reference device, round-trip a tensor, save and read a {@code .npy}, run a small HLO program on it.
 * Usage: {@code Main DIR}, where DIR receives the {@code .npy} and the runtime's state.
 */
public final class Main {
    private static final String PROGRAM = String.join(
            "\n",
            "HloModule square_plus",
            "ENTRY square_plus {",
            "  x = f32[4] parameter(0)",
            "  sq = f32[4] multiply(x, x)",
            "  ROOT y = f32[4] add(sq, x)",
            "}",
            "");

    private Main() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        System.out.println("java " + Runtime.version().feature());
        RuntimeOptions options = RuntimeOptions.builder()
                .backend("reference")
                .stateDir(dir.resolve("state"))
                .build();
        try (NeuronRuntime rt = NeuronRuntime.open(options)) {
            System.out.println("backend " + rt.backend().name());
            try (Tensor t = rt.allocate("x", 4 * 4, 0)) {
                t.write(new float[] {1, 2, 3, 4});
                System.out.println("tensor "
                        + Arrays.toString(t.read(DType.FLOAT32, Shape.of(4)).toFloatArray()));
            }
            Path npy = dir.resolve("x.npy");
            Npy.write(HostTensor.of(new float[] {1, 2, 3, 4}, 4), npy);
            HostTensor x = Npy.read(npy);
            System.out.println("npy " + x.dtype() + " " + x.shape());
            try (Model model = rt.load(
                            ModelSource.of(PROGRAM.getBytes(StandardCharsets.UTF_8), ModelSource.Kind.HLO_TEXT),
                            LoadOptions.onCore(0));
                    TensorSet in = model.allocateInputs();
                    TensorSet out = model.allocateOutputs()) {
                String input = model.signature().inputs().get(0).name();
                String output = model.signature().outputs().get(0).name();
                in.get(input).write(x.toFloatArray());
                model.execute(in, out);
                System.out.println("model " + Arrays.toString(out.get(output).readFloats()));
            }
        }
    }
}
