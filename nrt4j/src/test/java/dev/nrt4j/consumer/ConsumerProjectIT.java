package dev.nrt4j.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.testsupport.Needs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A user's project (src/it/consumer: the BOM imported, {@code dev.nrt4j:nrt4j} as its one dependency)
 * built by Maven offline on JDK 17 against the artifacts this build installed, then run on JDK 17 and on
 * the JDK running the tests. maven-invoker-plugin's install goal put them (this build's jars and
 * flattened poms, and their third-party dependencies) into a repository of their own under target/,
 * ahead of the build's local repository in a chain, so no other nrt4j version can be picked up, which
 * the test also checks on the class path Maven resolved (each jar from that repository, each the same bytes
 * as its module's target/ jar). Runs on the JDK 25 build only: the JDK 17 leg
 * of failsafe leaves it out, since it covers JDK 17 itself.
 */
class ConsumerProjectIT {
    private static final long BUILD_MINUTES = 4;
    private static final long RUN_MINUTES = 2;
    private static final String[] PLUGIN_VERSIONS = {
        "resources-plugin.version",
        "compiler-plugin.version",
        "surefire-plugin.version",
        "jar-plugin.version",
        "dependency-plugin.version"
    };

    private static Path work;
    private static Path project;
    private static Path repository;
    private static List<String> classpath;
    private static Path jdk17;

    @BeforeAll
    static void buildTheConsumerOnJdk17() throws Exception {
        jdk17 = jdk17();
        Needs.that(jdk17 != null, "a JDK 17 (NRT4J_JDK17_HOME, or one under /usr/lib/jvm)");
        repository = Path.of(property("nrt4j.it.repository"));
        String version = property("nrt4j.it.version");
        Path installed = repository.resolve("dev/nrt4j/nrt4j/" + version + "/nrt4j-" + version + ".jar");
        assertThat(installed)
                .as("dev.nrt4j:nrt4j installed by maven-invoker-plugin:install")
                .isRegularFile();

        work = Path.of(property("nrt4j.it.workDir"));
        deleteTree(work);
        project = work.resolve("project");
        copyTree(Path.of(property("nrt4j.it.consumerDir")), project);

        List<String> mvn = new ArrayList<>(List.of(
                Path.of(property("nrt4j.it.mavenHome"), "bin", "mvn").toString(),
                "-B",
                "-ntp",
                "-q",
                "-o",
                "-Dmaven.repo.local=" + repository,
                "-Dmaven.repo.local.tail=" + tail(),
                "-Dnrt4j.version=" + version));
        for (String p : PLUGIN_VERSIONS) {
            mvn.add("-D" + p + "=" + property("nrt4j.it." + p));
        }
        mvn.add("package");
        Result build =
                run(mvn, project, Map.of("JAVA_HOME", jdk17.toString()), work.resolve("build.log"), BUILD_MINUTES);
        assertThat(build.exit())
                .as("mvn package of the consumer on JDK 17:%n%s", build.output())
                .isZero();

        classpath = Arrays.asList(Files.readString(project.resolve("target/runtime.classpath"))
                .trim()
                .split(Pattern.quote(java.io.File.pathSeparator)));
    }

    @Test
    void theOneDependencyBringsApiFormatsAndBothBackendsFromThisBuild() {
        String version = property("nrt4j.it.version");
        List<String> nrt4j = classpath.stream()
                .filter(e -> e.contains("/dev/nrt4j/"))
                .sorted()
                .toList();
        assertThat(nrt4j)
                .as("the nrt4j jars on the consumer's run-time class path")
                .extracting(e -> Path.of(e).getFileName().toString())
                .containsExactlyInAnyOrder(
                        "nrt4j-" + version + ".jar",
                        "neuron-runtime-api-" + version + ".jar",
                        "device-model-" + version + ".jar",
                        "model-formats-" + version + ".jar",
                        "backend-java-ref-" + version + ".jar",
                        "backend-native-" + version + ".jar");
        assertThat(nrt4j)
                .as("every nrt4j jar comes from this build's repository, not the local one")
                .allSatisfy(e -> assertThat(Path.of(e)).startsWith(repository));
        // A build of this module alone (-pl nrt4j without -am) would have installed whatever the local repository held.
        Path root = Path.of(property("nrt4j.it.projectRoot"));
        assertThat(nrt4j)
                .as("each nrt4j jar is the one this checkout's module packaged (build with -am)")
                .allSatisfy(e -> {
                    String jar = Path.of(e).getFileName().toString();
                    Path built = root.resolve(jar.substring(0, jar.length() - ("-" + version + ".jar").length()))
                            .resolve("target")
                            .resolve(jar);
                    assertThat(Path.of(e)).hasSameBinaryContentAs(built);
                });
    }

    @Test
    void theProgramRunsOnJdk17() throws Exception {
        assertRuns(jdk17, 17, "jdk17");
    }

    @Test
    void theProgramRunsOnTheCurrentJdk() throws Exception {
        assertRuns(Path.of(System.getProperty("java.home")), Runtime.version().feature(), "current");
    }

    private static void assertRuns(Path jdk, int feature, String name) throws Exception {
        Path dir = Files.createDirectories(work.resolve("run-" + name));
        String cp = project.resolve("target/nrt4j-consumer-1.jar")
                + java.io.File.pathSeparator
                + String.join(java.io.File.pathSeparator, classpath);
        // The flags the README gives users: native access for the libnrt binding, the vector module for the fast GEMM.
        List<String> java = List.of(
                jdk.resolve("bin/java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "--add-modules",
                "jdk.incubator.vector",
                "-cp",
                cp,
                "example.Main",
                dir.toString());
        Result r = run(java, dir, Map.of(), work.resolve("run-" + name + ".log"), RUN_MINUTES);
        assertThat(r.exit())
                .as("the consumer on JDK %d:%n%s", feature, r.output())
                .isZero();
        assertThat(r.output().lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")))
                .containsExactly(
                        "java " + feature,
                        "backend reference",
                        "tensor [1.0, 2.0, 3.0, 4.0]",
                        "npy FLOAT32 [4]",
                        "model [2.0, 6.0, 12.0, 20.0]");
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> command, Path dir, Map<String, String> env, Path log, long minutes)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            return new Result(-1, "timed out after " + minutes + " min: " + command + "\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** NRT4J_JDK17_HOME, the running JDK if it is a 17, else a JDK 17 under /usr/lib/jvm (as .ci/run looks). */
    private static Path jdk17() throws IOException {
        String env = System.getenv("NRT4J_JDK17_HOME");
        if (env != null && Files.isExecutable(Path.of(env, "bin/javac"))) {
            return Path.of(env);
        }
        if (Runtime.version().feature() == 17) {
            return Path.of(System.getProperty("java.home"));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return null;
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(h -> Files.isExecutable(h.resolve("bin/javac")) && isJdk17(h))
                    .sorted()
                    .findFirst()
                    .orElse(null);
        }
    }

    private static boolean isJdk17(Path home) {
        try {
            return Files.readAllLines(home.resolve("release")).stream()
                    .anyMatch(l -> l.startsWith("JAVA_VERSION=\"17"));
        } catch (IOException e) {
            return false;
        }
    }

    /** The build's local repository and its own tail if it had one; an unset property arrives as "${...}". */
    private static String tail() {
        return Arrays.stream(property("nrt4j.it.repositoryTail").split(","))
                .map(String::trim)
                .filter(t -> !t.isEmpty() && !t.startsWith("${"))
                .distinct()
                .collect(java.util.stream.Collectors.joining(","));
    }

    private static String property(String name) {
        String v = System.getProperty(name);
        assertThat(v)
                .as("system property %s (set by the nrt4j module's failsafe configuration)", name)
                .isNotBlank();
        return v;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
