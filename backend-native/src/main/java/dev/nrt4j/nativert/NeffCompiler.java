package dev.nrt4j.nativert;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Compiles an HLO module ({@code HloModuleProto}) into a NEFF with {@code neuronx-cc}, the way the
 * Neuron frameworks do ({@code neuronx-cc compile --framework=XLA MODULE.pb --output MODEL.neff
 * --target=TARGET}; research notes hlo.md section 5.4), so that the native backend can run what the
 * reference device runs. The compiler is the file named by {@value #PROPERTY} or {@value #ENVIRONMENT},
 * else {@code neuronx-cc} on the {@code PATH}. Thread-safe: each call compiles in its own directory.
 */
final class NeffCompiler {
    /** System property naming the compiler executable. */
    static final String PROPERTY = "nrt4j.neuronxCc";
    /** Environment variable naming the compiler executable. */
    static final String ENVIRONMENT = "NRT4J_NEURONX_CC";

    private final Path executable;

    private NeffCompiler(Path executable) {
        this.executable = executable;
    }

    /** The configured compiler, else {@code neuronx-cc} on the {@code PATH}, or empty. */
    static Optional<NeffCompiler> find(Map<String, String> environment, Properties properties) {
        String configured = properties.getProperty(PROPERTY, "").trim();
        if (configured.isEmpty()) {
            configured = environment.getOrDefault(ENVIRONMENT, "").trim();
        }
        if (!configured.isEmpty()) {
            Path p = Path.of(configured);
            return Files.isExecutable(p) ? Optional.of(new NeffCompiler(p)) : Optional.empty();
        }
        for (String dir : environment.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, "neuronx-cc");
                if (Files.isExecutable(p)) {
                    return Optional.of(new NeffCompiler(p));
                }
            }
        }
        return Optional.empty();
    }

    /** What to tell a user who has no compiler. */
    static String howToGetOne() {
        return "install the Neuron compiler (pip package neuronx-cc) so that neuronx-cc is on the PATH, or name it with -D"
                + PROPERTY + " or " + ENVIRONMENT + "; or load the compiled .neff, or run the HLO on the reference device"
                + " (-Dnrt4j.backend=reference)";
    }

    /**
     * The {@code --target} for an instance type, e.g. {@code trn1} for {@code trn1.2xlarge}; trn2 and
     * trn3 variants (trn2u, trn2n ...) compile for their base chip [inferred].
     */
    static String target(String instanceType) {
        String family = instanceType.toLowerCase(Locale.ROOT);
        int dot = family.indexOf('.');
        family = dot < 0 ? family : family.substring(0, dot);
        if (family.startsWith("trn2")) {
            return "trn2";
        }
        if (family.startsWith("trn3")) {
            return "trn3";
        }
        if (family.startsWith("inf2")) {
            return "inf2";
        }
        return family.equals("trn1n") ? "trn1n" : "trn1";
    }

    /**
     * Compiles {@code hloModule} and returns the NEFF's bytes.
     *
     * @param lnc the runtime's logical core size; passed as {@code --lnc} for trn2 and trn3, whose
     *     NEFFs must match it
     * @throws NeuronException {@link Status#INVALID} when the compiler fails (with the end of its log)
     */
    byte[] compile(Path hloModule, String instanceType, int lnc) {
        String target = target(instanceType);
        Path work;
        try {
            work = Files.createTempDirectory("nrt4j-neuronx-cc");
        } catch (IOException e) {
            throw new NeuronException(Status.RESOURCE, "compile " + hloModule, "cannot make a work directory: " + e, e);
        }
        Path neff = work.resolve("model.neff");
        Path log = work.resolve("neuronx-cc.log");
        List<String> command = new ArrayList<>(List.of(executable.toString(), "compile", "--framework=XLA",
                hloModule.toAbsolutePath().toString(), "--output", neff.toString(), "--target=" + target,
                "--auto-cast=none"));
        if (target.equals("trn2") || target.equals("trn3")) {
            command.add("--lnc=" + lnc);
        }
        try {
            Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            int exit = p.waitFor();
            if (exit != 0 || !Files.isRegularFile(neff)) {
                throw new NeuronException(Status.INVALID, "compile " + hloModule,
                        "neuronx-cc " + (exit != 0 ? "exited with " + exit : "wrote no NEFF") + ": " + tail(log)
                                + " (command: " + String.join(" ", command) + ")");
            }
            return Files.readAllBytes(neff);
        } catch (IOException e) {
            throw new NeuronException(Status.FAILURE, "compile " + hloModule, "cannot run " + executable + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NeuronException(Status.FAILURE, "compile " + hloModule, "interrupted while neuronx-cc ran", e);
        } finally {
            deleteQuietly(work);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "(no output)"
                    : String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // A temporary file left behind is harmless.
                }
            });
        } catch (IOException ignored) {
            // As above.
        }
    }
}
