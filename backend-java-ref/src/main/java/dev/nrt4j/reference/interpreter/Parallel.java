package dev.nrt4j.reference.interpreter;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * Splits an elementwise loop over threads when the array is large enough to pay for it. Small
 * arrays (the common case inside loops and reducers) run on the caller's thread.
 */
final class Parallel {
    /** Below this many elements a kernel runs single-threaded. */
    static final int THRESHOLD = 1 << 16;

    /** Shared by every execution; worker threads are daemons, so an idle pool never keeps the JVM alive. */
    private static final ForkJoinPool POOL = new ForkJoinPool(Math.max(1, Runtime.getRuntime().availableProcessors()));

    private Parallel() {
    }

    /** A loop body over the index range [from, to). */
    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    /** Runs {@code body} over [0, n), in up to {@code ctx.parallelism()} pieces when n is large. */
    static void forRange(EvaluationContext ctx, int n, Range body) {
        int threads = ctx == null ? 1 : ctx.parallelism();
        if (n <= THRESHOLD || threads <= 1) {
            body.run(0, n);
            return;
        }
        int pieces = (int) Math.min(threads, (n + (long) THRESHOLD / 2 - 1) / (THRESHOLD / 2));
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[pieces - 1];
        for (int p = 1; p < pieces; p++) {
            int from = (int) ((long) n * p / pieces);
            int to = (int) ((long) n * (p + 1) / pieces);
            tasks[p - 1] = POOL.submit(new RecursiveAction() {
                @Override
                protected void compute() {
                    body.run(from, to);
                }
            });
        }
        body.run(0, (int) ((long) n / pieces));
        for (ForkJoinTask<?> t : tasks) {
            t.join();
        }
    }
}
