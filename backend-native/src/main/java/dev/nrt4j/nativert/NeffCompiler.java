package dev.nrt4j.nativert;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.artifacts.ModelArtifacts;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles an HLO module ({@code HloModuleProto}) into a NEFF with {@code neuronx-cc}, the way the
 * Neuron frameworks do ({@code neuronx-cc compile --framework=XLA MODULE.pb --output MODEL.neff
 * --target=TARGET}; research notes hlo.md section 5.4), so that the native backend can run what the
 * reference device runs. The compiler is the file named by {@value #PROPERTY} or {@value #ENVIRONMENT},
 * else {@code neuronx-cc} on the {@code PATH}. {@link NeffCache} keeps what it compiles, keyed by
 * {@link #version()} and {@link #flags}. Thread-safe: each call compiles in its own directory, and the
 * version is asked once per executable file and modification time in this JVM.
 */
final class NeffCompiler {
    /** System property naming the compiler executable. */
    static final String PROPERTY = "nrt4j.neuronxCc";
    /** Environment variable naming the compiler executable. */
    static final String ENVIRONMENT = "NRT4J_NEURONX_CC";

    /** How long {@code neuronx-cc --version} may take (the real one starts Python). */
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(120);

    private static final Pattern VERSION_LINE = Pattern.compile("NeuronX Compiler version\\s+(\\S+)");
    /** Versions by executable (real path, modification time, size), asked once per JVM; empty when it would not say. */
    private static final ConcurrentHashMap<String, Optional<String>> VERSIONS = new ConcurrentHashMap<>();

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
                + PROPERTY + " or " + ENVIRONMENT
                + "; or load the compiled .neff, or run the HLO on the reference device"
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

    /** The executable this compiler runs. */
    Path executable() {
        return executable;
    }

    /**
     * The flags a compilation for {@code target} passes, in order: what besides the module decides the
     * NEFF, and so part of {@link NeffCache}'s key.
     *
     * @param lnc the runtime's logical core size; passed as {@code --lnc} for trn2 and trn3, whose NEFFs
     *     must match it (trn1 and inf2 have LNC 1 only)
     */
    static List<String> flags(String target, int lnc) {
        List<String> flags = new ArrayList<>(List.of("--framework=XLA", "--target=" + target, "--auto-cast=none"));
        if (target.equals("trn2") || target.equals("trn3")) {
            flags.add("--lnc=" + lnc);
        }
        return flags;
    }

    /**
     * The compiler's version from {@code neuronx-cc --version} ({@code NeuronX Compiler version 2.x.y.z+hash}),
     * asked once per executable file and modification time in this JVM; empty when the executable does
     * not answer that way (then nothing it compiles is cached, since its NEFFs could not be told from
     * another compiler's).
     */
    Optional<String> version() {
        String identity;
        try {
            Path real = executable.toRealPath();
            identity = real + "\0" + Files.getLastModifiedTime(real).toInstant() + "\0" + Files.size(real);
        } catch (IOException e) {
            return Optional.empty();
        }
        return VERSIONS.computeIfAbsent(identity, k -> askVersion());
    }

    private Optional<String> askVersion() {
        Path out = null;
        try {
            out = Files.createTempFile("nrt4j-neuronx-cc-version", ".txt");
            Process p = new ProcessBuilder(executable.toString(), "--version")
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!p.waitFor(VERSION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            Matcher m = VERSION_LINE.matcher(Files.readString(out, StandardCharsets.UTF_8));
            return p.exitValue() == 0 && m.find() ? Optional.of(m.group(1)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (out != null) {
                deleteQuietly(out);
            }
        }
    }

    /**
     * Compiles {@code module} and returns the NEFF's bytes. The compiler reads a copy of the bytes given
     * (as {@code model.hlo_module.pb} in its work directory), so what is compiled is what was hashed for
     * the cache even if the user's file changes meanwhile.
     *
     * @param module the serialized HloModuleProto
     * @param source what it came from, for messages
     * @param target the {@code --target}, from {@link #target}
     * @param lnc the runtime's logical core size, see {@link #flags}
     * @throws NeuronException {@link Status#INVALID} when the compiler fails (with the end of its log)
     */
    byte[] compile(byte[] module, String source, String target, int lnc) {
        Path work;
        try {
            work = Files.createTempDirectory("nrt4j-neuronx-cc");
        } catch (IOException e) {
            throw new NeuronException(Status.RESOURCE, "compile " + source, "cannot make a work directory: " + e, e);
        }
        Path hlo = work.resolve(ModelArtifacts.HLO_MODULE);
        Path neff = work.resolve(ModelArtifacts.NEFF);
        Path log = work.resolve("neuronx-cc.log");
        List<String> command = new ArrayList<>(List.of(executable.toString(), "compile"));
        List<String> flags = flags(target, lnc);
        command.add(flags.get(0));
        command.addAll(List.of(hlo.toString(), "--output", neff.toString()));
        command.addAll(flags.subList(1, flags.size()));
        try {
            Files.write(hlo, module);
            Process p = new ProcessBuilder(command)
                    .directory(work.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            int exit = p.waitFor();
            if (exit != 0 || !Files.isRegularFile(neff)) {
                throw new NeuronException(
                        Status.INVALID,
                        "compile " + source,
                        "neuronx-cc " + (exit != 0 ? "exited with " + exit : "wrote no NEFF") + ": " + tail(log)
                                + " (command: " + String.join(" ", command) + ")");
            }
            return Files.readAllBytes(neff);
        } catch (IOException e) {
            throw new NeuronException(Status.FAILURE, "compile " + source, "cannot run " + executable + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NeuronException(Status.FAILURE, "compile " + source, "interrupted while neuronx-cc ran", e);
        } finally {
            deleteQuietly(work);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.isEmpty()
                    ? "(no output)"
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
