package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.HloComputation;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloOpcode;
import java.util.List;

/**
 * Tuples and control flow: {@code tuple}, {@code get-tuple-element}, {@code call}, {@code fusion},
 * {@code while}, {@code conditional}, and the value-preserving {@code copy}, {@code opt-barrier},
 * {@code add-dependency} and {@code after-all}.
 */
final class ControlFlowOps {
    private ControlFlowOps() {}

    static void registerAll(OpRegistry r) {
        r.register((ins, ops, ctx) -> new TupleValue(ops), HloOpcode.TUPLE);
        r.register((ins, ops, ctx) -> ops.get(0).asTuple().get((int) ins.tupleIndex()), HloOpcode.GET_TUPLE_ELEMENT);
        r.register((ins, ops, ctx) -> ctx.evaluate(only(ins), ops), HloOpcode.CALL, HloOpcode.FUSION);
        r.register(ControlFlowOps::whileLoop, HloOpcode.WHILE);
        r.register(ControlFlowOps::conditional, HloOpcode.CONDITIONAL);
        r.register((ins, ops, ctx) -> ops.get(0), HloOpcode.COPY, HloOpcode.OPT_BARRIER, HloOpcode.ADD_DEPENDENCY);
        r.register((ins, ops, ctx) -> new TupleValue(List.of()), HloOpcode.AFTER_ALL);
    }

    private static HloComputation only(HloInstruction ins) {
        if (ins.calledComputations().size() != 1) {
            throw new IllegalArgumentException(
                    ins.opcode() + " calls " + ins.calledComputations().size() + " computations, not 1");
        }
        return ins.calledComputations().get(0);
    }

    /** XLA lists the body first and the condition second. */
    private static Value whileLoop(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        if (ins.calledComputations().size() != 2) {
            throw new IllegalArgumentException("while needs a body and a condition");
        }
        HloComputation body = ins.calledComputations().get(0);
        HloComputation condition = ins.calledComputations().get(1);
        Value state = ops.get(0);
        while (true) {
            ctx.checkDeadline();
            Array keepGoing = ctx.evaluate(condition, List.of(state)).asArray();
            if (keepGoing.getLong(0) == 0) {
                return state;
            }
            state = ctx.evaluate(body, List.of(state));
        }
    }

    /**
     * A pred selects the true (first) or false (second) branch; an integer index selects that branch,
     * and an index out of range selects the last one, as XLA specifies.
     */
    private static Value conditional(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        Array selector = ops.get(0).asArray();
        List<HloComputation> branches = ins.calledComputations();
        int branch;
        if (selector.type() == dev.nrt4j.hlo.ElementType.PRED) {
            branch = selector.getLong(0) != 0 ? 0 : 1;
        } else {
            long index = selector.getLong(0);
            branch = index < 0 || index >= branches.size() ? branches.size() - 1 : (int) index;
        }
        return ctx.evaluate(branches.get(branch), List.of(ops.get(1 + branch)));
    }
}
