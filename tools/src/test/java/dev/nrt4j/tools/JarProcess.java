package dev.nrt4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.testsupport.Needs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The shaded jar as an operator runs it, for integration tests: a child JVM with only {@code target/nrt4j.jar}
 * on its class path, an environment without nrt4j's and Neuron's settings (the test names the ones it
 * wants), and stdout and stderr kept apart.
 *
 * @param status the exit status
 * @param out what went to stdout
 * @param err what went to stderr
 * @param wall from starting the JVM to its exit
 */
record JarProcess(int status, String out, String err, Duration wall) {
    /**
     * Runs {@code java <jvmOptions> -jar nrt4j.jar <args>} in {@code workDir}, waiting at most ten minutes.
     *
     * @param workDir the child's working directory, which also receives its output files
     * @param jvmOptions options before {@code -jar}, e.g. {@code -Xmx512m}
     * @param environment variables to set on top of this JVM's environment, less {@code NRT4J_*},
     *     {@code NEURON_*} and {@code XDG_RUNTIME_DIR}
     * @param args the command line
     */
    static JarProcess run(Path workDir, List<String> jvmOptions, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        return run(workDir, workDir, jvmOptions, environment, args);
    }

    /**
     * As {@link #run(Path, List, Map, String...)}, but with the captured output kept in {@code scratch}
     * rather than in the working directory (for a working directory the test must not write to, such as
     * the checkout).
     */
    static JarProcess run(
            Path workDir, Path scratch, List<String> jvmOptions, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("basedir", "."))
                .resolve("target/nrt4j.jar")
                .toAbsolutePath();
        assertThat(jar).as("the shaded jar is built before integration tests").exists();
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(scratch, "stdout", ".txt");
        Path err = Files.createTempFile(scratch, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        // The default state directory follows XDG_RUNTIME_DIR: a test that wants it says so.
        pb.environment()
                .keySet()
                .removeIf(k -> k.startsWith("NEURON_") || k.startsWith("NRT4J_") || k.equals("XDG_RUNTIME_DIR"));
        pb.environment().putAll(environment);
        long start = System.nanoTime();
        Process p = pb.start();
        boolean ended = p.waitFor(600, TimeUnit.SECONDS);
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        if (!ended) {
            p.destroyForcibly().waitFor();
        }
        assertThat(ended).as("nrt4j %s finished", String.join(" ", args)).isTrue();
        try {
            return new JarProcess(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8),
                    wall);
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }

    /** The libnrt double that backend-native's tests built, or a skip (a failure under NRT4J_STRICT) saying so. */
    static Path libnrtDouble() {
        Path products = Path.of(System.getProperty("basedir", "."))
                .resolve("../backend-native/target/libnrt-double")
                .toAbsolutePath()
                .normalize();
        Path libnrt = products.resolve("libnrt.so.1");
        Needs.that(
                Files.isRegularFile(libnrt),
                "the libnrt double in " + products + " (built by backend-native's tests with gcc and zlib1g-dev)");
        return libnrt;
    }
}
