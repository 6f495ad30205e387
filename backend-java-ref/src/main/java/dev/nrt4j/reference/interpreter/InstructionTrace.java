package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.HloInstruction;

/**
 * Told of every instruction an {@link Evaluator} executes, nested computations included, with when it
 * started and ended: the profiler's hook. An evaluator without one checks a null per instruction and
 * does nothing else. Implementations must be thread-safe, since executions run at once, and must not
 * throw.
 */
public interface InstructionTrace {
    /**
     * One instruction has run.
     *
     * @param instruction what ran
     * @param replicaId the rank of the execution it ran in
     * @param startNanos {@link System#nanoTime()} before it ran
     * @param endNanos {@link System#nanoTime()} after it ran, at least {@code startNanos}
     */
    void executed(HloInstruction instruction, int replicaId, long startNanos, long endNanos);
}
