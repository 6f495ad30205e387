package dev.nrt4j;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Options for one {@link Model#executeAsync(TensorSet, TensorSet, ExecuteOptions) asynchronous
 * execution}: for now, a deadline. Immutable and thread-safe.
 */
public final class ExecuteOptions {
    private static final ExecuteOptions DEFAULTS = new ExecuteOptions(null);

    private final Duration timeout;

    private ExecuteOptions(Duration timeout) {
        this.timeout = timeout;
    }

    /** {@return options with no deadline of their own (the runtime's execution timeout still applies); shared} */
    public static ExecuteOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A deadline counted from the call to {@code executeAsync}. When it passes before the request
     * completes, the future completes exceptionally with {@link Status#TIMEOUT}: a request that has not
     * started by then never runs; one that is running keeps running on the device to its end (the
     * runtime's own execution timeout still bounds it) and may still write its outputs, and the next
     * request on the core starts after it.
     *
     * @param timeout how long the caller is prepared to wait; positive, not null
     * @return new options with that deadline
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public ExecuteOptions withTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("the execution deadline must be positive, got " + timeout);
        }
        return new ExecuteOptions(timeout);
    }

    /** {@return the deadline, counted from submission; empty when there is none} */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    @Override
    public String toString() {
        return "ExecuteOptions[timeout=" + (timeout == null ? "none" : timeout) + "]";
    }
}
