package dev.nrt4j.samples;

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

/**
 * {@code bin/nrt4j-sample} as a user runs it, on the jar this build packaged: names in CamelCase or
 * kebab-case, and a sample's bad argument or a refusal by the runtime as one line with the exit status
 * a command line tool would give, never a stack trace.
 */
class SampleLauncherIT {
    @TempDir
    Path stateDir;

    private record Run(int status, String out, String err) {}

    private Run launch(String... args) throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("basedir", "."))
                .resolve("..")
                .toAbsolutePath()
                .normalize();
        List<String> command =
                new ArrayList<>(List.of("bash", root.resolve("bin/nrt4j-sample").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("NRT4J_BACKEND", "reference");
        pb.environment().put("NRT4J_INSTANCE_TYPE", "trn1.2xlarge");
        pb.environment().put("NRT4J_STATE_DIR", stateDir.toString());
        // stderr to a file: reading one pipe to its end while the other fills would hang both sides.
        Path errFile = stateDir.resolve("launcher-" + System.nanoTime() + ".err");
        pb.redirectError(errFile.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS))
                .as("bin/nrt4j-sample %s ended", String.join(" ", args))
                .isTrue();
        Run r = new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), Files.readString(errFile));
        assertThat(r.err())
                .as("the launcher must run the jar this build packaged, not rebuild it")
                .doesNotContain("building the samples jar");
        assertThat(r.out() + r.err())
                .doesNotContainPattern("(?m)^\\s+at [\\w.$/]+\\(")
                .doesNotContain("Exception in thread");
        return r;
    }

    @Test
    void aKebabCaseNameRunsTheSampleItNames() throws Exception {
        Run r = launch("hello-tensor");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("read back from core 0:");
    }

    @Test
    void anUnknownSampleIsAUsageError() throws Exception {
        Run r = launch("no-such-sample");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err())
                .startsWith("nrt4j-sample: no sample named 'no-such-sample'")
                .contains("HelloTensor");
    }

    @Test
    void aCoreTheMachineDoesNotHaveIsOneLineAndExitStatus1() throws Exception {
        // A trn1.2xlarge has cores 0 and 1.
        Run r = launch("HelloTensor", "5");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err().strip().lines()).hasSize(1).first().asString().startsWith("HelloTensor: ");
    }

    @Test
    void aMalformedArgumentGivesTheSamplesUsage() throws Exception {
        Run r = launch("mlp-inference", "many");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("usage: MlpInference");
    }
}
