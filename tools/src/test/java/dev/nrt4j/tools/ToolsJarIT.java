package dev.nrt4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as an operator runs it, alone on the class path: both backends inside it, and the
 * contract kit with everything its rules need.
 */
class ToolsJarIT {
    @TempDir
    Path dir;

    private record Result(int status, String out) {
    }

    private Result run(String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("basedir", ".")).resolve("target/nrt4j.jar").toAbsolutePath();
        assertThat(jar).as("the shaded jar is built before integration tests").exists();
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new java.util.ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-Dnrt4j.stateDir=" + dir.resolve("state"), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("NEURON_") || k.startsWith("NRT4J_"));
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the jar finished").isTrue();
        return new Result(p.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void theJarHoldsBothBackends() throws Exception {
        Result r = run("backends");
        assertThat(r.status()).as(r.out()).isZero();
        assertThat(r.out()).containsPattern("(?m)^native +100 +no ").containsPattern("(?m)^reference +0 +yes +\\*");
    }

    @Test
    void theContractKitRunsFromTheJar() throws Exception {
        Result r = run("conformance", "--backend", "reference", "--rules", "tensors/*");
        assertThat(r.status()).as(r.out()).isZero();
        assertThat(r.out()).contains("conformance: 15 passed, 0 failed");
    }
}
