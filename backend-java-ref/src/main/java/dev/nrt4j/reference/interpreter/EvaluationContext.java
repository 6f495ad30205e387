package dev.nrt4j.reference.interpreter;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.HloComputation;
import java.util.List;

/**
 * What handlers may use beyond their operands: evaluating called computations (reducers, loop
 * bodies, branches), the participant this execution is (for collectives), the deadline, and the
 * parallelism for kernels. One per execution; handlers may call it from their own worker threads.
 */
public final class EvaluationContext {
    private final Evaluator evaluator;
    private final long deadlineNanos;
    private final int replicaId;
    private final int replicaCount;
    private final Rendezvous rendezvous;
    private final long collectiveTimeoutNanos;
    private final Cancellation cancellation;
    private final java.util.concurrent.atomic.AtomicLong collectivesReached =
            new java.util.concurrent.atomic.AtomicLong();

    EvaluationContext(
            Evaluator evaluator,
            long deadlineNanos,
            int replicaId,
            int replicaCount,
            Rendezvous rendezvous,
            long collectiveTimeoutNanos,
            Cancellation cancellation) {
        this.cancellation = cancellation;
        this.evaluator = evaluator;
        this.deadlineNanos = deadlineNanos;
        this.replicaId = replicaId;
        this.replicaCount = replicaCount;
        this.rendezvous = rendezvous;
        this.collectiveTimeoutNanos = collectiveTimeoutNanos;
    }

    /**
     * Exchanges this rank's contribution at the next collective of this execution and returns every
     * rank's contribution, indexed by rank (a list of one for single-replica programs).
     *
     * @throws NeuronException {@link Status#TIMEOUT} or {@link Status#EXEC_HW_ERR_COLLECTIVES} when ranks do not
     *     all arrive, {@link Status#CLOSED} when the runtime closes while this rank waits
     */
    public java.util.List<Value> exchange(dev.nrt4j.hlo.HloInstruction collective, Value contribution) {
        // A rank waits for the others at most the collective timeout, and never past the execution's deadline.
        long deadline = deadlineNanos;
        if (collectiveTimeoutNanos != Long.MAX_VALUE) {
            long wait = System.nanoTime() + collectiveTimeoutNanos;
            if (deadline == Long.MAX_VALUE || wait - deadline < 0) {
                deadline = wait;
            }
        }
        return rendezvous.exchange(
                collectivesReached.getAndIncrement(), replicaId, collective, contribution, deadline, cancellation);
    }

    /** Evaluates a called computation with these arguments. */
    public Value evaluate(HloComputation computation, List<Value> arguments) {
        return evaluator.evaluate(computation, arguments, this);
    }

    /** Which replica this execution is (0 for single-core programs). */
    public int replicaId() {
        return replicaId;
    }

    /** How many replicas execute the program together (1 for single-core programs). */
    public int replicaCount() {
        return replicaCount;
    }

    /** Threads a kernel may use at once. */
    public int parallelism() {
        return evaluator.parallelism();
    }

    /**
     * Fails the execution once its deadline has passed or its runtime is closing; loops and long
     * kernels call it now and then, so both are seen promptly.
     *
     * @throws NeuronException {@link Status#TIMEOUT} past the deadline, {@link Status#CLOSED} once cancelled
     */
    public void checkDeadline() {
        if (cancellation.isCancelled()) {
            throw new NeuronException(
                    Status.CLOSED,
                    "execute on the reference device",
                    "the runtime was closed while this execution was in flight, so it was stopped; close the runtime"
                            + " only after its executions have returned");
        }
        if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos > 0) {
            throw new NeuronException(
                    Status.TIMEOUT,
                    "execute on the reference device",
                    "the execution ran past its timeout (NEURON_RT_EXEC_TIMEOUT); raise the timeout or use smaller inputs");
        }
    }
}
