package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.HloOpcode;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which handler computes which opcode. Each family of operations registers its opcodes here
 * ({@code static void registerAll(OpRegistry)}); {@link #standard()} has every family the reference
 * device implements. What the registry holds is the one answer to "can the reference device run this
 * opcode": {@link Evaluator#unsupportedOperations} and the load-time refusal both ask it. Filled once,
 * then read-only and thread-safe.
 */
public final class OpRegistry {
    private final Map<HloOpcode, OpHandler> handlers = new EnumMap<>(HloOpcode.class);
    /** Whether the elementwise handlers are the standard ones, so that the evaluator may fuse them. */
    private boolean standardElementwise;

    /** The opcodes every registry understands without a handler: the evaluator supplies their values. */
    static final Set<HloOpcode> EVALUATOR_OPCODES =
            Collections.unmodifiableSet(EnumSet.of(HloOpcode.PARAMETER, HloOpcode.CONSTANT));

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
        r.standardElementwise = true;
        return r;
    }

    /**
     * Whether the elementwise and broadcast opcodes have the standard handlers (a registry from {@link #standard()}),
     * whose kernels {@link ElementwiseFusion} runs in their place.
     */
    boolean standardElementwise() {
        return standardElementwise;
    }

    /**
     * Registers a handler for these opcodes.
     *
     * @throws IllegalStateException if an opcode already has one, or is one the evaluator supplies (two
     *     owners of an opcode is a bug)
     */
    public OpRegistry register(OpHandler handler, HloOpcode... opcodes) {
        for (HloOpcode op : opcodes) {
            if (EVALUATOR_OPCODES.contains(op) || handlers.putIfAbsent(op, handler) != null) {
                throw new IllegalStateException("opcode " + op + " is registered twice");
            }
        }
        return this;
    }

    /** The handler of an opcode. */
    public Optional<OpHandler> handler(HloOpcode opcode) {
        return Optional.ofNullable(handlers.get(opcode));
    }

    /** Whether the opcode can be evaluated. */
    public boolean supports(HloOpcode opcode) {
        return EVALUATOR_OPCODES.contains(opcode) || handlers.containsKey(opcode);
    }

    /** The opcodes it can evaluate (with handlers, or supplied by the evaluator), in {@link HloOpcode} order. */
    public Set<HloOpcode> opcodes() {
        Set<HloOpcode> all = EnumSet.copyOf(EVALUATOR_OPCODES);
        all.addAll(handlers.keySet());
        return Collections.unmodifiableSet(all);
    }
}
