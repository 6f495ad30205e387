package dev.nrt4j.pool;

/**
 * What a {@link ModelPool} has done since it was loaded, counted as Triton counts it. A snapshot:
 * immutable and thread-safe; counters read while requests run may be off by those in flight.
 *
 * @param requestSuccess requests answered with outputs
 * @param requestFailure requests that failed (refused, bad input, or a failed execution)
 * @param inferences rows inferred for callers (a request of {@code b} rows counts {@code b}; padding
 *     does not count)
 * @param executions model executions (one per batch)
 * @param queueNanos time successful requests waited before their execution started, summed
 * @param computeNanos time their executions took, summed over requests
 * @param requestNanos time from {@code run} being called to its return, summed over successful requests
 */
public record PoolStats(
        long requestSuccess,
        long requestFailure,
        long inferences,
        long executions,
        long queueNanos,
        long computeNanos,
        long requestNanos) {}
