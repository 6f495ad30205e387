package dev.nrt4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

@Isolated("claims simulated cores")
class ConcurrentInferenceTest {
    @TempDir
    Path stateDir;

    @Test
    void everyCoreServesItsShareAndEveryAnswerIsRight() {
        // inf2.8xlarge: one Inferentia2 device, two cores.
        ConcurrentInference.Result r = ConcurrentInference.run(
                TestRuntimes.reference(stateDir, "inf2.8xlarge").build(), 61, 6, s -> {});

        assertThat(r.cores()).isEqualTo(2);
        assertThat(r.completedPerCore()).containsExactly(31, 30);
        assertThat(r.completed()).isEqualTo(61);
        assertThat(r.mismatches()).isZero();
        assertThat(r.throughput()).isPositive();
    }

    @Test
    void visibleCoresDecideHowManyCopiesServe() {
        ConcurrentInference.Result r = ConcurrentInference.run(
                TestRuntimes.reference(stateDir, "trn1.2xlarge")
                        .visibleCores("1")
                        .build(),
                10,
                3,
                s -> {});

        assertThat(r.cores()).isEqualTo(1);
        assertThat(r.completedPerCore()).containsExactly(10);
        assertThat(r.mismatches()).isZero();
    }
}
