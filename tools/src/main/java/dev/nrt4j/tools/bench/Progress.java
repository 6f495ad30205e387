package dev.nrt4j.tools.bench;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The progress bar of a long benchmark, redrawn in place on stderr: only on a terminal (scripts and
 * logs get no carriage-return noise) and only once a run has taken a couple of seconds.
 */
final class Progress {
    private static final int WIDTH = 30;
    private static final long SHOW_AFTER_NANOS = 2_000_000_000L;

    private final PrintWriter err;
    private final long start;
    private final long deadline;
    private final long total;
    private final AtomicLong remaining;
    private final boolean terminal = System.console() != null;
    private boolean shown;

    /** {@code total} executions counted down in {@code remaining}, or 0 to show time until {@code deadline}. */
    Progress(PrintWriter err, long start, long deadline, long total, AtomicLong remaining) {
        this.err = err;
        this.start = start;
        this.deadline = deadline;
        this.total = total;
        this.remaining = remaining;
    }

    void update() {
        long now = System.nanoTime();
        if (!terminal || now - start < SHOW_AFTER_NANOS) {
            return;
        }
        double done = total > 0
                ? 1 - Math.max(0, remaining.get()) / (double) total
                : (now - start) / (double) (deadline - start);
        done = Math.max(0, Math.min(1, done));
        int filled = (int) Math.round(done * WIDTH);
        err.printf(Locale.ROOT, "\r[%s%s] %3.0f%%", "#".repeat(filled), " ".repeat(WIDTH - filled), done * 100);
        err.flush();
        shown = true;
    }

    void finish() {
        if (shown) {
            err.print("\r" + " ".repeat(WIDTH + 8) + "\r");
            err.flush();
        }
    }
}
