package dev.nrt4j.hlo;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Shape inference over a whole {@link HloModule}: for each instruction whose opcode has a rule, the
 * operands' ranks, dimensions and element types are checked and the declared result shape must equal
 * the inferred one (element type and dimensions; layouts are ignored; floating-point operands of
 * different precisions may meet where XLA's shape inference allows it). {@link HloModuleAssembler}
 * runs it on every module it builds, so both readers, the reference device's load, {@code inspect}
 * and {@code run} refuse an ill-typed program the same way, before anything executes.
 *
 * <p>Covered: {@code parameter} (nothing to infer), {@code constant} (literal against declared shape),
 * element-wise unary and binary arithmetic and logic, {@code compare}, {@code select}, {@code clamp},
 * {@code convert}, {@code reshape}, {@code broadcast}, {@code transpose}, {@code slice},
 * {@code concatenate}, {@code dot} (dimensions only: the result type may be a preferred type),
 * {@code tuple}, {@code get-tuple-element}, {@code while}, {@code conditional}, {@code call} and
 * {@code fusion} (callee signature against the call site), {@code reduce} (dimensions, scalar initial
 * values, a reducer of scalar parameters; not element types). Op families have their own rule
 * classes: {@link WindowRules} ({@code reduce-window} and {@code select-and-scatter} with the same
 * looseness on element types as {@code reduce}; {@code convolution}'s dimension numbers, group counts
 * and window, dimensions only), {@link IndexingRules} ({@code gather}, {@code scatter},
 * {@code dynamic-slice}, {@code dynamic-update-slice}), {@link CollectiveRules} ({@code all-reduce}
 * including its tuple form, {@code all-gather}, {@code reduce-scatter}, {@code all-to-all},
 * {@code collective-permute}, against the size of the listed replica groups), {@link ArrayOpRules}
 * ({@code pad}, {@code iota}, {@code reverse}, {@code sort}, {@code map}, {@code bitcast-convert},
 * {@code reduce-precision}, {@code get-dimension-size}, {@code rng-bit-generator}),
 * {@link LinearAlgebraRules} ({@code cholesky}, {@code triangular-solve}) and {@link FftRule}.
 *
 * <p>Passed through unchecked, so that no valid program is refused for lack of a rule: every other
 * opcode, among them {@code custom-call} (its target defines its types; its result shape was already
 * checked to be well-formed when read), {@code bitcast} (layout-dependent), {@code abs}'s and
 * {@code real}/{@code imag}'s element type, {@code complex}, {@code is-finite}, {@code popcnt},
 * {@code rng}, {@code batch-norm-*}, {@code topk}, the {@code -start}/{@code -done} halves of
 * asynchronous collectives, {@code collective-permute}'s in-place form, {@code collective-broadcast},
 * {@code replica-id}/{@code partition-id}, {@code after-all} and other token ops, and bitcasts
 * to or from types narrower than a byte. Their operands are still checked wherever they are used by a
 * covered instruction.
 *
 * <p>Stateless and thread-safe. Every refusal is a {@link NeuronException} with {@link Status#INVALID}
 * naming the computation, the instruction and the shapes involved.
 */
public final class HloTypeChecker {
    /** Unary ops whose result has the operand's element type and dimensions. */
    private static final Set<HloOpcode> UNARY_SAME = EnumSet.of(
            HloOpcode.NEGATE,
            HloOpcode.EXPONENTIAL,
            HloOpcode.EXPONENTIAL_MINUS_ONE,
            HloOpcode.LOG,
            HloOpcode.LOG_PLUS_ONE,
            HloOpcode.SQRT,
            HloOpcode.RSQRT,
            HloOpcode.CBRT,
            HloOpcode.TANH,
            HloOpcode.FLOOR,
            HloOpcode.CEIL,
            HloOpcode.ROUND_NEAREST_AFZ,
            HloOpcode.ROUND_NEAREST_EVEN,
            HloOpcode.SINE,
            HloOpcode.COSINE,
            HloOpcode.TAN,
            HloOpcode.LOGISTIC,
            HloOpcode.NOT,
            HloOpcode.SIGN,
            HloOpcode.COPY,
            HloOpcode.ERF);

    /** Binary ops whose operands and result all share one element type and dimensions. */
    private static final Set<HloOpcode> BINARY_SAME = EnumSet.of(
            HloOpcode.ADD,
            HloOpcode.SUBTRACT,
            HloOpcode.MULTIPLY,
            HloOpcode.DIVIDE,
            HloOpcode.MAXIMUM,
            HloOpcode.MINIMUM,
            HloOpcode.POWER,
            HloOpcode.REMAINDER,
            HloOpcode.AND,
            HloOpcode.OR,
            HloOpcode.XOR,
            HloOpcode.ATAN2,
            HloOpcode.SHIFT_LEFT,
            HloOpcode.SHIFT_RIGHT_ARITHMETIC,
            HloOpcode.SHIFT_RIGHT_LOGICAL);

    /** Filled once here, then only read. */
    private static final Map<HloOpcode, BiConsumer<CheckSite, HloInstruction>> RULES = rules();

    private HloTypeChecker() {}

    /**
     * Checks every instruction of every computation of the module.
     *
     * @throws NeuronException {@link Status#INVALID} at the first ill-typed instruction, naming its
     *     computation, the instruction and the shapes that disagree
     */
    public static void check(HloModule module) {
        for (HloComputation c : module.computations()) {
            for (HloInstruction i : c.instructions()) {
                BiConsumer<CheckSite, HloInstruction> rule = RULES.get(i.opcode());
                if (rule == null) {
                    continue;
                }
                rule.accept(new CheckSite(module, c, i), i);
            }
        }
    }

    private static Map<HloOpcode, BiConsumer<CheckSite, HloInstruction>> rules() {
        Map<HloOpcode, BiConsumer<CheckSite, HloInstruction>> r = new EnumMap<>(HloOpcode.class);
        UNARY_SAME.forEach(op -> r.put(op, HloTypeChecker::unarySame));
        BINARY_SAME.forEach(op -> r.put(op, HloTypeChecker::binarySame));
        r.put(HloOpcode.CONSTANT, HloTypeChecker::constant);
        r.put(HloOpcode.COMPARE, HloTypeChecker::compare);
        r.put(HloOpcode.SELECT, HloTypeChecker::select);
        r.put(HloOpcode.CLAMP, HloTypeChecker::clamp);
        r.put(HloOpcode.CONVERT, HloTypeChecker::convert);
        r.put(HloOpcode.RESHAPE, HloTypeChecker::reshape);
        r.put(HloOpcode.BROADCAST, HloTypeChecker::broadcast);
        r.put(HloOpcode.TRANSPOSE, HloTypeChecker::transpose);
        r.put(HloOpcode.SLICE, HloTypeChecker::slice);
        r.put(HloOpcode.CONCATENATE, HloTypeChecker::concatenate);
        r.put(HloOpcode.DOT, HloTypeChecker::dot);
        r.put(HloOpcode.TUPLE, HloTypeChecker::tuple);
        r.put(HloOpcode.GET_TUPLE_ELEMENT, HloTypeChecker::getTupleElement);
        r.put(HloOpcode.WHILE, HloTypeChecker::whileLoop);
        r.put(HloOpcode.CONDITIONAL, HloTypeChecker::conditional);
        r.put(HloOpcode.CALL, HloTypeChecker::call);
        r.put(HloOpcode.REDUCE, HloTypeChecker::reduce);
        r.put(HloOpcode.FUSION, HloTypeChecker::call);
        WindowRules.register(r);
        IndexingRules.register(r);
        CollectiveRules.register(r);
        ArrayOpRules.register(r);
        LinearAlgebraRules.register(r);
        FftRule.register(r);
        return r;
    }

    private static void unarySame(CheckSite x, HloInstruction i) {
        x.operands(1);
        // copy also copies tuples; the other unary ops are array-only
        x.result(i.opcode() == HloOpcode.COPY ? i.operand(0).shape() : x.array(0));
    }

    private static void binarySame(CheckSite x, HloInstruction i) {
        x.operands(2);
        HloShape a = x.array(0);
        HloShape b = x.array(1);
        sameIgnoringFpPrecision(x, a, b, 0, 1);
        if (a.elementType() == b.elementType()) {
            x.result(a);
        } else {
            floatResult(x, a);
        }
    }

    /**
     * XLA's shape inference lets floating-point operands of different precisions meet (the result is
     * the wider one); so do these rules, checking only that such a result is floating-point too.
     */
    static void sameIgnoringFpPrecision(CheckSite x, HloShape a, HloShape b, int ia, int ib) {
        boolean types = a.elementType() == b.elementType()
                || (a.elementType().isFloatingPoint() && b.elementType().isFloatingPoint());
        if (!types || !java.util.Arrays.equals(a.dims(), b.dims())) {
            throw x.invalid(
                    "operand " + ib + " is " + b + ", expected " + a.withDefaultLayout() + " like operand " + ia);
        }
    }

    /** An inferred shape; a dot or concatenate of large operands may infer one too large to exist. */
    static HloShape inferred(CheckSite x, ElementType type, long[] dims) {
        try {
            return HloShape.array(type, dims);
        } catch (IllegalArgumentException e) {
            throw x.invalid("the inferred shape is not a valid array: " + e.getMessage());
        }
    }

    static void floatResult(CheckSite x, HloShape like) {
        HloShape r = x.resultArray();
        if (!r.elementType().isFloatingPoint()) {
            throw x.invalid("declares " + r + ", expected a floating-point result");
        }
        x.result(HloShape.array(r.elementType(), like.dims()));
    }

    private static void constant(CheckSite x, HloInstruction i) {
        i.literal().ifPresent(l -> {
            if (!l.shape().sameDimensionsAndType(i.shape())) {
                throw x.invalid("declares " + i.shape() + " but its literal is " + l.shape());
            }
        });
    }

    private static void compare(CheckSite x, HloInstruction i) {
        x.operands(2);
        HloShape a = x.array(0);
        HloShape b = x.array(1);
        sameIgnoringFpPrecision(x, a, b, 0, 1);
        x.result(HloShape.array(ElementType.PRED, a.dims()));
    }

    private static void select(CheckSite x, HloInstruction i) {
        x.operands(3);
        HloShape p = x.array(0);
        HloShape t = i.operand(1).shape();
        HloShape f = i.operand(2).shape();
        if (p.elementType() != ElementType.PRED) {
            throw x.invalid("operand 0 is " + p + ", expected a pred predicate");
        }
        if (!t.sameDimensionsAndType(f)) {
            if (!t.isArray() || !f.isArray()) {
                throw x.invalid("operand 2 is " + f + ", expected " + t.withDefaultLayout() + " like operand 1");
            }
            sameIgnoringFpPrecision(x, t, f, 1, 2);
            if (p.rank() != 0 && !java.util.Arrays.equals(p.dims(), t.dims())) {
                throw x.invalid("operand 0 is " + p + ", expected pred[] or pred with the dimensions of " + t);
            }
            floatResult(x, t);
            return;
        }
        // A scalar predicate choosing whole values is what older XLA allowed; otherwise one per element.
        if (p.rank() != 0 && !(t.isArray() && java.util.Arrays.equals(p.dims(), t.dims()))) {
            throw x.invalid("operand 0 is " + p + ", expected pred[] or pred with the dimensions of " + t);
        }
        x.result(t);
    }

    private static void clamp(CheckSite x, HloInstruction i) {
        x.operands(3);
        HloShape lo = x.array(0);
        HloShape v = x.array(1);
        HloShape hi = x.array(2);
        for (int k = 0; k <= 2; k += 2) {
            HloShape bound = k == 0 ? lo : hi;
            boolean types = bound.elementType() == v.elementType()
                    || (bound.elementType().isFloatingPoint() && v.elementType().isFloatingPoint());
            if (!types || (bound.rank() != 0 && !java.util.Arrays.equals(bound.dims(), v.dims()))) {
                throw x.invalid("operand " + k + " is " + bound + ", expected "
                        + v.elementType().textName() + "[] or " + v.withDefaultLayout() + " like operand 1");
            }
        }
        if (lo.elementType() == v.elementType() && hi.elementType() == v.elementType()) {
            x.result(v);
        } else {
            floatResult(x, v);
        }
    }

    private static void convert(CheckSite x, HloInstruction i) {
        x.operands(1);
        HloShape a = x.array(0);
        HloShape r = x.resultArray();
        x.result(HloShape.array(r.elementType(), a.dims()));
    }

    private static void reshape(CheckSite x, HloInstruction i) {
        x.operands(1);
        HloShape a = x.array(0);
        HloShape r = x.resultArray();
        if (a.elementCount() != r.elementCount() || a.elementType() != r.elementType()) {
            throw x.invalid("declares " + r + " (" + r.elementCount() + " elements) from operand 0 " + a + " ("
                    + a.elementCount() + " elements); a reshape keeps the element type and count");
        }
    }

    private static void broadcast(CheckSite x, HloInstruction i) {
        x.operands(1);
        HloShape a = x.array(0);
        HloShape r = x.resultArray();
        List<Long> dims = i.dimensions();
        if (dims.size() != a.rank()) {
            throw x.invalid("dimensions=" + dims + " must name one result dimension for each of the " + a.rank()
                    + " dimensions of operand 0 " + a);
        }
        if (a.elementType() != r.elementType()) {
            throw x.invalid("declares " + r + ", expected element type "
                    + a.elementType().textName() + " of operand 0 " + a);
        }
        for (int k = 0; k < dims.size(); k++) {
            long d = dims.get(k);
            if (d < 0 || d >= r.rank() || r.dim((int) d) != a.dim(k)) {
                throw x.invalid("dimensions=" + dims + " maps dimension " + k + " of operand 0 " + a
                        + " onto a dimension of " + r + " that is out of range or of another size");
            }
        }
    }

    private static void transpose(CheckSite x, HloInstruction i) {
        x.operands(1);
        HloShape a = x.array(0);
        List<Long> perm = i.dimensions();
        boolean[] seen = new boolean[a.rank()];
        long[] dims = new long[a.rank()];
        if (perm.size() != a.rank()) {
            throw x.invalid("dimensions=" + perm + " is not a permutation of the dimensions of operand 0 " + a);
        }
        for (int k = 0; k < perm.size(); k++) {
            long p = perm.get(k);
            if (p < 0 || p >= a.rank() || seen[(int) p]) {
                throw x.invalid("dimensions=" + perm + " is not a permutation of the dimensions of operand 0 " + a);
            }
            seen[(int) p] = true;
            dims[k] = a.dim((int) p);
        }
        x.result(HloShape.array(a.elementType(), dims));
    }

    private static void slice(CheckSite x, HloInstruction i) {
        x.operands(1);
        HloShape a = x.array(0);
        List<SliceDimension> s = i.slice();
        if (s.size() != a.rank()) {
            throw x.invalid("slice has " + s.size() + " dimensions, operand 0 " + a + " has " + a.rank());
        }
        long[] dims = new long[a.rank()];
        for (int k = 0; k < dims.length; k++) {
            SliceDimension d = s.get(k);
            if (d.start() < 0 || d.start() > d.limit() || d.limit() > a.dim(k) || d.stride() < 1) {
                throw x.invalid("slice [" + d.start() + ":" + d.limit() + ":" + d.stride() + "] of dimension " + k
                        + " is out of the bounds of operand 0 " + a);
            }
            long len = d.limit() - d.start();
            dims[k] = len / d.stride() + (len % d.stride() == 0 ? 0 : 1);
        }
        x.result(HloShape.array(a.elementType(), dims));
    }

    private static void concatenate(CheckSite x, HloInstruction i) {
        if (i.operands().isEmpty()) {
            throw x.invalid("takes at least 1 operand, has 0");
        }
        HloShape first = x.array(0);
        if (i.dimensions().size() != 1
                || i.dimensions().get(0) < 0
                || i.dimensions().get(0) >= first.rank()) {
            throw x.invalid("dimensions=" + i.dimensions() + " must name one dimension of operand 0 " + first);
        }
        int d = (int) (long) i.dimensions().get(0);
        long[] dims = first.dims();
        boolean mixed = false;
        for (int k = 1; k < i.operands().size(); k++) {
            HloShape o = x.array(k);
            boolean ok = (o.elementType() == first.elementType()
                            || (o.elementType().isFloatingPoint()
                                    && first.elementType().isFloatingPoint()))
                    && o.rank() == first.rank();
            mixed |= o.elementType() != first.elementType();
            for (int j = 0; ok && j < o.rank(); j++) {
                ok = j == d || o.dim(j) == first.dim(j);
            }
            if (!ok) {
                throw x.invalid("operand " + k + " is " + o + ", expected " + first.withDefaultLayout()
                        + " like operand 0 in all but dimension " + d);
            }
            if (dims[d] > HloShape.MAX_ELEMENTS - o.dim(d)) {
                throw x.invalid("the concatenated dimension " + d + " is too large");
            }
            dims[d] += o.dim(d);
        }
        HloShape out = inferred(x, first.elementType(), dims);
        if (mixed) {
            floatResult(x, out);
        } else {
            x.result(out);
        }
    }

    private static void dot(CheckSite x, HloInstruction i) {
        if (i.operands().size() != 2 || i.dotDimensions().isEmpty()) {
            return; // sparse dots carry metadata operands; without dimension numbers there is nothing to pair
        }
        HloShape l = x.array(0);
        HloShape r = x.array(1);
        DotDimensions dd = i.dotDimensions().get();
        if (dd.lhsContracting().size() != dd.rhsContracting().size()
                || dd.lhsBatch().size() != dd.rhsBatch().size()) {
            throw x.invalid("pairs " + dd.lhsContracting().size() + " lhs with "
                    + dd.rhsContracting().size()
                    + " rhs contracting and " + dd.lhsBatch().size() + " lhs with "
                    + dd.rhsBatch().size()
                    + " rhs batch dimensions");
        }
        // First that every dimension is named at most once (out == null), then that paired sizes agree.
        boolean[] lUsed = new boolean[l.rank()];
        boolean[] rUsed = new boolean[r.rank()];
        pairDims(x, "batch", dd.lhsBatch(), dd.rhsBatch(), l, r, lUsed, rUsed, null);
        pairDims(x, "contracting", dd.lhsContracting(), dd.rhsContracting(), l, r, lUsed, rUsed, null);
        List<Long> out = new ArrayList<>();
        pairDims(x, "batch", dd.lhsBatch(), dd.rhsBatch(), l, r, new boolean[l.rank()], new boolean[r.rank()], out);
        pairDims(
                x,
                "contracting",
                dd.lhsContracting(),
                dd.rhsContracting(),
                l,
                r,
                new boolean[l.rank()],
                new boolean[r.rank()],
                new ArrayList<>());
        for (int k = 0; k < l.rank(); k++) {
            if (!lUsed[k]) {
                out.add(l.dim(k));
            }
        }
        for (int k = 0; k < r.rank(); k++) {
            if (!rUsed[k]) {
                out.add(r.dim(k));
            }
        }
        long[] dims = out.stream().mapToLong(Long::longValue).toArray();
        HloShape res = x.resultArray();
        // The result's element type may be a preferred (wider) type, so only the dimensions are inferred.
        x.result(inferred(x, res.elementType(), dims));
    }

    private static void pairDims(
            CheckSite x,
            String kind,
            List<Integer> ls,
            List<Integer> rs,
            HloShape l,
            HloShape r,
            boolean[] lUsed,
            boolean[] rUsed,
            List<Long> out) {
        for (int k = 0; k < ls.size(); k++) {
            int a = ls.get(k);
            int b = rs.get(k);
            if (a < 0 || a >= l.rank() || lUsed[a] || b < 0 || b >= r.rank() || rUsed[b]) {
                throw x.invalid(kind + " dimensions lhs " + ls + " and rhs " + rs
                        + " do not name distinct dimensions of " + l + " and " + r);
            }
            lUsed[a] = true;
            rUsed[b] = true;
            if (out == null) {
                continue;
            }
            if (l.dim(a) != r.dim(b)) {
                throw x.invalid(kind + " dimension " + a + " of operand 0 " + l + " is " + l.dim(a) + ", dimension " + b
                        + " of operand 1 " + r + " is " + r.dim(b));
            }
            out.add(l.dim(a));
        }
    }

    private static void tuple(CheckSite x, HloInstruction i) {
        List<HloShape> parts = new ArrayList<>();
        i.operands().forEach(o -> parts.add(o.shape()));
        x.result(HloShape.tuple(parts));
    }

    private static void getTupleElement(CheckSite x, HloInstruction i) {
        x.operands(1);
        HloShape t = i.operand(0).shape();
        if (!t.isTuple()) {
            throw x.invalid("operand 0 is " + t + ", expected a tuple");
        }
        long idx = i.tupleIndex();
        if (idx < 0 || idx >= t.tupleShapes().size()) {
            throw x.invalid("index=" + idx + " is out of range for operand 0 " + t + " of "
                    + t.tupleShapes().size() + " elements");
        }
        x.result(t.tupleShapes().get((int) idx));
    }

    private static void whileLoop(CheckSite x, HloInstruction i) {
        x.operands(1);
        x.calledCount(2);
        HloShape init = i.operand(0).shape();
        x.result(init);
        HloComputation body = i.calledComputations().get(0);
        HloComputation cond = i.calledComputations().get(1);
        signature(x, "body", body, List.of(init), init);
        signature(x, "condition", cond, List.of(init), HloShape.array(ElementType.PRED));
    }

    private static void conditional(CheckSite x, HloInstruction i) {
        if (i.operands().isEmpty()) {
            throw x.invalid("takes a predicate or branch index, has no operands");
        }
        HloShape sel = x.array(0);
        int branches = i.calledComputations().size();
        boolean pred = sel.elementType() == ElementType.PRED;
        if (sel.rank() != 0 || !(pred || sel.elementType() == ElementType.S32)) {
            throw x.invalid("operand 0 is " + sel + ", expected pred[] or s32[]");
        }
        if ((pred && branches != 2) || branches < 1 || i.operands().size() != branches + 1) {
            throw x.invalid("has " + branches + " branches and " + (i.operands().size() - 1)
                    + " branch operands; expected one operand per branch" + (pred ? " and 2 branches for a pred" : ""));
        }
        for (int b = 0; b < branches; b++) {
            signature(
                    x,
                    "branch " + b,
                    i.calledComputations().get(b),
                    List.of(i.operand(b + 1).shape()),
                    i.shape());
        }
    }

    /**
     * N inputs of one set of dimensions, N scalar initial values, a reducer of 2N scalar parameters,
     * and a result with the reduced dimensions removed. Element types are not compared: XLA's rules
     * for mixed precision in reducers are looser than this checker can be sure of.
     */
    private static void reduce(CheckSite x, HloInstruction i) {
        int n = x.inputsAndInitialValues();
        x.calledCount(1);
        HloShape in = x.array(0);
        boolean[] reduced = new boolean[in.rank()];
        for (long d : i.dimensions()) {
            if (d < 0 || d >= in.rank() || reduced[(int) d]) {
                throw x.invalid("dimensions=" + i.dimensions() + " must name distinct dimensions of operand 0 " + in);
            }
            reduced[(int) d] = true;
        }
        long[] dims = new long[in.rank() - i.dimensions().size()];
        for (int k = 0, j = 0; k < in.rank(); k++) {
            if (!reduced[k]) {
                dims[j++] = in.dim(k);
            }
        }
        x.scalarParameters("to_apply", i.calledComputations().get(0), 2 * n);
        x.variadicResult(n, dims, "operand 0 " + in + " without dimensions " + i.dimensions());
    }

    private static void call(CheckSite x, HloInstruction i) {
        x.calledCount(1);
        List<HloShape> args = new ArrayList<>();
        i.operands().forEach(o -> args.add(o.shape()));
        signature(x, "callee", i.calledComputations().get(0), args, i.shape());
    }

    /** A called computation takes exactly these parameter shapes and returns this shape. */
    static void signature(CheckSite x, String role, HloComputation c, List<HloShape> params, HloShape result) {
        List<HloInstruction> ps = c.parameters();
        if (ps.size() != params.size()) {
            throw x.invalid(
                    role + " " + c.name() + " takes " + ps.size() + " parameters, called with " + params.size());
        }
        for (int k = 0; k < ps.size(); k++) {
            if (!ps.get(k).shape().sameDimensionsAndType(params.get(k))) {
                throw x.invalid(role + " " + c.name() + " parameter " + k + " is "
                        + ps.get(k).shape() + ", called with " + params.get(k));
            }
        }
        if (!c.resultShape().sameDimensionsAndType(result)) {
            throw x.invalid(role + " " + c.name() + " returns " + c.resultShape() + ", expected " + result);
        }
    }
}
