package dev.nrt4j.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.DType;
import dev.nrt4j.HostTensor;
import dev.nrt4j.Shape;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The differential comparison: the baseline's outputs stand in for the expected ones, judged by each case's rule. */
class DifferentialRunnerTest {
    private static ExpectedOutput rule(String name, OutputCheck check) {
        return new ExpectedOutput(name, DType.FLOAT32, Shape.of(3), Path.of(name + ".npy"), check);
    }

    @Test
    void withinTheCasesToleranceTheBackendsAgree() {
        Map<String, HostTensor> base = Map.of("output0", HostTensor.of(new float[] {1, 2, 3}, 3));
        Map<String, HostTensor> cand = Map.of("output0", HostTensor.of(new float[] {1, 2.0001f, 3}, 3));
        assertThat(DifferentialRunner.compare(cand, base, List.of(rule("output0", OutputCheck.tolerance(1e-3, 0)))))
                .isEmpty();
    }

    @Test
    void outsideItOrBitwiseTheyDiffer() {
        Map<String, HostTensor> base = Map.of("output0", HostTensor.of(new float[] {1, 2, 3}, 3));
        Map<String, HostTensor> cand = Map.of("output0", HostTensor.of(new float[] {1, 2.0001f, 3}, 3));
        assertThat(DifferentialRunner.compare(cand, base, List.of(rule("output0", OutputCheck.named("expect_eq")))))
                .singleElement()
                .asString()
                .startsWith("output0: ");
        assertThat(DifferentialRunner.compare(cand, base, List.of(rule("output0", OutputCheck.tolerance(1e-6, 0)))))
                .hasSize(1);
    }

    @Test
    void anOutputOnlyOneSideHasIsADifference() {
        Map<String, HostTensor> base = Map.of("output0", HostTensor.of(new float[] {1, 2, 3}, 3));
        assertThat(DifferentialRunner.compare(Map.of(), base, List.of(rule("output0", OutputCheck.tolerance(0, 0)))))
                .containsExactly("output0 is missing from the candidate");
    }
}
