package dev.nrt4j.reference.interpreter;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Splits an elementwise loop over threads when the array is large enough to pay for it. Small
 * arrays (the common case inside loops and reducers) run on the caller's thread.
 */
final class Parallel {
    /** Below this many elements a kernel runs single-threaded. */
    static final int THRESHOLD = 1 << 16;

    /** Shared by every execution; worker threads are daemons, so an idle pool never keeps the JVM alive. */
    private static final ForkJoinPool POOL =
            new ForkJoinPool(Math.max(1, Runtime.getRuntime().availableProcessors()));

    private Parallel() {}

    /** A loop body over the index range [from, to). */
    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    /**
     * Elements a piece runs between two deadline checks: large enough that the check costs nothing,
     * small enough (a few milliseconds of work) that a timeout or a closing runtime is seen promptly
     * even in a kernel over a billion elements.
     */
    static final int CHECK_EVERY = 1 << 20;

    /**
     * Runs {@code body} over [0, n), in up to {@code ctx.parallelism()} pieces when n is large. Bodies
     * must not depend on how the range is split: each piece is further run in blocks of
     * {@link #CHECK_EVERY}, with the execution's deadline checked before each block.
     *
     * @throws dev.nrt4j.NeuronException {@link dev.nrt4j.Status#TIMEOUT} or {@link dev.nrt4j.Status#CLOSED}
     *     from the deadline check, as thrown
     */
    static void forRange(EvaluationContext ctx, int n, Range body) {
        forRange(ctx, n, 1, body);
    }

    /**
     * {@link #forRange(EvaluationContext, int, Range)} over items that each cost about {@code cost} elements of
     * work (a reduction's output element folds {@code cost} inputs): the thresholds and deadline checks count
     * work, not items.
     */
    static void forRange(EvaluationContext ctx, int n, int cost, Range body) {
        int threads = ctx == null ? 1 : ctx.parallelism();
        long work = (long) n * Math.max(1, cost);
        if (work <= THRESHOLD || threads <= 1 || n < 2) {
            checked(ctx, 0, n, cost, body);
            return;
        }
        int pieces = (int) Math.min(Math.min(threads, n), (work + (long) THRESHOLD / 2 - 1) / (THRESHOLD / 2));
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[pieces - 1];
        // Kept and rethrown as they are: fork-join may hand a copy of a worker's exception to join.
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        for (int p = 1; p < pieces; p++) {
            int from = (int) ((long) n * p / pieces);
            int to = (int) ((long) n * (p + 1) / pieces);
            tasks[p - 1] = POOL.submit(new RecursiveAction() {
                @Override
                protected void compute() {
                    try {
                        checked(ctx, from, to, cost, body);
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                    }
                }
            });
        }
        try {
            checked(ctx, 0, (int) ((long) n / pieces), cost, body);
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
        for (ForkJoinTask<?> t : tasks) {
            t.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** Runs {@code body} over [from, to) in blocks, checking the deadline before each. */
    private static void checked(EvaluationContext ctx, int from, int to, int cost, Range body) {
        int every = Math.max(1, CHECK_EVERY / Math.max(1, cost));
        if (ctx == null || to - from <= every) {
            if (ctx != null) {
                ctx.checkDeadline();
            }
            body.run(from, to);
            return;
        }
        for (int start = from; start < to; start += Math.min(every, to - start)) {
            ctx.checkDeadline();
            body.run(start, start + Math.min(every, to - start));
        }
    }
}
