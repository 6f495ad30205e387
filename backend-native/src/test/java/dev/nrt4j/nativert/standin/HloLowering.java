package dev.nrt4j.nativert.standin;

import dev.nrt4j.BFloat16;
import dev.nrt4j.Float16;
import dev.nrt4j.ModelSignature;
import dev.nrt4j.NeuronException;
import dev.nrt4j.hlo.DotDimensions;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloComputation;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloLiteral;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import dev.nrt4j.hlo.HloSignature;
import dev.nrt4j.nativert.standin.DoubleProgram.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * Lowers an HLO module's entry computation to a {@link DoubleProgram}: the few operations the libnrt
 * double runs, which are the ones the contract kit's programs use. Inputs and outputs are named by
 * {@link HloSignature}, the one rule both backends name I/O by. Supported:
 * <ul>
 *   <li>{@code parameter} (arrays), scalar {@code constant}, {@code broadcast} of a scalar,
 *       {@code add}, {@code multiply}, {@code copy};
 *   <li>{@code dot} of rank-2 operands with lhs_contracting_dims={1}, rhs_contracting_dims={0}, no batch
 *       dimensions and the operands' element type;
 *   <li>{@code tuple} and {@code get-tuple-element} (a tuple root gives one output per array leaf);
 *   <li>{@code while} whose condition's root is {@code pred[] constant(true)}: a loop that never ends,
 *       lowered to {@code loop-forever} of each leaf of its initial value (its body is never run);
 *   <li>{@code all-reduce} of one array whose reducer is a scalar add, over replica groups that are
 *       empty or one group of every replica, in a module of one partition: {@code all-reduce-sum}, the
 *       program's ranks being the module's replica count.
 * </ul>
 * Element types f32, bf16, f16, s32, s64, s8, u8 and pred, at most {@value DoubleProgram#MAX_RANK}
 * dimensions. Layouts are ignored: runtime tensors are in logical row-major order, as on the reference
 * device. Instructions the root does not depend on are not lowered (a compiler removes dead code);
 * every parameter is, since each is an input of the model. Anything else is {@link Unsupported}.
 * Stateless and thread-safe.
 */
public final class HloLowering {
    /** Why a module cannot be lowered: the first instruction the stand-in has no lowering for. */
    public static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        private final String opcode;
        private final String instruction;
        private final String reason;

        Unsupported(String opcode, String instruction, String reason) {
            super(opcode + " " + instruction + " (" + reason + ")");
            this.opcode = opcode;
            this.instruction = instruction;
            this.reason = reason;
        }

        Unsupported(HloInstruction i, String reason) {
            this(i.opcode().text(), i.name(), reason);
        }

        /** The opcode, or {@code module} for what concerns the whole module. */
        public String opcode() {
            return opcode;
        }

        /** The instruction's name (the module's for {@code module}). */
        public String instruction() {
            return instruction;
        }

        /** Why it cannot be lowered. */
        public String reason() {
            return reason;
        }
    }

    /** A lowered value: an array ({@code %id}) or a tuple of values, as HLO values are. */
    private interface Value {}

    private record Leaf(int id) implements Value {}

    private record Tuple(List<Value> elements) implements Value {}

    private HloLowering() {}

    /**
     * The program for {@code module}.
     *
     * @param source the module's file, for messages
     * @throws Unsupported naming the first instruction (in computation order) that cannot be lowered
     */
    public static DoubleProgram lower(HloModule module, String source) throws Unsupported {
        if (module.partitionCount() != 1) {
            throw new Unsupported(
                    "module",
                    module.name(),
                    "num_partitions=" + module.partitionCount()
                            + "; the stand-in compiles one partition per replica only");
        }
        HloComputation entry = module.entry();
        for (HloInstruction p : entry.parameters()) {
            if (!p.shape().isArray()) {
                throw new Unsupported(p, "a tuple parameter; the runtime passes arrays only");
            }
        }
        ModelSignature signature;
        try {
            signature = HloSignature.of(entry, source);
        } catch (NeuronException e) {
            throw new Unsupported("module", module.name(), e.getMessage());
        }
        DoubleProgram program =
                new DoubleProgram("lowered from HLO module " + module.name() + " by nrt4j's stand-in neuronx-cc");
        if (module.replicaCount() > 1) {
            program.ranks(module.replicaCount());
        }
        Set<HloInstruction> needed = reachable(entry.root());
        Map<HloInstruction, Value> values = new IdentityHashMap<>();
        for (HloInstruction i : entry.instructions()) {
            if (i.opcode() == HloOpcode.PARAMETER || needed.contains(i)) {
                values.put(i, lowerOne(i, module, signature, program, values));
            }
        }
        List<Integer> leaves = new ArrayList<>();
        flatten(values.get(entry.root()), leaves);
        if (leaves.size() != signature.outputs().size()) {
            // Both walk the result depth-first; a difference is a lowering bug, not a module problem.
            throw new IllegalStateException(
                    leaves.size() + " result leaves but " + signature.outputs().size() + " outputs");
        }
        for (int j = 0; j < leaves.size(); j++) {
            program.output(signature.outputs().get(j).name(), leaves.get(j));
        }
        return program;
    }

    private static Value lowerOne(
            HloInstruction i,
            HloModule module,
            ModelSignature signature,
            DoubleProgram p,
            Map<HloInstruction, Value> values)
            throws Unsupported {
        switch (i.opcode()) {
            case PARAMETER: {
                DType t = type(i, i.shape());
                String name = signature
                        .inputs()
                        .get(module.entry().parameters().indexOf(i))
                        .name();
                return new Leaf(p.input(name, t, i.shape().dims()));
            }
            case CONSTANT:
                return new Leaf(p.constant(type(i, i.shape()), scalarText(i)));
            case BROADCAST: {
                HloShape in = i.operand(0).shape();
                if (!in.isArray() || in.rank() != 0) {
                    throw new Unsupported(i, "broadcast of " + in + "; the stand-in broadcasts scalars only");
                }
                type(i, i.shape());
                return new Leaf(p.broadcast(leaf(i, values, 0), dims(i, i.shape())));
            }
            case ADD:
            case MULTIPLY: {
                type(i, i.shape());
                for (HloInstruction o : i.operands()) {
                    if (!o.shape().sameDimensionsAndType(i.shape())) {
                        throw new Unsupported(
                                i, "operand " + o.name() + " is " + o.shape() + ", the result " + i.shape());
                    }
                }
                int a = leaf(i, values, 0);
                int b = leaf(i, values, 1);
                return new Leaf(i.opcode() == HloOpcode.ADD ? p.add(a, b) : p.multiply(a, b));
            }
            case COPY:
                if (!i.shape().isArray()) {
                    throw new Unsupported(i, "a copy of a tuple");
                }
                type(i, i.shape());
                return new Leaf(p.copy(leaf(i, values, 0)));
            case DOT:
                return new Leaf(dot(i, p, values));
            case TUPLE: {
                List<Value> elements = new ArrayList<>();
                for (HloInstruction o : i.operands()) {
                    elements.add(values.get(o));
                }
                return new Tuple(elements);
            }
            case GET_TUPLE_ELEMENT: {
                Value t = values.get(i.operand(0));
                if (!(t instanceof Tuple)
                        || i.tupleIndex() < 0
                        || i.tupleIndex() >= ((Tuple) t).elements().size()) {
                    throw new Unsupported(
                            i,
                            "index " + i.tupleIndex() + " of " + i.operand(0).name() + ", which has no such element");
                }
                return ((Tuple) t).elements().get((int) i.tupleIndex());
            }
            case WHILE: {
                HloComputation condition = i.calledComputations().get(1);
                if (!alwaysTrue(condition.root())) {
                    throw new Unsupported(
                            i,
                            "its condition " + condition.name() + " is not pred[] constant(true); the stand-in"
                                    + " lowers only loops that never end");
                }
                return map(values.get(i.operand(0)), p::loopForever);
            }
            case ALL_REDUCE:
                return new Leaf(allReduce(i, module, p, values));
            default:
                throw new Unsupported(i, "the stand-in has no lowering for this operation");
        }
    }

    private static int dot(HloInstruction i, DoubleProgram p, Map<HloInstruction, Value> values) throws Unsupported {
        HloShape lhs = i.operand(0).shape();
        HloShape rhs = i.operand(1).shape();
        DotDimensions d = i.dotDimensions().orElseThrow(() -> new Unsupported(i, "no dot dimension numbers"));
        if (!lhs.isArray() || !rhs.isArray() || lhs.rank() != 2 || rhs.rank() != 2) {
            throw new Unsupported(
                    i, "operands " + lhs + " and " + rhs + "; the stand-in multiplies rank-2 matrices only");
        }
        if (!d.lhsContracting().equals(List.of(1))
                || !d.rhsContracting().equals(List.of(0))
                || !d.lhsBatch().isEmpty()
                || !d.rhsBatch().isEmpty()) {
            throw new Unsupported(
                    i,
                    "lhs_contracting_dims=" + d.lhsContracting() + " rhs_contracting_dims="
                            + d.rhsContracting() + " lhs_batch_dims=" + d.lhsBatch() + " rhs_batch_dims=" + d.rhsBatch()
                            + "; the stand-in lowers only [m,k]x[k,n] (contracting {1} and {0}, no batch)");
        }
        if (lhs.elementType() != rhs.elementType() || i.shape().elementType() != lhs.elementType()) {
            throw new Unsupported(
                    i,
                    lhs.elementType().textName() + " x " + rhs.elementType().textName() + " -> "
                            + i.shape().elementType().textName()
                            + "; the stand-in's dot keeps the operands' element type");
        }
        type(i, i.shape());
        return p.dot(leaf(i, values, 0), leaf(i, values, 1));
    }

    private static int allReduce(HloInstruction i, HloModule module, DoubleProgram p, Map<HloInstruction, Value> values)
            throws Unsupported {
        if (i.operands().size() != 1 || !i.shape().isArray()) {
            throw new Unsupported(
                    i,
                    i.operands().size() + " operands of shape " + i.shape()
                            + "; the stand-in reduces one array per all-reduce");
        }
        HloComputation reducer = i.calledComputations().get(0);
        if (!isScalarAdd(reducer)) {
            throw new Unsupported(
                    i,
                    "its to_apply " + reducer.name() + " is not an add of its two scalar parameters;"
                            + " the stand-in lowers sums only");
        }
        int replicas = module.replicaCount();
        List<List<Long>> groups = i.replicaGroups();
        if (!groups.isEmpty()) {
            List<Long> all = new ArrayList<>();
            for (long r = 0; r < replicas; r++) {
                all.add(r);
            }
            List<Long> group = new ArrayList<>(groups.size() == 1 ? groups.get(0) : List.of());
            Collections.sort(group);
            if (!group.equals(all)) {
                throw new Unsupported(
                        i,
                        "replica_groups=" + groups + " with replica_count=" + replicas
                                + "; the stand-in reduces over all replicas in one group only");
            }
        }
        type(i, i.shape());
        return p.allReduceSum(leaf(i, values, 0));
    }

    private static boolean isScalarAdd(HloComputation c) {
        HloInstruction root = c.root();
        if (root.opcode() != HloOpcode.ADD
                || c.parameters().size() != 2
                || !root.shape().isArray()
                || root.shape().rank() != 0) {
            return false;
        }
        HloInstruction a = root.operand(0);
        HloInstruction b = root.operand(1);
        return a.opcode() == HloOpcode.PARAMETER && b.opcode() == HloOpcode.PARAMETER && a != b;
    }

    private static boolean alwaysTrue(HloInstruction root) {
        if (root.opcode() != HloOpcode.CONSTANT
                || !root.shape().isArray()
                || root.shape().rank() != 0
                || root.shape().elementType() != ElementType.PRED) {
            return false;
        }
        return root.literal().map(l -> l.toByteArray()[0] != 0).orElse(false);
    }

    /** The literal of a scalar constant as program text. */
    private static String scalarText(HloInstruction i) throws Unsupported {
        HloShape s = i.shape();
        if (!s.isArray() || s.rank() != 0) {
            throw new Unsupported(i, "a constant of shape " + s + "; the stand-in lowers scalar constants only");
        }
        HloLiteral literal = i.literal().orElseThrow(() -> new Unsupported(i, "a constant without a literal"));
        ByteBuffer b = literal.data().order(ByteOrder.LITTLE_ENDIAN);
        switch (type(i, s)) {
            case F32:
                return floatText(b.getFloat(0));
            case BF16:
                return floatText(BFloat16.toFloat(b.getShort(0)));
            case F16:
                return floatText(Float16.toFloat(b.getShort(0)));
            case S32:
                return Integer.toString(b.getInt(0));
            case S64:
                return Long.toString(b.getLong(0));
            case S8:
                return Integer.toString(b.get(0));
            case U8:
                return Integer.toString(b.get(0) & 0xff);
            case PRED:
                return b.get(0) != 0 ? "1" : "0";
            default:
                throw new IllegalStateException("no constant text for " + s);
        }
    }

    /** Exact text strtod reads back to the same float: a C hex float, or inf / nan. */
    static String floatText(float f) {
        if (Float.isNaN(f)) {
            return "nan";
        }
        if (Float.isInfinite(f)) {
            return f > 0 ? "inf" : "-inf";
        }
        return Float.toHexString(f);
    }

    private static DType type(HloInstruction i, HloShape s) throws Unsupported {
        if (!s.isArray()) {
            throw new Unsupported(i, "its shape " + s + " is not an array");
        }
        if (s.rank() > DoubleProgram.MAX_RANK) {
            throw new Unsupported(
                    i, s.rank() + " dimensions; the double's programs have at most " + DoubleProgram.MAX_RANK);
        }
        return DType.of(s.elementType())
                .orElseThrow(() -> new Unsupported(
                        i,
                        "element type " + s.elementType().textName()
                                + "; the double computes in f32 bf16 f16 s32 s64 s8 u8 pred only"));
    }

    private static long[] dims(HloInstruction i, HloShape s) throws Unsupported {
        type(i, s);
        return s.dims();
    }

    private static int leaf(HloInstruction i, Map<HloInstruction, Value> values, int operand) throws Unsupported {
        Value v = values.get(i.operand(operand));
        if (!(v instanceof Leaf)) {
            throw new Unsupported(i, "operand " + i.operand(operand).name() + " is a tuple");
        }
        return ((Leaf) v).id();
    }

    private static Value map(Value v, IntUnaryOperator f) {
        if (v instanceof Leaf) {
            return new Leaf(f.applyAsInt(((Leaf) v).id()));
        }
        List<Value> out = new ArrayList<>();
        for (Value e : ((Tuple) v).elements()) {
            out.add(map(e, f));
        }
        return new Tuple(out);
    }

    private static void flatten(Value v, List<Integer> leaves) {
        if (v instanceof Leaf) {
            leaves.add(((Leaf) v).id());
        } else {
            for (Value e : ((Tuple) v).elements()) {
                flatten(e, leaves);
            }
        }
    }

    /** The instructions {@code root} depends on, itself included (iteratively: graphs can be deep). */
    private static Set<HloInstruction> reachable(HloInstruction root) {
        Set<HloInstruction> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<HloInstruction> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            HloInstruction i = todo.pop();
            if (seen.add(i)) {
                i.operands().forEach(todo::push);
            }
        }
        return seen;
    }
}
