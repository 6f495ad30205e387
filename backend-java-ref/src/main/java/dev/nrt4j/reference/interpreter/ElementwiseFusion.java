package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloComputation;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The evaluator's plan step that runs a chain of elementwise instructions feeding only each other as one pass over
 * the elements, block by block, instead of one full-size array per instruction. It is not a compiler: each member
 * runs the very kernel its handler runs ({@link ElementwiseOps#f32}, {@link UnaryOps#f32}, and {@code broadcast}'s
 * element copy), on a block of the same elements, in the computation's order; a bf16 or f16 member's block is
 * rounded to its type after its kernel, as the handler's store and its user's load do. So every element gets the
 * same operations in the same order with the same rounding as evaluating instruction by instruction (XLA's
 * evaluator order): the same bits, with the intermediate values kept in cache.
 *
 * <p>A group is made of instructions of one type among f32, bf16 and f16, all of one array shape of at least
 * {@link #MIN_ELEMENTS} elements: the float arithmetic binary ops, the float unary ops ({@link UnaryOps#onFloats}),
 * and {@code broadcast}s into that shape. Every member but the group's root has all its users in the group and is
 * not the computation's root; only groups of two or more instructions are fused. Operands from outside the group
 * are read as they are. Instances are immutable and thread-safe.
 */
final class ElementwiseFusion {
    /** Smaller arrays (reducer bodies, loop counters) run instruction by instruction: blocks would cost more. */
    static final int MIN_ELEMENTS = 1024;

    private static final int BINARY = 0;
    private static final int UNARY = 1;
    private static final int BROADCAST = 2;

    /** What the plan found for a computation: which instructions are fused away and which run a group. */
    static final class Fusions {
        /** Per instruction index: the group it is the root of, else null. */
        final Group[] rootOf;
        /** Per instruction index: whether it is a member computed by its group's root. */
        final boolean[] inside;

        Fusions(Group[] rootOf, boolean[] inside) {
            this.rootOf = rootOf;
            this.inside = inside;
        }
    }

    /** One fused group: its members in computation order, the root last. */
    static final class Group {
        final HloInstruction root;
        final ElementType type;
        final long[] dims;
        final int size;
        /** Per member: BINARY, UNARY or BROADCAST. */
        final int[] form;
        /** Per member: its {@link ElementwiseOps.Bin} or {@link UnaryOps.Un}, null for broadcasts. */
        final Enum<?>[] op;
        /** Per member and operand: a member's position ({@code >= 0}), or {@code -1 - k} for outside operand k. */
        final int[][] from;
        /** Per member: for a broadcast, the operand's stride along each output dimension (0 where it repeats). */
        final int[][] broadcastStrides;
        /** The outside operands, by instruction index. */
        final int[] outside;

        final HloInstruction[] members;

        private Group(List<HloInstruction> members) {
            this.members = members.toArray(new HloInstruction[0]);
            this.root = members.get(members.size() - 1);
            this.type = root.shape().elementType();
            this.dims = root.shape().dims();
            this.size = (int) root.shape().elementCount();
            int m = this.members.length;
            form = new int[m];
            op = new Enum<?>[m];
            from = new int[m][];
            broadcastStrides = new int[m][];
            Map<HloInstruction, Integer> position = new HashMap<>();
            for (int i = 0; i < m; i++) {
                position.put(this.members[i], i);
            }
            List<Integer> outsideList = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                HloInstruction ins = this.members[i];
                HloOpcode code = ins.opcode();
                if (code == HloOpcode.BROADCAST) {
                    form[i] = BROADCAST;
                    broadcastStrides[i] = broadcastStrides(ins);
                } else if (ElementwiseOps.BINARY.containsKey(code)) {
                    form[i] = BINARY;
                    op[i] = ElementwiseOps.BINARY.get(code);
                } else {
                    form[i] = UNARY;
                    op[i] = UnaryOps.UNARY.get(code);
                }
                from[i] = new int[ins.operands().size()];
                for (int k = 0; k < from[i].length; k++) {
                    HloInstruction o = ins.operand(k);
                    Integer p = position.get(o);
                    if (p != null) {
                        from[i][k] = p;
                    } else {
                        int at = outsideList.indexOf(o.index());
                        if (at < 0) {
                            at = outsideList.size();
                            outsideList.add(o.index());
                        }
                        from[i][k] = -1 - at;
                    }
                }
            }
            outside = outsideList.stream().mapToInt(Integer::intValue).toArray();
        }

        private static int[] broadcastStrides(HloInstruction ins) {
            HloShape in = ins.operand(0).shape();
            int[] inStrides = Array.rowMajorStrides(in.dims());
            int[] strides = new int[ins.shape().rank()];
            List<Long> map = ins.dimensions();
            for (int k = 0; k < map.size(); k++) {
                strides[(int) (long) map.get(k)] = inStrides[k];
            }
            return strides;
        }

        /** The group's root value from the values of its outside operands (indexed by instruction). */
        Array evaluate(Value[] values, EvaluationContext ctx) {
            Array[] outsideArrays = new Array[outside.length];
            for (int k = 0; k < outside.length; k++) {
                outsideArrays[k] = values[outside[k]].asArray();
            }
            // A broadcast's operand, whatever its type, as floats once (it is at most the size of the result).
            float[][] broadcastSources = new float[members.length][];
            for (int i = 0; i < members.length; i++) {
                if (form[i] == BROADCAST) {
                    broadcastSources[i] = floatsOf(outsideArrays[-1 - from[i][0]]);
                }
            }
            boolean[] elementwise = new boolean[outside.length];
            for (int k = 0; k < outside.length; k++) {
                elementwise[k] = Arrays.equals(outsideArrays[k].dims(), dims);
            }
            Array out = Array.allocate(type, dims);
            Parallel.forRange(ctx, size, (start, end) -> {
                float[][] block = new float[members.length][Elements.BLOCK];
                float[][] outsideBlock = new float[outside.length][Elements.BLOCK];
                for (int s = start; s < end; s += Elements.BLOCK) {
                    int len = Math.min(Elements.BLOCK, end - s);
                    for (int k = 0; k < outside.length; k++) {
                        if (elementwise[k]) {
                            Elements.readFloats(outsideArrays[k], s, outsideBlock[k], len);
                        }
                    }
                    for (int i = 0; i < members.length; i++) {
                        run(i, s, len, block, outsideBlock, broadcastSources);
                    }
                    Elements.writeFloats(out, s, block[members.length - 1], len);
                }
            });
            return out;
        }

        private static float[] floatsOf(Array a) {
            if (a.type() == ElementType.F32) {
                return a.floats();
            }
            float[] f = new float[a.size()];
            Elements.readFloats(a, 0, f, a.size());
            return f;
        }

        private void run(int i, int s, int len, float[][] block, float[][] outsideBlock, float[][] broadcastSources) {
            float[] z = block[i];
            switch (form[i]) {
                case BROADCAST:
                    gather(broadcastSources[i], broadcastStrides[i], s, len, z);
                    // Its operand already has the group's type: nothing to round.
                    return;
                case BINARY:
                    ElementwiseOps.f32(
                            (ElementwiseOps.Bin) op[i],
                            operand(i, 0, block, outsideBlock),
                            operand(i, 1, block, outsideBlock),
                            z,
                            0,
                            len);
                    break;
                default:
                    UnaryOps.f32((UnaryOps.Un) op[i], operand(i, 0, block, outsideBlock), z, 0, len);
            }
            roundToType(z, len);
        }

        private float[] operand(int i, int k, float[][] block, float[][] outsideBlock) {
            int f = from[i][k];
            return f >= 0 ? block[f] : outsideBlock[-1 - f];
        }

        /** Rounds a bf16 or f16 member's results to its type, as storing and reloading them would. */
        private void roundToType(float[] z, int len) {
            if (type == ElementType.BF16) {
                ElementwiseKernels.active().roundToBf16(z, 0, len);
            } else if (type == ElementType.F16) {
                for (int j = 0; j < len; j++) {
                    z[j] = dev.nrt4j.Float16.toFloat(dev.nrt4j.Float16.fromFloat(z[j]));
                }
            }
        }

        /** Elements {@code [s, s + len)} of the broadcast, row-major over {@link #dims}. */
        private void gather(float[] src, int[] strides, int s, int len, float[] z) {
            int rank = dims.length;
            if (rank == 0) {
                z[0] = src[0];
                return;
            }
            int[] c = new int[rank];
            int rest = s;
            int at = 0;
            for (int d = rank - 1; d >= 0; d--) {
                c[d] = (int) (rest % dims[d]);
                rest /= (int) dims[d];
                at += c[d] * strides[d];
            }
            int inner = (int) dims[rank - 1];
            int innerStride = strides[rank - 1];
            int j = 0;
            while (j < len) {
                int run = Math.min(inner - c[rank - 1], len - j);
                if (innerStride == 0) {
                    Arrays.fill(z, j, j + run, src[at]);
                } else {
                    for (int q = 0; q < run; q++) {
                        z[j + q] = src[at + q * innerStride];
                    }
                }
                j += run;
                // Carry into the outer dimensions: back to the row's start, then one step along the next one.
                at -= c[rank - 1] * innerStride;
                c[rank - 1] = 0;
                for (int d = rank - 2; d >= 0; d--) {
                    c[d]++;
                    at += strides[d];
                    if (c[d] < dims[d]) {
                        break;
                    }
                    at -= c[d] * strides[d];
                    c[d] = 0;
                }
            }
        }
    }

    private ElementwiseFusion() {}

    /** The groups of {@code c}. */
    static Fusions plan(HloComputation c) {
        List<HloInstruction> ins = c.instructions();
        int n = ins.size();
        List<List<HloInstruction>> users = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            users.add(new ArrayList<>());
        }
        for (HloInstruction i : ins) {
            for (HloInstruction o : i.operands()) {
                List<HloInstruction> u = users.get(o.index());
                if (!u.contains(i)) {
                    u.add(i);
                }
            }
        }
        // Users come after their operands, so walking backwards sees a member's users before it.
        int[] groupRoot = new int[n];
        Arrays.fill(groupRoot, -1);
        for (int i = n - 1; i >= 0; i--) {
            HloInstruction x = ins.get(i);
            if (!fusible(x)) {
                continue;
            }
            int root = i;
            List<HloInstruction> u = users.get(i);
            if (x != c.root() && !u.isEmpty()) {
                int shared = groupRoot[u.get(0).index()];
                boolean joins = shared >= 0;
                for (HloInstruction user : u) {
                    joins &= groupRoot[user.index()] == shared;
                }
                if (joins && ins.get(shared).shape().sameDimensionsAndType(x.shape())) {
                    root = shared;
                }
            }
            groupRoot[i] = root;
        }
        Map<Integer, List<HloInstruction>> members = new HashMap<>();
        for (int i = 0; i < n; i++) {
            if (groupRoot[i] >= 0) {
                members.computeIfAbsent(groupRoot[i], k -> new ArrayList<>()).add(ins.get(i));
            }
        }
        Group[] rootOf = new Group[n];
        boolean[] inside = new boolean[n];
        for (Map.Entry<Integer, List<HloInstruction>> e : members.entrySet()) {
            List<HloInstruction> m = e.getValue();
            if (m.size() < 2 || m.stream().allMatch(x -> x.opcode() == HloOpcode.BROADCAST)) {
                continue;
            }
            rootOf[e.getKey()] = new Group(m);
            for (HloInstruction x : m) {
                inside[x.index()] = x.index() != e.getKey();
            }
        }
        return new Fusions(rootOf, inside);
    }

    /** The index of the root whose evaluation computes each instruction (itself when not fused away). */
    static int[] evaluatedAt(Fusions f) {
        int n = f.inside.length;
        int[] at = new int[n];
        for (int i = 0; i < n; i++) {
            at[i] = i;
        }
        for (Group g : f.rootOf) {
            if (g != null) {
                for (HloInstruction m : g.members) {
                    at[m.index()] = g.root.index();
                }
            }
        }
        return at;
    }

    /**
     * Whether an instruction may be a member: an elementwise float op (or broadcast) whose operands and result all
     * have its type and the element count is large enough. Checked fully here, so that a member never meets the
     * operand checks its handler would make (an instruction that fails them runs unfused and reports its error).
     */
    private static boolean fusible(HloInstruction x) {
        HloShape s = x.shape();
        if (!s.isArray() || s.elementCount() < MIN_ELEMENTS) {
            return false;
        }
        ElementType t = s.elementType();
        if (t != ElementType.F32 && t != ElementType.BF16 && t != ElementType.F16) {
            return false;
        }
        HloOpcode code = x.opcode();
        List<HloInstruction> ops = x.operands();
        if (code == HloOpcode.BROADCAST) {
            return ops.size() == 1 && broadcastFits(x);
        }
        ElementwiseOps.Bin bin = ElementwiseOps.BINARY.get(code);
        UnaryOps.Un un = UnaryOps.UNARY.get(code);
        if (bin != null) {
            if (ops.size() != 2 || !ElementwiseOps.onFloats(bin)) {
                return false;
            }
        } else if (un != null) {
            if (ops.size() != 1 || !UnaryOps.onFloats(un, t)) {
                return false;
            }
        } else {
            return false;
        }
        for (HloInstruction o : ops) {
            if (!o.shape().sameDimensionsAndType(s)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A broadcast of a smaller array of the result's type whose dimensions map one to one, as the handler checks
     * (one of the result's size would be a copy, and could be a member itself).
     */
    private static boolean broadcastFits(HloInstruction x) {
        HloShape in = x.operand(0).shape();
        HloShape out = x.shape();
        if (!in.isArray() || in.elementType() != out.elementType() || in.elementCount() >= out.elementCount()) {
            return false;
        }
        List<Long> map = x.dimensions();
        if (map.size() != in.rank()) {
            return false;
        }
        boolean[] used = new boolean[out.rank()];
        for (int k = 0; k < map.size(); k++) {
            long d = map.get(k);
            if (d < 0 || d >= out.rank() || used[(int) d] || out.dim((int) d) != in.dim(k)) {
                return false;
            }
            used[(int) d] = true;
        }
        return true;
    }
}
