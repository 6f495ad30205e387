package dev.nrt4j;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Per-call deadlines of {@link ExecuteOptions#withTimeout}: one daemon timer thread for the process,
 * started on first use. A timer is cancelled (and dropped from the queue) as soon as its future
 * completes, so it does not keep finished work reachable until the deadline.
 */
final class Deadlines {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private Deadlines() {}

    /** Completes {@code future} exceptionally with {@code expired} once {@code after} has passed. */
    static void arm(CompletableFuture<?> future, Duration after, Supplier<NeuronException> expired) {
        ScheduledFuture<?> timer = TIMER.schedule(
                () -> future.completeExceptionally(expired.get()), after.toNanos(), TimeUnit.NANOSECONDS);
        future.whenComplete((v, e) -> timer.cancel(false));
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "nrt4j-execute-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }
}
