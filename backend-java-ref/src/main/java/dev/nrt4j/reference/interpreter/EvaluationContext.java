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

    EvaluationContext(Evaluator evaluator, long deadlineNanos, int replicaId, int replicaCount) {
        this.evaluator = evaluator;
        this.deadlineNanos = deadlineNanos;
        this.replicaId = replicaId;
        this.replicaCount = replicaCount;
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
     * Fails the execution once its deadline has passed; long kernels call it now and then.
     *
     * @throws NeuronException {@link Status#TIMEOUT}
     */
    public void checkDeadline() {
        if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos > 0) {
            throw new NeuronException(Status.TIMEOUT, "execute on the reference device",
                    "the execution ran past its timeout (NEURON_RT_EXEC_TIMEOUT); raise the timeout or use smaller inputs");
        }
    }
}
