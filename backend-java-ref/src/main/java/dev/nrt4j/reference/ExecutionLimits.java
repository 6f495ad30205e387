package dev.nrt4j.reference;

import dev.nrt4j.device.NeuronChip;
import dev.nrt4j.reference.interpreter.Cancellation;
import java.time.Duration;

/**
 * What bounds every execution of one reference runtime: how long it may run, how long a rank waits
 * for the others at a collective, and the signal that stops it when the runtime closes. Immutable
 * apart from the cancellation signal; thread-safe.
 */
final class ExecutionLimits {
    /** How long a rank waits for the others at a collective when the user set no execution timeout. */
    static final Duration DEFAULT_COLLECTIVE_TIMEOUT = Duration.ofSeconds(30);

    private final long timeoutNanos;
    private final long collectiveTimeoutNanos;
    /**
     * Made by the first execution (or cancel): a runtime that never executes, as in {@code nrt4j info},
     * then loads nothing of the interpreter.
     */
    private Cancellation cancellation;

    private boolean cancelled;

    private ExecutionLimits(long timeoutNanos, long collectiveTimeoutNanos) {
        this.timeoutNanos = timeoutNanos;
        this.collectiveTimeoutNanos = collectiveTimeoutNanos;
    }

    /**
     * The limits for a runtime on {@code chip}: {@code explicit} when the user set a timeout, else
     * libnrt's default for the chip ({@link DefaultExecTimeout}). Collectives wait the explicit timeout,
     * or {@link #DEFAULT_COLLECTIVE_TIMEOUT} without one, so a missing rank is reported in seconds, not minutes.
     */
    static ExecutionLimits of(Duration explicit, NeuronChip chip) {
        Duration timeout = explicit != null ? explicit : DefaultExecTimeout.of(chip);
        Duration collective = explicit != null ? explicit : DEFAULT_COLLECTIVE_TIMEOUT;
        return new ExecutionLimits(timeout.toNanos(), collective.toNanos());
    }

    /** How long one execution may run, in nanoseconds. */
    long timeoutNanos() {
        return timeoutNanos;
    }

    /** How long a rank waits at one collective, in nanoseconds. */
    long collectiveTimeoutNanos() {
        return collectiveTimeoutNanos;
    }

    /** The signal raised when the runtime closes. */
    synchronized Cancellation cancellation() {
        if (cancellation == null) {
            cancellation = new Cancellation();
            if (cancelled) {
                cancellation.cancel();
            }
        }
        return cancellation;
    }

    /** Raises the signal: executions in flight stop at their next check, later ones at their first. */
    synchronized void cancel() {
        cancelled = true;
        if (cancellation != null) {
            cancellation.cancel();
        }
    }
}
