package dev.nrt4j.tools;

import static dev.nrt4j.tools.Nrt4jCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.DType;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Shape;
import dev.nrt4j.Status;
import dev.nrt4j.TensorInfo;
import dev.nrt4j.conformance.contract.ContractProgram;
import dev.nrt4j.testsupport.HostileHlo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/** run and bench against programs that never end, nest too deeply or are too large: one line, a status, no Java names. */
@Isolated("opens reference runtimes, which share simulated cores within the JVM")
class ModelLimitsCommandTest {
    /** The contract kit's endless loop: only a timeout or close ends it. */
    private static final String ENDLESS = ContractProgram.FOREVER.hloText();

    @TempDir
    Path dir;

    private static void assertOneCleanLine(Nrt4jCommandTest.Run r, String status) {
        assertThat(r.status).as(r.err).isEqualTo(Nrt4jCommand.EXIT_FAILURE);
        assertThat(r.err)
                .contains("[" + status + "]")
                .doesNotContain("Exception")
                .doesNotContain("Error:")
                .doesNotContain("\tat ")
                .doesNotContain("java.");
    }

    @Test
    void runAndBenchTakeATimeoutThatEndsAnEndlessLoop() throws Exception {
        Path model = Files.writeString(dir.resolve("endless.hlo.txt"), ENDLESS);
        long start = System.nanoTime();
        Nrt4jCommandTest.Run r =
                run("run", "--backend=reference", model.toString(), "--random-inputs", "--timeout", "0.3");
        assertOneCleanLine(r, "TIMEOUT");
        assertThat(r.err).contains("NEURON_RT_EXEC_TIMEOUT");
        Nrt4jCommandTest.Run b =
                run("bench", "--backend=reference", model.toString(), "--warmup", "1", "--timeout", "0.3");
        assertOneCleanLine(b, "TIMEOUT");
        assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
    }

    @Test
    void aTimeoutThatIsNotPositiveIsRefused() throws Exception {
        Path model = Files.writeString(dir.resolve("endless.hlo.txt"), ENDLESS);
        Nrt4jCommandTest.Run r =
                run("run", "--backend=reference", model.toString(), "--random-inputs", "--timeout", "0");
        assertOneCleanLine(r, "INVALID");
        assertThat(r.err).contains("--timeout must be a positive number of seconds");
    }

    @Test
    void aDeepChainOfCallsIsRefusedWithOneLine() throws Exception {
        Path model = Files.writeString(dir.resolve("chain.hlo.txt"), HostileHlo.callChain(1500));
        Nrt4jCommandTest.Run r = run("run", "--backend=reference", model.toString(), "--random-inputs");
        assertOneCleanLine(r, "INVALID");
        assertThat(r.err).contains("nested computations");
        Nrt4jCommandTest.Run i = run("inspect", model.toString());
        assertThat(i.err).doesNotContain("Exception").doesNotContain("StackOverflow");
    }

    @Test
    void anIllTypedProgramIsRefusedByInspectAndRunWithOneLine() throws Exception {
        Path model = Files.writeString(dir.resolve("illtyped.hlo.txt"), HostileHlo.illTypedAdd());
        for (Nrt4jCommandTest.Run r : new Nrt4jCommandTest.Run[] {
            run("inspect", model.toString()), run("run", "--backend=reference", model.toString(), "--random-inputs")
        }) {
            assertOneCleanLine(r, "INVALID");
            assertThat(r.err.lines()).as(r.err).hasSize(1);
            assertThat(r.err).contains("add s: operand 1 is f32[5], expected f32[4] like operand 0");
            assertThat(r.out).doesNotContain("f32[5]");
        }
    }

    @Test
    void aLoopConditionThatIsNotPredIsRefusedByRun() throws Exception {
        Path model = Files.writeString(
                dir.resolve("counting.hlo.txt"),
                ENDLESS.replace("ROOT t = pred[] constant(true)", "ROOT t = s32[] constant(1)"));
        Nrt4jCommandTest.Run r = run("run", "--backend=reference", model.toString(), "--random-inputs");
        assertOneCleanLine(r, "INVALID");
        assertThat(r.err).contains("while w").contains("expected pred[]");
    }

    @Test
    void anInputOfTwoGibibytesOrMoreIsRefusedBeforeAnythingIsAllocated() throws Exception {
        // 600 million f32 = 2.4 GB: more than one host tensor holds.
        TensorInfo huge = new TensorInfo("input0", DType.FLOAT32, Shape.of(600_000_000L));
        assertThatThrownBy(() -> ModelInputs.random(huge, new SplittableRandom(1)))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.RESOURCE))
                .hasMessageContaining("2400000000 bytes")
                .hasMessageContaining("at most " + ModelInputs.MAX_INPUT_BYTES);

        Path model = Files.writeString(dir.resolve("huge.hlo.txt"), HostileHlo.identity(600_000_000L));
        long start = System.nanoTime();
        Nrt4jCommandTest.Run r = run("run", "--backend=reference", model.toString(), "--random-inputs");
        assertOneCleanLine(r, "RESOURCE");
        assertThat(r.err).contains("input0");
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }

    @Test
    void unexpectedFailuresPrintNoJavaClassNames() {
        assertThat(FailureLine.of("run", new OutOfMemoryError("Java heap space")))
                .doesNotContain("OutOfMemoryError")
                .contains("NRT4J_JAVA_OPTS=-Xmx");
        assertThat(FailureLine.of("run", new StackOverflowError()))
                .doesNotContain("StackOverflowError")
                .contains("-Xss");
        assertThat(FailureLine.of("run", new IllegalStateException("the thing is closed")))
                .isEqualTo("run failed: the thing is closed");
        assertThat(FailureLine.of("run", new NullPointerException()))
                .doesNotContain("NullPointer")
                .contains("--debug");
    }
}
