package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.HloInstruction;
import java.util.List;

/**
 * Where the ranks of a multi-replica program meet at each collective: every rank executes the same
 * program, so the n-th collective a rank reaches is the n-th collective of every other rank, and
 * {@code sequence} (counted per execution by the {@link EvaluationContext}) names the meeting.
 * Implementations are shared by the ranks' executions and must be thread-safe.
 */
public interface Rendezvous {
    /**
     * Contributes this rank's value to collective number {@code sequence} and returns every rank's
     * contribution, indexed by rank, once all have arrived.
     *
     * @param deadlineNanos {@link System#nanoTime()} by which all ranks must have arrived
     * @throws dev.nrt4j.NeuronException {@link dev.nrt4j.Status#TIMEOUT} when a rank never arrives (the
     *     others then fail too, with {@link dev.nrt4j.Status#EXEC_HW_ERR_COLLECTIVES}), never a hang
     */
    List<Value> exchange(long sequence, int rank, HloInstruction collective, Value contribution, long deadlineNanos);

    /**
     * As {@link #exchange(long, int, HloInstruction, Value, long)}, but a rank that is waiting stops
     * once {@code cancellation} is raised. By default the signal is not watched, which suits
     * rendezvous that never wait.
     *
     * @throws dev.nrt4j.NeuronException as the other overload, and {@link dev.nrt4j.Status#CLOSED} once cancelled
     */
    default List<Value> exchange(
            long sequence,
            int rank,
            HloInstruction collective,
            Value contribution,
            long deadlineNanos,
            Cancellation cancellation) {
        return exchange(sequence, rank, collective, contribution, deadlineNanos);
    }

    /** The rendezvous of a program that runs on one replica: only that rank ever arrives. */
    Rendezvous SINGLE = (sequence, rank, collective, contribution, deadline) -> List.of(contribution);
}
