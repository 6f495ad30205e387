package dev.nrt4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The quick commands start without the libraries only other commands need: the shaded jar runs each
 * with the JVM's class-loading log, which must name no class of JLine (top's screen), Jackson (JSON
 * output and runtime records), protobuf (HLO files), Jetty (serve, monitor's Prometheus endpoint) or the
 * HLO interpreter. Each of those is hundreds
 * of classes, loaded and verified on every start; that is what made {@code nrt4j ls} slow to answer.
 */
class StartupClassesIT {
    /** Packages none of the quick commands may load, as the class-loading log names them. */
    private static final List<String> UNWANTED = List.of(
            "org.jline.",
            "tools.jackson.databind.",
            "com.fasterxml.jackson.",
            "com.google.protobuf.",
            "org.eclipse.jetty.",
            "dev.nrt4j.reference.interpreter.");
    /**
     * Jackson's streaming core too, except for {@code info}: the runtime it opens publishes its runtime
     * record, written with the streaming writer (a tenth of databind's classes).
     */
    private static final String STREAMING = "tools.jackson.core.";
    /**
     * The interpreter's dot-kernel choice, which {@code info} reports in the backend's detail (vector or
     * scalar, and how to get the fast one), and the loader it asks whether the vector module is there: five
     * small classes, none of the kernels or ops.
     */
    private static final List<String> KERNEL_CHOICE =
            List.of("dev.nrt4j.reference.interpreter.GemmKernel", "dev.nrt4j.reference.interpreter.VectorModule");

    @TempDir
    Path dir;

    /** The classes the jar loaded for {@code args}, by name, with the state directory fresh. */
    private List<String> loadedBy(String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("basedir", "."))
                .resolve("target/nrt4j.jar")
                .toAbsolutePath();
        assertThat(jar).as("the shaded jar is built before integration tests").exists();
        Path log = dir.resolve("classes.txt");
        Files.deleteIfExists(log);
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-Xlog:class+load=info:file=" + log,
                "-Dnrt4j.stateDir=" + dir.resolve("state"),
                "-jar",
                jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("NEURON_") || k.startsWith("NRT4J_"));
        Process p = pb.start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("the jar finished").isTrue();
        assertThat(p.exitValue())
                .as(Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8))
                .isZero();
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            // [0.012s][info][class,load] java.lang.Object source: shared objects file
            int start = line.indexOf("] ", line.indexOf("[class,load]"));
            if (start > 0) {
                int end = line.indexOf(' ', start + 2);
                names.add(line.substring(start + 2, end < 0 ? line.length() : end));
            }
        }
        assertThat(names).as("the log names the classes loaded").contains("dev.nrt4j.tools.Nrt4jCommand");
        return names;
    }

    @ParameterizedTest
    @ValueSource(strings = {"ls", "instance-types", "backends", "info"})
    void aQuickCommandLoadsNoneOfTheHeavyLibraries(String command) throws Exception {
        List<String> unwanted = new ArrayList<>(UNWANTED);
        if (!command.equals("info")) {
            unwanted.add(STREAMING);
        }
        List<String> loaded = loadedBy(command);
        assertThat(loaded)
                .as("classes %s loaded", command)
                .noneMatch(c -> unwanted.stream().anyMatch(c::startsWith)
                        && !(command.equals("info") && KERNEL_CHOICE.stream().anyMatch(c::startsWith)));
    }

    /** The other side: the log does show Jackson when the output is JSON, so the check above can fail. */
    @Test
    void jsonOutputStillLoadsJackson() throws Exception {
        assertThat(loadedBy("ls", "--json-output")).anyMatch(c -> c.startsWith("tools.jackson.databind."));
    }
}
