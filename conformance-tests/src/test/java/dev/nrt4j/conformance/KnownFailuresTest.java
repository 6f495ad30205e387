package dev.nrt4j.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.HostTensor;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import dev.nrt4j.npy.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownFailuresTest {
    @Test
    void namesWithReasonsCommentsAndBlankLines(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(
                dir.resolve("k.txt"), "# header\n\ncase_a   transcendental at 2 ULP\ncase_b\tneeds fft\n");
        KnownFailures k = KnownFailures.read(f);
        assertThat(k.reason("case_a")).hasValue("transcendental at 2 ULP");
        assertThat(k.reason("case_b")).hasValue("needs fft");
        assertThat(k.reason("case_c")).isEmpty();
        assertThat(k.all()).hasSize(2);
        assertThat(k.bound("case_a")).as("a line without a bound has none").isEmpty();
    }

    @Test
    void boundsStandBetweenTheNameAndTheReason(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(
                dir.resolve("k.txt"),
                "case_a  max_ulp=3  XLA's tanh, 3 ulp off\ncase_b max_abs=2.5e-4 max_ulp=inf two outputs\n");
        KnownFailures k = KnownFailures.read(f);
        assertThat(k.bound("case_a")).hasValue(WorstError.of(WorstError.Measure.MAX_ULP, 3));
        assertThat(k.reason("case_a")).hasValue("XLA's tanh, 3 ulp off");
        assertThat(k.bound("case_b"))
                .hasValue(WorstError.of(WorstError.Measure.MAX_ABS, 2.5e-4)
                        .with(WorstError.Measure.MAX_ULP, Double.POSITIVE_INFINITY));
        assertThat(k.reason("case_b")).hasValue("two outputs");
        assertThatThrownBy(() ->
                        KnownFailures.read(Files.writeString(dir.resolve("bad.txt"), "case_a max_ulp=three reason\n")))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                .hasMessageContaining("line 1")
                .hasMessageContaining("max_ulp");
    }

    @Test
    void aNameWithoutAReasonIsRefused(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("k.txt"), "case_a reason\ncase_b\n");
        assertThatThrownBy(() -> KnownFailures.read(f))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                .hasMessageContaining("line 2")
                .hasMessageContaining("case_b");
        Path boundOnly = Files.writeString(dir.resolve("b.txt"), "case_a max_ulp=1\n");
        assertThatThrownBy(() -> KnownFailures.read(boundOnly)).hasMessageContaining("without a reason");
    }

    @Test
    void everyBundledReferenceFailureRecordsItsWorstError() {
        KnownFailures k = KnownFailures.bundled("reference");
        assertThat(k.all()).isNotEmpty();
        assertThat(k.all().keySet())
                .allSatisfy(name -> assertThat(k.bound(name)).as(name).isPresent());
    }

    @Test
    void theNativeRuleDifferencesNeedNoBound() {
        KnownFailures k = KnownFailures.bundledRuleDifferences("native");
        assertThat(k.reason("cores/runtimes_on_different_cores_coexist")).isPresent();
        assertThat(k.bound("cores/runtimes_on_different_cores_coexist")).isEmpty();
    }

    /** A one-element case whose program negates its input, expecting {@code expected} under expect_close. */
    private static Path negateCase(Path dir, float input, float expected) throws Exception {
        Path c = Files.createDirectories(dir.resolve("negate_case"));
        Files.writeString(
                c.resolve("model.hlo.txt"),
                "HloModule m\n\nENTRY e {\n  p = f32[1]{0} parameter(0)\n  ROOT n = f32[1]{0} negate(p)\n}\n");
        Npy.write(HostTensor.of(new float[] {input}, 1), c.resolve("input0.npy"));
        Npy.write(HostTensor.of(new float[] {expected}, 1), c.resolve("output0.npy"));
        Files.writeString(
                c.resolve("case.json"),
                "{\"inputs\": [{\"name\": \"input0\", \"dtype\": \"f32\", \"shape\": [1]}],"
                        + " \"outputs\": [{\"name\": \"output0\", \"dtype\": \"f32\", \"shape\": [1], \"check\": \"expect_close\"}]}");
        return c;
    }

    private static CaseResult runWith(Path caseDir, Path dir, String knownLine) throws Exception {
        KnownFailures known = KnownFailures.read(Files.writeString(dir.resolve("known.txt"), knownLine + "\n"));
        RuntimeOptions options = RuntimeOptions.builder(Map.of(), new Properties())
                .backend("reference")
                .stateDir(Files.createDirectories(dir.resolve("state")))
                .build();
        try (NeuronRuntime rt = NeuronRuntime.open(options)) {
            return new CorpusRunner(rt, known).run(caseDir);
        }
    }

    @Test
    void aKnownFailureWithinItsBoundIsKnownAndBeyondItFailsTheRun(@TempDir Path dir) throws Exception {
        // -1 negated is 1; expecting 1 + 3 ulp makes the output 3 ulp off.
        Path c = negateCase(dir, -1f, Math.nextUp(Math.nextUp(Math.nextUp(1f))));

        CaseResult within = runWith(c, dir, "negate_case max_ulp=3 off by three");
        assertThat(within.outcome()).isEqualTo(CaseResult.Outcome.FAIL);
        assertThat(within.worstError()).isEqualTo(WorstError.of(WorstError.Measure.MAX_ULP, 3));
        assertThat(within.knownFailure()).isTrue();
        assertThat(within.failsTheRun()).isFalse();
        assertThat(within.detail())
                .startsWith("known failure (off by three; worst error max_ulp=3, within its bound max_ulp=3)");

        CaseResult beyond = runWith(c, dir, "negate_case max_ulp=2 off by two");
        assertThat(beyond.knownFailure()).isFalse();
        assertThat(beyond.failsTheRun()).isTrue();
        assertThat(beyond.detail())
                .startsWith(
                        "worse than its known failure (off by two): worst error max_ulp=3, beyond its bound max_ulp=2");

        CaseResult otherMeasure = runWith(c, dir, "negate_case max_abs=1 bounded in another measure");
        assertThat(otherMeasure.failsTheRun())
                .as("a bound says nothing of a measure it does not name")
                .isTrue();

        CaseResult unbounded = runWith(c, dir, "negate_case any error");
        assertThat(unbounded.knownFailure())
                .as("a line without a bound accepts any failure")
                .isTrue();
    }

    @Test
    void aPassingCaseReportsItsWorstErrorToo(@TempDir Path dir) throws Exception {
        CaseResult r = runWith(negateCase(dir, -1f, Math.nextUp(1f)), dir, "other_case reason");
        assertThat(r.outcome()).isEqualTo(CaseResult.Outcome.PASS);
        assertThat(r.worstError()).isEqualTo(WorstError.of(WorstError.Measure.MAX_ULP, 1));
    }
}
