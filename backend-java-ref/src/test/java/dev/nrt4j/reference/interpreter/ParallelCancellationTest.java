package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.text.HloTextParser;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Long elementwise kernels see a cancellation between blocks, not only once they are done. */
class ParallelCancellationTest {
    private static EvaluationContext context(int parallelism, Cancellation cancellation) {
        Evaluator e = new Evaluator(
                HloTextParser.parse("HloModule m\nENTRY e {\n  ROOT p = f32[] parameter(0)\n}\n", "m"),
                OpRegistry.standard(),
                parallelism);
        return new EvaluationContext(e, Long.MAX_VALUE, 0, 1, Rendezvous.SINGLE, Long.MAX_VALUE, cancellation);
    }

    @Test
    void aCancelledKernelStopsWithinABlockOnOneThread() {
        assertStopsEarly(1);
    }

    @Test
    void aCancelledKernelStopsWithinABlockOnEveryThread() {
        assertStopsEarly(4);
    }

    private static void assertStopsEarly(int parallelism) {
        Cancellation closing = new Cancellation();
        EvaluationContext ctx = context(parallelism, closing);
        int n = 64 * Parallel.CHECK_EVERY;
        AtomicLong done = new AtomicLong();
        assertThatThrownBy(() -> Parallel.forRange(ctx, n, (from, to) -> {
                    done.addAndGet(to - from);
                    closing.cancel();
                }))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.CLOSED));
        // At most one block per piece ran after the cancel.
        assertThat(done.get()).isLessThanOrEqualTo((long) (parallelism + 1) * Parallel.CHECK_EVERY);
    }

    @Test
    void anUncancelledKernelCoversTheWholeRangeOnce() {
        int n = 5 * Parallel.CHECK_EVERY + 123;
        int[] hits = new int[n];
        Parallel.forRange(context(4, new Cancellation()), n, (from, to) -> {
            for (int i = from; i < to; i++) {
                hits[i]++;
            }
        });
        for (int h : hits) {
            assertThat(h).isEqualTo(1);
        }
    }
}
