package dev.nrt4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.testsupport.Needs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code bin/nrt4j}'s class-data cache, on the real jar and real JDKs: the JDK running the tests (an
 * AOT cache on 25+) and the JDK 17 of {@code NRT4J_JDK17_HOME} (an AppCDS archive). A copy of the
 * launcher beside a copy of the jar: the first run makes the cache in the background, the next one
 * loads its classes from it, and one with a damaged cache answers as before, says nothing about it and
 * gets it made again. Output is the same with the cache, without it and with it turned off.
 */
class LauncherClassDataCacheIT {
    private static final Path BIN = Path.of(System.getProperty("basedir", "."))
            .resolve("../bin")
            .toAbsolutePath()
            .normalize();
    private static final Path JAR = Path.of(System.getProperty("basedir", "."))
            .resolve("target/nrt4j.jar")
            .toAbsolutePath();

    @TempDir
    Path root;

    private Path javaHome;

    private record Run(int status, String out, String err, String classes) {
        /** Whether the launcher's own command class came from the cache, as the class-loading log says. */
        boolean fromCache() {
            return classes.contains("dev.nrt4j.tools.Nrt4jCommand source: shared objects file");
        }
    }

    private void layOut(String jdk) throws IOException {
        if (jdk.equals("current")) {
            javaHome = Path.of(System.getProperty("java.home"));
        } else {
            String home = System.getenv("NRT4J_JDK17_HOME");
            Needs.that(
                    home != null && Files.isExecutable(Path.of(home, "bin/java")),
                    "a JDK 17 named by NRT4J_JDK17_HOME");
            javaHome = Path.of(home);
        }
        assertThat(JAR).as("the shaded jar is built before integration tests").exists();
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("tools/target"));
        Files.copy(BIN.resolve("nrt4j"), root.resolve("bin/nrt4j"));
        root.resolve("bin/nrt4j").toFile().setExecutable(true);
        Files.copy(JAR, root.resolve("tools/target/nrt4j.jar"));
    }

    private Run launch(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        Path log = root.resolve("classes.txt");
        Files.deleteIfExists(log);
        List<String> command = new ArrayList<>(List.of(root.resolve("bin/nrt4j").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(root.resolve("out.txt").toFile())
                .redirectError(root.resolve("err.txt").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("NEURON_") || k.startsWith("NRT4J_"));
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.environment().put("NRT4J_STATE_DIR", root.resolve("state").toString());
        pb.environment().put("NRT4J_JAVA_OPTS", "-Xlog:class+load=info:file=" + log);
        pb.environment().putAll(environment);
        Process p = pb.start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("the launcher finished").isTrue();
        return new Run(
                p.exitValue(),
                Files.readString(root.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(root.resolve("err.txt"), StandardCharsets.UTF_8),
                Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "");
    }

    private List<Path> caches() throws IOException {
        try (Stream<Path> s = Files.list(root.resolve("tools/target"))) {
            return s.filter(p -> p.getFileName().toString().matches("nrt4j-.*\\.(aot|jsa)"))
                    .sorted()
                    .toList();
        }
    }

    /** Waits for the background maker to finish (its lock and temporary directory gone), then lists the caches. */
    private List<Path> cachesWhenMade() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        while (System.nanoTime() < deadline) {
            try (Stream<Path> s = Files.list(root.resolve("tools/target"))) {
                if (s.noneMatch(p -> !p.getFileName().toString().equals("nrt4j.jar")
                        && !p.getFileName().toString().matches("nrt4j-.*-[0-9]+\\.(aot|jsa)"))) {
                    return caches();
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the cache was not made within 10 minutes");
    }

    private static void assertQuietSuccess(Run r, String expectedOut) {
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).as("stderr").isEmpty();
        assertThat(r.out()).isEqualTo(expectedOut);
    }

    @ParameterizedTest
    @ValueSource(strings = {"current", "jdk17"})
    void theFirstRunMakesTheCacheAndTheNextUsesIt(String jdk) throws Exception {
        layOut(jdk);
        Run first = launch(Map.of(), "instance-types");
        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.err()).isEmpty();
        assertThat(first.fromCache()).isFalse();
        List<Path> made = cachesWhenMade();
        assertThat(made)
                .as("one cache, named by the JDK and its size")
                .singleElement()
                .satisfies(c -> assertThat(c.getFileName().toString())
                        .endsWith("-" + Files.size(c)
                                + (Runtime.version().feature() >= 25 && jdk.equals("current") ? ".aot" : ".jsa")));

        Run second = launch(Map.of(), "instance-types");
        assertQuietSuccess(second, first.out());
        assertThat(second.fromCache()).as("classes loaded from the cache").isTrue();

        Run off = launch(Map.of("NRT4J_NO_CDS", "1"), "instance-types");
        assertQuietSuccess(off, first.out());
        assertThat(off.fromCache()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"current", "jdk17"})
    void aDamagedCacheIsSkippedSilentlyAndMadeAgain(String jdk) throws Exception {
        layOut(jdk);
        String expected = launch(Map.of("NRT4J_NO_CDS", "1"), "ls").out();
        launch(Map.of(), "ls");
        Path cache = cachesWhenMade().get(0);
        byte[] whole = Files.readAllBytes(cache);

        // Cut short, as by a full disk: JDK 17 dies of SIGBUS mapping such an archive.
        Files.write(cache, java.util.Arrays.copyOf(whole, whole.length / 2));
        Run cut = launch(Map.of(), "ls");
        assertQuietSuccess(cut, expected);
        assertThat(cut.fromCache()).isFalse();
        assertThat(cachesWhenMade())
                .singleElement()
                .satisfies(c -> assertThat(Files.size(c)).isGreaterThan(whole.length / 2));
        assertThat(launch(Map.of(), "ls").fromCache())
                .as("the new cache is used")
                .isTrue();

        // Not a cache at all.
        cache = caches().get(0);
        byte[] junk = new byte[(int) Files.size(cache)];
        java.util.Arrays.fill(junk, (byte) 'x');
        Files.write(cache, junk);
        Run garbage = launch(Map.of(), "ls");
        assertQuietSuccess(garbage, expected);
        assertThat(garbage.fromCache()).isFalse();
        cachesWhenMade();
        assertThat(launch(Map.of(), "ls").fromCache()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"current"})
    void twoLaunchesAtOnceLeaveOneGoodCache(String jdk) throws Exception {
        layOut(jdk);
        List<Process> both = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ProcessBuilder pb = new ProcessBuilder(root.resolve("bin/nrt4j").toString(), "backends")
                    .redirectOutput(root.resolve("out" + i + ".txt").toFile())
                    .redirectError(root.resolve("err" + i + ".txt").toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("NEURON_") || k.startsWith("NRT4J_"));
            pb.environment().put("JAVA_HOME", javaHome.toString());
            both.add(pb.start());
        }
        for (Process p : both) {
            assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        }
        assertThat(Files.readString(root.resolve("err0.txt"))).isEmpty();
        assertThat(Files.readString(root.resolve("err1.txt"))).isEmpty();
        assertThat(cachesWhenMade()).hasSize(1);
        Run after = launch(Map.of(), "backends");
        assertThat(after.fromCache()).isTrue();
        assertThat(after.out()).isEqualTo(Files.readString(root.resolve("out0.txt")));
    }
}
