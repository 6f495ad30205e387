package dev.nrt4j.reference.interpreter;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloShape;
import dev.nrt4j.hlo.SourceTargetPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Collectives for an execution with one participant: {@code all-reduce} (and its async
 * {@code -start}/{@code -done} pair), {@code all-gather}, {@code reduce-scatter}, {@code all-to-all},
 * {@code collective-permute}, {@code collective-broadcast}, and the ids {@code replica-id} and
 * {@code partition-id}.
 *
 * <p>With a single participant every group has one member, so each collective returns its
 * operands: a reduction over one contribution, a gather or scatter of one block. A
 * {@code collective-permute} delivers the participant's own value only if a pair sends it to itself;
 * otherwise nothing arrives and the result is zeros, as XLA specifies. Executions with more than one
 * replica need real exchange between cores and are refused.
 */
final class CollectiveOps {
    private CollectiveOps() {
    }

    static void registerAll(OpRegistry r) {
        r.register(CollectiveOps::identity, "all-reduce", "all-reduce-start", "all-gather", "reduce-scatter",
                "all-to-all", "collective-broadcast");
        r.register((ins, ops, ctx) -> ops.get(0), "all-reduce-done");
        r.register(CollectiveOps::collectivePermute, "collective-permute");
        r.register((ins, ops, ctx) -> id(ins, ctx.replicaId()), "replica-id");
        r.register((ins, ops, ctx) -> id(ins, 0), "partition-id");
    }

    /** Refuses executions with more than one replica (there is no one to exchange with yet). */
    private static EvaluationContext singleReplica(HloInstruction ins, EvaluationContext ctx) {
        if (ctx.replicaCount() != 1) {
            throw new NeuronException(Status.INVALID, "execute " + ins.name() + " (" + ins.opcode() + ")",
                    "this program runs on " + ctx.replicaCount() + " replicas; multi-replica programs need the "
                            + "reference device's multi-core loader, which is not available yet");
        }
        return ctx;
    }

    /** The group of this participant must be itself alone. */
    private static void checkGroups(HloInstruction ins, EvaluationContext ctx) {
        singleReplica(ins, ctx);
        List<List<Long>> groups = ins.replicaGroups();
        if (groups.isEmpty()) {
            return;
        }
        for (List<Long> g : groups) {
            if (g.contains((long) ctx.replicaId())) {
                if (g.size() != 1) {
                    throw new IllegalArgumentException("replica group " + g + " has " + g.size()
                            + " participants, but this execution has one replica and one partition");
                }
                return;
            }
        }
        throw new IllegalArgumentException("no replica group " + groups + " contains replica " + ctx.replicaId());
    }

    private static Value identity(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        checkGroups(ins, ctx);
        Value result = ops.size() == 1 ? ops.get(0) : new TupleValue(ops);
        checkShape(ins.shape(), result, ins);
        return result;
    }

    private static Value collectivePermute(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        singleReplica(ins, ctx);
        if (ops.size() != 1) {
            throw new IllegalArgumentException("collective-permute with " + ops.size()
                    + " operands (the in-place form) is not supported; expected one operand");
        }
        long me = ctx.replicaId();
        boolean received = false;
        for (SourceTargetPair p : ins.sourceTargetPairs()) {
            if (p.target() == me) {
                if (received) {
                    throw new IllegalArgumentException("two pairs of " + ins.sourceTargetPairs() + " target replica " + me);
                }
                if (p.source() != me) {
                    throw new IllegalArgumentException("pair " + p + " sends from a replica this single-replica execution does not have");
                }
                received = true;
            }
        }
        Value v = ops.get(0);
        checkShape(ins.shape(), v, ins);
        return received ? v : zerosLike(v);
    }

    private static Value zerosLike(Value v) {
        if (!v.isTuple()) {
            return Array.allocate(v.asArray().shape());
        }
        List<Value> parts = new ArrayList<>();
        for (Value e : v.asTuple().elements()) {
            parts.add(zerosLike(e));
        }
        return new TupleValue(parts);
    }

    /** With one participant the result must look exactly like the operands (no gathered or scattered blocks). */
    private static void checkShape(HloShape shape, Value v, HloInstruction ins) {
        if (shape.isTuple()) {
            if (!v.isTuple() || v.asTuple().elements().size() != shape.tupleShapes().size()) {
                throw new IllegalArgumentException("result " + shape + " does not match the operands");
            }
            for (int i = 0; i < shape.tupleShapes().size(); i++) {
                checkShape(shape.tupleShapes().get(i), v.asTuple().get(i), ins);
            }
            return;
        }
        if (v.isTuple()) {
            throw new IllegalArgumentException("result " + shape + " does not match the tuple operand");
        }
        Array a = v.asArray();
        if (!shape.isArray() || shape.elementType() != a.type() || !Arrays.equals(shape.dims(), a.dims())) {
            throw new IllegalArgumentException("result " + shape + " differs from the operand " + a
                    + ": with one participant " + ins.opcode() + " keeps the operand's shape");
        }
    }

    private static Array id(HloInstruction ins, int value) {
        HloShape s = ins.shape();
        if (!s.isArray() || s.rank() != 0 || s.elementType() != ElementType.U32) {
            throw new IllegalArgumentException(ins.opcode() + " returns u32[], not " + s);
        }
        return Array.wrap(ElementType.U32, new long[0], new int[] {value});
    }
}
