package dev.nrt4j.pool;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

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
 * @param busyNanosByCore time each instance spent executing (failed executions included), by the index of
 *     its core, in core order: a core's utilisation is the growth of its entry over wall time
 */
public record PoolStats(
        long requestSuccess,
        long requestFailure,
        long inferences,
        long executions,
        long queueNanos,
        long computeNanos,
        long requestNanos,
        SortedMap<Integer, Long> busyNanosByCore) {
    /**
     * A snapshot; {@code busyNanosByCore} is copied, so that it stays one.
     *
     * @param requestSuccess requests answered with outputs
     * @param requestFailure requests that failed
     * @param inferences rows inferred for callers
     * @param executions model executions
     * @param queueNanos time successful requests waited, summed
     * @param computeNanos time their executions took, summed over requests
     * @param requestNanos time from {@code run} to its return, summed over successful requests
     * @param busyNanosByCore time each instance spent executing, by core; copied, not null
     */
    public PoolStats {
        busyNanosByCore = Collections.unmodifiableSortedMap(new TreeMap<>(busyNanosByCore));
    }
}
