package dev.nrt4j.tools;

import dev.nrt4j.HostTensor;
import dev.nrt4j.LoadOptions;
import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.npy.Npy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nrt4j run MODEL}: loads a model, feeds it inputs from {@code .npy} files (or random data),
 * executes it once and writes each output as {@code <output name>.npy} in {@code --output-dir}, the
 * name made safe by {@link ModelFileNames} so that no model can make it write elsewhere.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Execute a model once with inputs from .npy files (or random data) and write its outputs as .npy.")
final class RunCommand implements Callable<Integer> {
    /** Elements of each output shown on the terminal. */
    private static final int SHOWN = 8;

    @Mixin
    RuntimeSelection selection;

    @Mixin
    ExecutionTimeout timeout;

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
        try (NeuronRuntime rt = NeuronRuntime.open(timeout.applyTo(selection.toOptions(), "run " + modelPath));
                Model model = rt.load(ModelSource.of(modelPath), core == null ? LoadOptions.anyCore() : LoadOptions.onCore(core))) {
            Map<String, HostTensor> given = ModelInputs.prepare(model, modelPath, inputs, randomInputs, seed);
            long start = System.nanoTime();
            Map<String, HostTensor> results = model.run(given);
            double millis = (System.nanoTime() - start) / 1e6;
            out.printf("%s on %s core %d: %.3f ms%n", modelPath.getFileName(), rt.backend().name(), model.core(), millis);
            // Planned before anything is written: a name that cannot be placed refuses the whole run's outputs.
            Map<String, Path> files = outputDir == null ? Map.of()
                    : ModelFileNames.inside(outputDir, new ArrayList<>(results.keySet()), ".npy");
            if (outputDir != null) {
                Files.createDirectories(outputDir);
            }
            for (Map.Entry<String, HostTensor> e : results.entrySet()) {
                out.println(outputLine(e.getKey(), e.getValue()));
                if (outputDir != null) {
                    Path file = files.get(e.getKey());
                    if (!file.getFileName().toString().equals(e.getKey() + ".npy")) {
                        out.println("note: output " + TerminalText.quoted(e.getKey()) + " is written as " + file.getFileName()
                                + " (a file name from a model cannot hold path separators, control characters or leading dots)");
                    }
                    Npy.write(e.getValue(), file);
                }
            }
            if (outputDir != null) {
                out.println("wrote " + results.size() + " outputs to " + outputDir);
            }
        }
        out.flush();
        return 0;
    }

    /** The line for one output: its name (from the model, so {@link TerminalText#escape escaped}), type and first values. */
    static String outputLine(String name, HostTensor t) {
        return TerminalText.escape(name) + ": " + t.dtype().hloName() + t.shape() + " " + preview(t);
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
