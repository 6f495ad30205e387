package dev.nrt4j.tools;

import dev.nrt4j.DType;
import dev.nrt4j.HostTensor;
import dev.nrt4j.LoadOptions;
import dev.nrt4j.Model;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.Shape;
import dev.nrt4j.Tensor;
import dev.nrt4j.TensorInfo;
import dev.nrt4j.TensorSet;
import dev.nrt4j.npy.Npy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nrt4j run MODEL}: loads a model, feeds it inputs from {@code .npy} files (or random data),
 * executes it once and writes each output as {@code <output name>.npy} in {@code --output-dir}, the
 * name made safe by {@link ModelFileNames} so that no model can make it write elsewhere. Random inputs
 * and outputs move between device tensors and files in chunks, so tensors may pass 2 GiB.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description =
                "Execute a model once with inputs from .npy files (or random data) and write its outputs as .npy.")
final class RunCommand implements Callable<Integer> {
    /** Elements of each output shown on the terminal. */
    private static final int SHOWN = 8;

    @Mixin
    RuntimeSelection selection;

    @Mixin
    ExecutionTimeout timeout;

    @Mixin
    ProfileOption profile;

    @Mixin
    ModelArgument modelArgument;

    @Option(
            names = "--input",
            paramLabel = "NAME=FILE.npy",
            description = "An input from a .npy file (repeatable). bf16/f16 inputs also accept float32 files.")
    Map<String, Path> inputs = new LinkedHashMap<>();

    @Option(names = "--random-inputs", description = "Fill inputs not given with --input with seeded random data.")
    boolean randomInputs;

    @Option(
            names = "--seed",
            paramLabel = "N",
            description = "Seed for --random-inputs (default ${DEFAULT-VALUE}).",
            defaultValue = "1")
    long seed;

    @Option(names = "--output-dir", paramLabel = "DIR", description = "Write output<i>.npy files here.")
    Path outputDir;

    @Option(
            names = "--core",
            paramLabel = "N",
            description = "Core to load the model on (default: the runtime's choice).")
    Integer core;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (NeuronRuntime rt = NeuronRuntime.open(
                        profile.applyTo(timeout.applyTo(selection.toOptions(), "run " + modelArgument.path())));
                Model model = rt.load(
                        modelArgument.source(), core == null ? LoadOptions.anyCore() : LoadOptions.onCore(core))) {
            ModelInputs.checkNames(model, modelArgument.path(), inputs, randomInputs);
            List<TensorInfo> outputs = model.signature().outputs();
            // Planned before anything is allocated or written: a name that cannot be placed refuses the whole run.
            Map<String, Path> files = outputDir == null
                    ? Map.of()
                    : ModelFileNames.inside(
                            outputDir, outputs.stream().map(TensorInfo::name).collect(Collectors.toList()), ".npy");
            // Inputs go straight into the device tensors and outputs from them into files, in chunks: no
            // whole host copy, so tensors may pass 2 GiB.
            try (TensorSet in = model.allocateInputs();
                    TensorSet results = model.allocateOutputs()) {
                ModelInputs.write(model, inputs, seed, in);
                long start = System.nanoTime();
                model.execute(in, results);
                double millis = (System.nanoTime() - start) / 1e6;
                out.printf(
                        "%s on %s core %d: %.3f ms%n",
                        modelArgument.path().getFileName(), rt.backend().name(), model.core(), millis);
                if (outputDir != null) {
                    Files.createDirectories(outputDir);
                }
                for (TensorInfo info : outputs) {
                    Tensor result = results.get(info.name());
                    out.println(outputLine(info.name(), info.dtype(), info.shape(), preview(result, info)));
                    if (outputDir != null) {
                        Path file = files.get(info.name());
                        if (!file.getFileName().toString().equals(info.name() + ".npy")) {
                            out.println(
                                    "note: output " + TerminalText.quoted(info.name()) + " is written as "
                                            + file.getFileName()
                                            + " (a file name from a model cannot hold path separators, control characters or leading dots)");
                        }
                        Npy.write(result, info.dtype(), info.shape(), file);
                    }
                }
            }
            if (outputDir != null) {
                out.println("wrote " + outputs.size() + " outputs to " + outputDir);
            }
        }
        // After close: the trace is complete only once the runtime has closed.
        profile.printSummary(out);
        out.flush();
        return 0;
    }

    /** The line for one output: its name (from the model, so {@link TerminalText#escape escaped}), type, shape and first values. */
    static String outputLine(String name, DType dtype, Shape shape, String preview) {
        return TerminalText.escape(name) + ": " + dtype.hloName() + shape + " " + preview;
    }

    /** The first {@link #SHOWN} elements of {@code t}, read alone: the output may be far larger than the heap. */
    private static String preview(Tensor t, TensorInfo info) {
        long count = info.shape().elementCount();
        if (info.dtype().byteSize() == 1 && info.dtype().isFloatingPoint()) {
            return "";
        }
        if (count == 0) {
            return "[]";
        }
        int shown = (int) Math.min(SHOWN, count);
        ByteBuffer first = ByteBuffer.allocate(shown * info.dtype().byteSize());
        t.read(0, first);
        double[] v = HostTensor.of(info.dtype(), Shape.of(shown), first.flip()).toDoubleArray();
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < shown; i++) {
            s.append(i == 0 ? "" : ", ")
                    .append(
                            info.dtype().isFloatingPoint()
                                    ? String.valueOf((float) v[i])
                                    : String.valueOf((long) v[i]));
        }
        return s.append(count > SHOWN ? ", …]" : "]").toString();
    }
}
