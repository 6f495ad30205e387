package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.text.HloTextParser;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CollectiveRendezvousTest {
    private static final HloModule M = HloTextParser.parse(
            "HloModule m, replica_count=2\n\n"
                    + "add {\n  a = f32[] parameter(0)\n  b = f32[] parameter(1)\n  ROOT s = f32[] add(a, b)\n}\n\n"
                    + "ENTRY main {\n  x = f32[1] parameter(0)\n  ar = f32[1] all-reduce(x), to_apply=add\n"
                    + "  ROOT ag = f32[2] all-gather(ar), dimensions={0}\n}\n",
            "test");
    private static final HloInstruction AR = M.entry().instructions().get(1);
    private static final HloInstruction AG = M.entry().instructions().get(2);

    /** Own threads: the common pool may have too few to hold every waiting rank at once. */
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "rank");
        t.setDaemon(true);
        return t;
    });

    private static Value v(float x) {
        return Array.wrap(ElementType.F32, new long[] {1}, new float[] {x});
    }

    private static long in(long millis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void everyRankLeavesWithAllContributionsAndTheSlotIsGone() throws Exception {
        CollectiveRendezvous rv = new CollectiveRendezvous(3);
        List<CompletableFuture<List<Value>>> fs = List.of(0, 1, 2).stream()
                .map(r -> CompletableFuture.supplyAsync(() -> rv.exchange(7, r, AR, v(r * 10), in(5000)), POOL))
                .toList();
        for (CompletableFuture<List<Value>> f : fs) {
            List<Value> all = f.get(10, TimeUnit.SECONDS);
            assertThat(all).hasSize(3);
            for (int r = 0; r < 3; r++) {
                assertThat(all.get(r).asArray().floats()).containsExactly(r * 10f);
            }
        }
        assertThat(rv.openSlots()).isZero();
        // The same sequence number is free for the next execution.
        assertThat(new CollectiveRendezvous(1).exchange(0, 0, AR, v(1), in(10))).hasSize(1);
    }

    @Test
    void ranksOutsideTheRangeAndRepeatedArrivalsAreRefused() {
        CollectiveRendezvous rv = new CollectiveRendezvous(2);
        assertThatThrownBy(() -> rv.exchange(0, 2, AR, v(0), in(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[0, 2)");
        assertThatThrownBy(() -> rv.exchange(0, -1, AR, v(0), in(10))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CollectiveRendezvous(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(rv.openSlots()).isZero();
    }

    @Test
    void aTimeoutBreaksTheRendezvousUntilReset() {
        CollectiveRendezvous rv = new CollectiveRendezvous(2);
        long start = System.nanoTime();
        assertThatThrownBy(() -> rv.exchange(0, 0, AR, v(0), in(100)))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.TIMEOUT))
                .hasMessageContaining("rank 1 did not reach")
                .hasMessageContaining("ar (all-reduce)");
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(rv.openSlots()).isZero();
        assertThat(rv.isBroken()).isTrue();
        assertThatThrownBy(() -> rv.exchange(0, 1, AR, v(1), in(5000)))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.EXEC_HW_ERR_COLLECTIVES));
        rv.reset();
        CompletableFuture<List<Value>> other =
                CompletableFuture.supplyAsync(() -> rv.exchange(0, 1, AR, v(1), in(5000)), POOL);
        assertThat(rv.exchange(0, 0, AR, v(0), in(5000))).hasSize(2);
        assertThat(other.join()).hasSize(2);
    }

    @Test
    void ranksAtDifferentCollectivesFailTogether() throws Exception {
        CollectiveRendezvous rv = new CollectiveRendezvous(2);
        CompletableFuture<List<Value>> waiting =
                CompletableFuture.supplyAsync(() -> rv.exchange(0, 0, AR, v(0), in(5000)), POOL);
        while (rv.openSlots() == 0) {
            Thread.sleep(1);
        }
        assertThatThrownBy(() -> rv.exchange(0, 1, AG, v(1), in(5000)))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.EXEC_HW_ERR_COLLECTIVES))
                .hasMessageContaining("ag (all-gather)");
        assertThatThrownBy(() -> waiting.get(2, TimeUnit.SECONDS)).hasCauseInstanceOf(NeuronException.class);
        assertThat(rv.openSlots()).isZero();
    }

    @Test
    void aWaitingRankStopsWithClosedWhenItsExecutionIsCancelled() throws Exception {
        CollectiveRendezvous rv = new CollectiveRendezvous(2);
        Cancellation closing = new Cancellation();
        CompletableFuture<List<Value>> waiting =
                CompletableFuture.supplyAsync(() -> rv.exchange(0, 0, AR, v(0), in(60_000), closing), POOL);
        Thread.sleep(200);
        assertThat(waiting).as("rank 0 waits for rank 1").isNotDone();
        long start = System.nanoTime();
        closing.cancel();
        assertThatThrownBy(() -> waiting.get(1, TimeUnit.SECONDS))
                .hasCauseInstanceOf(NeuronException.class)
                .satisfies(e ->
                        assertThat(((NeuronException) e.getCause()).status()).isEqualTo(Status.CLOSED));
        assertThat(System.nanoTime() - start).as("seen within a few polls").isLessThan(TimeUnit.SECONDS.toNanos(1));
        // The other rank does not wait out its own timeout for a partner that is gone.
        assertThatThrownBy(() -> rv.exchange(0, 1, AR, v(1), in(5000)))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.EXEC_HW_ERR_COLLECTIVES));
    }
}
