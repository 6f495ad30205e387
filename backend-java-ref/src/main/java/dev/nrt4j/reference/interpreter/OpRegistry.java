package dev.nrt4j.reference.interpreter;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which handler computes which opcode. Each family of operations registers its opcodes here
 * ({@code static void registerAll(OpRegistry)}); {@link #standard()} has every family the reference
 * device implements. Filled once, then read-only and thread-safe.
 */
public final class OpRegistry {
    private final Map<String, OpHandler> handlers = new HashMap<>();

    /** The opcodes every registry understands without a handler: the evaluator supplies their values. */
    static final Set<String> EVALUATOR_OPCODES = Set.of("parameter", "constant");

    /** Every operation the reference device implements. */
    public static OpRegistry standard() {
        OpRegistry r = new OpRegistry();
        ControlFlowOps.registerAll(r);
        DotOps.registerAll(r);
        ConvolutionOps.registerAll(r);
        LinearAlgebraOps.registerAll(r);
        FftOps.registerAll(r);
        ShapeOps.registerAll(r);
        GatherScatterOps.registerAll(r);
        SortOps.registerAll(r);
        ElementwiseOps.registerAll(r);
        ReduceOps.registerAll(r);
        RngOps.registerAll(r);
        CollectiveOps.registerAll(r);
        CustomCallOps.registerAll(r);
        return r;
    }

    /**
     * Registers a handler for these opcodes.
     *
     * @throws IllegalStateException if an opcode already has one (two families claiming it is a bug)
     */
    public OpRegistry register(OpHandler handler, String... opcodes) {
        for (String op : opcodes) {
            if (handlers.putIfAbsent(op, handler) != null) {
                throw new IllegalStateException("opcode " + op + " is registered twice");
            }
        }
        return this;
    }

    /** The handler of an opcode. */
    public Optional<OpHandler> handler(String opcode) {
        return Optional.ofNullable(handlers.get(opcode));
    }

    /** Whether the opcode can be evaluated. */
    public boolean supports(String opcode) {
        return EVALUATOR_OPCODES.contains(opcode) || handlers.containsKey(opcode);
    }

    /** The opcodes with handlers, sorted. */
    public Set<String> opcodes() {
        Set<String> all = new TreeSet<>(handlers.keySet());
        all.addAll(EVALUATOR_OPCODES);
        return all;
    }
}
