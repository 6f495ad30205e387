package dev.nrt4j.reference.interpreter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs independent tiles of a kernel on up to {@link EvaluationContext#parallelism()} threads: the
 * calling thread plus workers of the common fork-join pool, each taking the next tile from a shared
 * counter so uneven tiles still balance. Tiles write disjoint parts of the output, so the result does
 * not depend on which thread ran which tile. The deadline is checked before every tile.
 */
final class ParallelTiles {
    private ParallelTiles() {}

    /** The body of one tile. */
    @FunctionalInterface
    interface Tile {
        void run(int tile);
    }

    /**
     * Runs {@code body} for every tile in {@code [0, tiles)}.
     *
     * @param work a rough count of multiply-adds, to keep small kernels on the calling thread
     */
    static void run(EvaluationContext ctx, int tiles, long work, Tile body) {
        int threads = (int) Math.min(Math.min(ctx.parallelism(), tiles), Math.max(1, work / 32_768));
        if (threads <= 1) {
            for (int t = 0; t < tiles; t++) {
                ctx.checkDeadline();
                body.run(t);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<RecursiveAction> workers = new ArrayList<>(threads);
        for (int w = 0; w < threads; w++) {
            workers.add(new RecursiveAction() {
                @Override
                protected void compute() {
                    try {
                        for (int t = next.getAndIncrement();
                                t < tiles && failure.get() == null;
                                t = next.getAndIncrement()) {
                            ctx.checkDeadline();
                            body.run(t);
                        }
                    } catch (RuntimeException | Error e) {
                        failure.compareAndSet(null, e);
                    }
                }
            });
        }
        // The first worker runs on the calling thread. Failures are kept and rethrown as they are
        // (fork-join would wrap exceptions from other threads in copies).
        ForkJoinTask.invokeAll(workers);
        Throwable f = failure.get();
        if (f instanceof RuntimeException) {
            throw (RuntimeException) f;
        }
        if (f != null) {
            throw (Error) f;
        }
    }
}
