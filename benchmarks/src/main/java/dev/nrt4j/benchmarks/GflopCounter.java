package dev.nrt4j.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Dot FLOPs done by a benchmark's executions, in GFLOP, which JMH reports as a rate: GFLOP/s. Both model
 * benchmarks count with {@link dev.nrt4j.hlo.DotFlops} on the same HLO, so their rates compare.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class GflopCounter {
    public double gflop;
}
