package dev.nrt4j.reference.interpreter;

/**
 * A one-way signal that executions in flight must stop: set once, when the runtime that owns them
 * is closing, and observed at every deadline check of the executions it was handed to
 * ({@link EvaluationContext#checkDeadline()}), which then fail with {@link dev.nrt4j.Status#CLOSED}.
 * Polling a volatile flag, rather than interrupting threads, keeps the worker threads of parallel
 * kernels and the core's own queue usable and lets a cancelled execution unwind through its normal
 * error path. Thread-safe.
 */
public final class Cancellation {
    /** A signal that is never raised, for executions nothing can cancel. */
    public static final Cancellation NEVER = new Cancellation();

    private volatile boolean cancelled;

    /** Raises the signal; later calls do nothing. Executions see it at their next check. */
    public void cancel() {
        if (this != NEVER) {
            cancelled = true;
        }
    }

    /** Whether {@link #cancel()} was called. */
    public boolean isCancelled() {
        return cancelled;
    }
}
