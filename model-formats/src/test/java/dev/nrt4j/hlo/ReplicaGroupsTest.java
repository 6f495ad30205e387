package dev.nrt4j.hlo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The one expansion of replica-group lists both readers use. */
class ReplicaGroupsTest {
    private static final Function<String, NeuronException> REFUSE =
            detail -> new NeuronException(Status.INVALID, "test", detail);

    @Test
    void iotaReadsTheTransposedIotaInRows() {
        // iota(8) as [2,4], transposed to [4,2]: rows (0,4), (1,5), (2,6), (3,7).
        assertThat(new ReplicaGroups().iota(4, 2, new long[] {2, 4}, new int[] {1, 0}, REFUSE))
                .containsExactly(List.of(0L, 4L), List.of(1L, 5L), List.of(2L, 6L), List.of(3L, 7L));
        assertThat(new ReplicaGroups().iota(2, 2, new long[0], null, REFUSE))
                .containsExactly(List.of(0L, 1L), List.of(2L, 3L));
    }

    @Test
    void meshGroupsDifferOnlyAlongTheGroupedAxesInTheOrderGiven() {
        // x, y, z of 2 each: device = 4x + 2y + z; grouping over (z, x) leaves one group per y.
        assertThat(new ReplicaGroups().mesh(new long[] {2, 2, 2}, new int[] {2, 0}, REFUSE))
                .containsExactly(List.of(0L, 4L, 1L, 5L), List.of(2L, 6L, 3L, 7L));
        assertThat(new ReplicaGroups().mesh(new long[] {2, 3}, new int[0], REFUSE))
                .hasSize(6);
        assertThat(new ReplicaGroups().mesh(new long[0], new int[0], REFUSE)).containsExactly(List.of(0L));
    }

    @Test
    void inconsistentFormsAreRefused() {
        ReplicaGroups g = new ReplicaGroups();
        assertThat(refused(() -> g.iota(2, 3, new long[] {4}, null, REFUSE))).contains("do not hold 2 groups of 3");
        assertThat(refused(() -> g.iota(0, 3, new long[0], null, REFUSE))).contains("not a usable group list");
        assertThat(refused(() -> g.iota(2, 2, new long[] {2, 2}, new int[] {0, 0}, REFUSE)))
                .contains("not a permutation");
        assertThat(refused(() -> g.iota(2, 2, new long[] {2, 2}, new int[] {1}, REFUSE)))
                .contains("not a permutation");
        assertThat(refused(() -> g.mesh(new long[] {2}, new int[] {0, 0}, REFUSE)))
                .contains("distinct");
        assertThat(refused(() -> g.mesh(new long[] {0}, new int[0], REFUSE))).contains("at least 1");
    }

    @Test
    void theCompactFormsOfOneModuleShareOneBudget() {
        ReplicaGroups g = new ReplicaGroups();
        long lists = ReplicaGroups.MAX_EXPANDED_PER_MODULE / ReplicaGroups.MAX_MEMBERS;
        for (long i = 0; i < lists; i++) {
            g.iota(1, ReplicaGroups.MAX_MEMBERS, new long[0], null, REFUSE);
        }
        assertThat(refused(() -> g.mesh(new long[] {1}, new int[0], REFUSE))).contains("device ids in all");
        // Explicit lists are written out in the input, so they do not draw on it.
        assertThat(g.explicit(List.of(List.of(0L, 1L)), REFUSE)).containsExactly(List.of(0L, 1L));
    }

    private static String refused(Runnable r) {
        NeuronException e = catchThrowableOfType(NeuronException.class, r::run);
        assertThat(e).as("should have been refused").isNotNull();
        assertThat(e.status()).isEqualTo(Status.INVALID);
        return e.getMessage();
    }
}
