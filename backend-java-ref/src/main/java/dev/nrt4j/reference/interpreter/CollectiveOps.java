package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloComputation;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import dev.nrt4j.hlo.SourceTargetPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

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
 * replica exchange contributions through the execution's {@link Rendezvous} ({@link MultiReplica}).
 */
final class CollectiveOps {
    private CollectiveOps() {}

    static void registerAll(OpRegistry r) {
        r.register(
                CollectiveOps::collective,
                HloOpcode.ALL_REDUCE,
                HloOpcode.ALL_REDUCE_START,
                HloOpcode.ALL_GATHER,
                HloOpcode.REDUCE_SCATTER,
                HloOpcode.ALL_TO_ALL,
                HloOpcode.COLLECTIVE_BROADCAST);
        r.register((ins, ops, ctx) -> ops.get(0), HloOpcode.ALL_REDUCE_DONE);
        r.register(
                (ins, ops, ctx) -> ctx.replicaCount() > 1
                        ? MultiReplica.collectivePermute(ins, ops, ctx)
                        : collectivePermute(ins, ops, ctx),
                HloOpcode.COLLECTIVE_PERMUTE);
        r.register((ins, ops, ctx) -> id(ins, ctx.replicaId()), HloOpcode.REPLICA_ID);
        r.register((ins, ops, ctx) -> id(ins, 0), HloOpcode.PARTITION_ID);
    }

    /** Guards the single-replica paths; multi-replica executions go to {@link MultiReplica}. */
    private static EvaluationContext singleReplica(HloInstruction ins, EvaluationContext ctx) {
        if (ctx.replicaCount() != 1) {
            // The dispatch sends multi-replica executions elsewhere; reaching this is a bug, not bad input.
            throw new IllegalStateException(
                    ins.opcode() + " took the single-replica path with " + ctx.replicaCount() + " replicas");
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

    private static Value collective(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        return ctx.replicaCount() > 1 ? MultiReplica.collective(ins, ops, ctx) : identity(ins, ops, ctx);
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
                    throw new IllegalArgumentException(
                            "two pairs of " + ins.sourceTargetPairs() + " target replica " + me);
                }
                if (p.source() != me) {
                    throw new IllegalArgumentException(
                            "pair " + p + " sends from a replica this single-replica execution does not have");
                }
                received = true;
            }
        }
        Value v = ops.get(0);
        checkShape(ins.shape(), v, ins);
        return received ? v : zerosLike(v);
    }

    static Value zerosLike(Value v) {
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
            if (!v.isTuple()
                    || v.asTuple().elements().size() != shape.tupleShapes().size()) {
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

    /**
     * Collectives of an execution with more than one replica. Each rank contributes its operands to
     * the rendezvous once per collective instruction it executes, even when its group holds only
     * itself, so that every rank counts the same collectives and their sequence numbers agree.
     *
     * <p>Every replica has one partition, so replica ids, and flattened ids
     * ({@code replica * partitions + partition}), are the same numbers: all group modes read the
     * groups as replica ids. An empty {@code replica_groups} is one group of all replicas in order.
     */
    static final class MultiReplica {
        private MultiReplica() {}

        static Value collective(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
            List<Integer> group = group(ins, ctx);
            int me = group.indexOf(ctx.replicaId());
            List<Value> all = exchange(ins, ops.size() == 1 ? ops.get(0) : new TupleValue(ops), ctx);
            List<List<Array>> members = new ArrayList<>(group.size());
            for (int r : group) {
                members.add(arrays(all.get(r), ops.size(), r));
            }
            List<Array> out = new ArrayList<>(ops.size());
            switch (ins.opcode()) {
                case ALL_REDUCE:
                case ALL_REDUCE_START:
                    for (int i = 0; i < ops.size(); i++) {
                        out.add(reduce(ins, operand(members, i), ctx));
                    }
                    break;
                case ALL_GATHER:
                    for (int i = 0; i < ops.size(); i++) {
                        out.add(concatenate(operand(members, i), dimension(ins)));
                    }
                    break;
                case REDUCE_SCATTER:
                    for (int i = 0; i < ops.size(); i++) {
                        out.add(block(reduce(ins, operand(members, i), ctx), dimension(ins), me, group.size()));
                    }
                    break;
                case ALL_TO_ALL:
                    out.addAll(allToAll(ins, members, me));
                    break;
                case COLLECTIVE_BROADCAST:
                    out.addAll(members.get(0));
                    break;
                default:
                    throw new IllegalArgumentException("no multi-replica form of " + ins.opcode());
            }
            Value result = out.size() == 1 ? out.get(0) : new TupleValue(new ArrayList<>(out));
            requireShape(ins, result);
            return result;
        }

        static Value collectivePermute(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
            if (ops.size() != 1) {
                throw new IllegalArgumentException("collective-permute with " + ops.size()
                        + " operands (the in-place form) is not supported; expected one operand");
            }
            int n = ctx.replicaCount();
            long me = ctx.replicaId();
            long source = -1;
            boolean[] sends = new boolean[n];
            boolean[] receives = new boolean[n];
            for (SourceTargetPair p : ins.sourceTargetPairs()) {
                if (p.source() < 0 || p.source() >= n || p.target() < 0 || p.target() >= n) {
                    throw new IllegalArgumentException("pair " + p + " names a replica outside [0, " + n + ")");
                }
                if (sends[(int) p.source()] || receives[(int) p.target()]) {
                    throw new IllegalArgumentException(
                            "pairs " + ins.sourceTargetPairs() + " send from or to a replica twice");
                }
                sends[(int) p.source()] = true;
                receives[(int) p.target()] = true;
                if (p.target() == me) {
                    source = p.source();
                }
            }
            Value mine = ops.get(0);
            List<Value> all = exchange(ins, mine, ctx);
            Value result = source < 0 ? zerosLike(mine) : all.get((int) source);
            requireShape(ins, result);
            return result;
        }

        /** This replica's group, as replica ids in group order. */
        private static List<Integer> group(HloInstruction ins, EvaluationContext ctx) {
            int n = ctx.replicaCount();
            List<List<Long>> groups = ins.replicaGroups();
            List<Integer> mine = null;
            if (groups.isEmpty()) {
                mine = new ArrayList<>(n);
                for (int r = 0; r < n; r++) {
                    mine.add(r);
                }
                return mine;
            }
            boolean[] seen = new boolean[n];
            for (List<Long> g : groups) {
                List<Integer> ids = new ArrayList<>(g.size());
                for (long id : g) {
                    if (id < 0 || id >= n) {
                        throw new IllegalArgumentException(
                                "replica group " + g + " names replica " + id + ", outside [0, " + n + ")");
                    }
                    if (seen[(int) id]) {
                        throw new IllegalArgumentException("replica " + id + " is in more than one place of " + groups);
                    }
                    seen[(int) id] = true;
                    ids.add((int) id);
                }
                if (ids.contains(ctx.replicaId())) {
                    mine = ids;
                }
            }
            if (mine == null) {
                throw new IllegalArgumentException(
                        "no replica group " + groups + " contains replica " + ctx.replicaId());
            }
            return mine;
        }

        private static List<Value> exchange(HloInstruction ins, Value mine, EvaluationContext ctx) {
            List<Value> all = ctx.exchange(ins, mine);
            if (all.size() != ctx.replicaCount()) {
                throw new IllegalArgumentException("this program runs on " + ctx.replicaCount() + " replicas but its "
                        + "rendezvous brought " + all.size()
                        + " contribution(s); multi-replica programs run through the "
                        + "reference device's multi-core loader, which shares one rendezvous of that many ranks");
            }
            return all;
        }

        private static List<Array> arrays(Value v, int count, int rank) {
            List<Array> out = new ArrayList<>(count);
            if (count == 1) {
                out.add(v.asArray());
            } else {
                if (!v.isTuple() || v.asTuple().elements().size() != count) {
                    throw new IllegalArgumentException(
                            "replica " + rank + " contributed " + v + ", not " + count + " operands");
                }
                for (Value e : v.asTuple().elements()) {
                    out.add(e.asArray());
                }
            }
            return out;
        }

        private static List<Array> operand(List<List<Array>> members, int i) {
            List<Array> out = new ArrayList<>(members.size());
            for (List<Array> m : members) {
                out.add(m.get(i));
            }
            return out;
        }

        private static int dimension(HloInstruction ins) {
            if (ins.dimensions().size() != 1) {
                throw new IllegalArgumentException(ins.opcode() + " needs one dimension, not " + ins.dimensions());
            }
            return Math.toIntExact(ins.dimensions().get(0));
        }

        private static void sameShapes(List<Array> parts) {
            Array first = parts.get(0);
            for (Array a : parts) {
                if (a.type() != first.type() || !Arrays.equals(a.dims(), first.dims())) {
                    throw new IllegalArgumentException("replicas contribute " + first + " and " + a
                            + "; the operands of a collective must agree in shape");
                }
            }
        }

        /**
         * Folds the contributions in group order with {@code to_apply}: the typed combiner steps for
         * reducers it recognizes (so bf16/f16 round after every step, as the evaluator's reduce does),
         * a scalar call of the computation per element otherwise.
         */
        private static Array reduce(HloInstruction ins, List<Array> parts, EvaluationContext ctx) {
            sameShapes(parts);
            if (ins.calledComputations().size() != 1) {
                throw new IllegalArgumentException(ins.opcode() + " needs one to_apply computation");
            }
            HloComputation f = ins.calledComputations().get(0);
            Array first = parts.get(0);
            int n = first.size();
            Array out = Array.allocate(first.type(), first.dims());
            Array.copy(first, 0, out, 0, n);
            Optional<BinaryCombiner> combiner = BinaryCombiner.recognize(f, first.type());
            if (combiner.isPresent()) {
                BinaryCombiner c = combiner.get();
                for (int k = 1; k < parts.size(); k++) {
                    Array x = parts.get(k);
                    for (int j = 0; j < n; j++) {
                        c.combine(out, j, x, j, out, j);
                    }
                }
                return out;
            }
            for (int j = 0; j < n; j++) {
                Array acc = ScalarCalls.scalarAt(first, j);
                for (int k = 1; k < parts.size(); k++) {
                    acc = ScalarCalls.results(
                                    ctx.evaluate(f, List.of(acc, ScalarCalls.scalarAt(parts.get(k), j))), 1, f)
                            .get(0);
                }
                ScalarCalls.store(acc, out, j);
            }
            return out;
        }

        private static int inner(long[] dims, int d) {
            long p = 1;
            for (int i = d + 1; i < dims.length; i++) {
                p *= dims[i];
            }
            return Math.toIntExact(p);
        }

        private static int outer(long[] dims, int d) {
            long p = 1;
            for (int i = 0; i < d; i++) {
                p *= dims[i];
            }
            return Math.toIntExact(p);
        }

        /** The parts joined along {@code d} in order; all other dimensions must agree. */
        static Array concatenate(List<Array> parts, int d) {
            Array first = parts.get(0);
            if (d < 0 || d >= first.rank()) {
                throw new IllegalArgumentException("dimension " + d + " is outside the rank of " + first);
            }
            long[] dims = first.dims().clone();
            long total = 0;
            for (Array a : parts) {
                long[] ad = a.dims().clone();
                ad[d] = dims[d];
                if (a.type() != first.type() || !Arrays.equals(ad, dims)) {
                    throw new IllegalArgumentException(
                            "replicas contribute " + first + " and " + a + ", which do not join along dimension " + d);
                }
                total += a.dim(d);
            }
            dims[d] = total;
            Array out = Array.allocate(first.type(), dims);
            int inner = inner(dims, d);
            int outer = outer(dims, d);
            long offset = 0;
            for (Array a : parts) {
                int len = Math.toIntExact(a.dim(d) * inner);
                for (int o = 0; o < outer; o++) {
                    Array.copy(a, o * len, out, Math.toIntExact((o * total + offset) * inner), len);
                }
                offset += a.dim(d);
            }
            return out;
        }

        /** Block {@code k} of {@code count} equal blocks of {@code a} along {@code d}. */
        static Array block(Array a, int d, int k, int count) {
            if (d < 0 || d >= a.rank() || a.dim(d) % count != 0) {
                throw new IllegalArgumentException(
                        "dimension " + d + " of " + a + " does not split into " + count + " blocks");
            }
            long size = a.dim(d) / count;
            long[] dims = a.dims().clone();
            dims[d] = size;
            Array out = Array.allocate(a.type(), dims);
            int inner = inner(dims, d);
            int outer = outer(dims, d);
            int len = Math.toIntExact(size * inner);
            for (int o = 0; o < outer; o++) {
                Array.copy(a, Math.toIntExact((o * a.dim(d) + k * size) * inner), out, o * len, len);
            }
            return out;
        }

        /**
         * With {@code dimensions={d}} (one array operand) member j receives block j of everyone's
         * operand along d and joins them in group order; without dimensions (one operand per member)
         * member j receives everyone's operand j, in group order.
         */
        private static List<Array> allToAll(HloInstruction ins, List<List<Array>> members, int me) {
            int g = members.size();
            List<Array> received = new ArrayList<>(g);
            if (!ins.dimensions().isEmpty()) {
                int d = dimension(ins);
                if (members.get(0).size() != 1) {
                    throw new IllegalArgumentException("all-to-all with a split dimension takes one operand");
                }
                for (List<Array> m : members) {
                    received.add(block(m.get(0), d, me, g));
                }
                return List.of(concatenate(received, d));
            }
            if (members.get(0).size() != g) {
                throw new IllegalArgumentException("all-to-all without dimensions takes one operand per group member ("
                        + g + "), not " + members.get(0).size());
            }
            for (List<Array> m : members) {
                received.add(m.get(me));
            }
            return received;
        }

        private static void requireShape(HloInstruction ins, Value v) {
            if (!matches(ins.shape(), v)) {
                throw new IllegalArgumentException("the result of " + ins.opcode() + " is " + v
                        + ", but the instruction " + "declares " + ins.shape());
            }
        }

        private static boolean matches(HloShape shape, Value v) {
            if (shape.isTuple()) {
                if (!v.isTuple()
                        || v.asTuple().elements().size() != shape.tupleShapes().size()) {
                    return false;
                }
                for (int i = 0; i < shape.tupleShapes().size(); i++) {
                    if (!matches(shape.tupleShapes().get(i), v.asTuple().get(i))) {
                        return false;
                    }
                }
                return true;
            }
            return !v.isTuple()
                    && shape.isArray()
                    && shape.elementType() == v.asArray().type()
                    && Arrays.equals(shape.dims(), v.asArray().dims());
        }
    }
}
