package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloComputation;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reductions and other ops that apply a called scalar computation: {@code reduce},
 * {@code reduce-window}, {@code select-and-scatter} and {@code map}.
 *
 * <p>Order and rounding follow XLA's {@code HloEvaluator}: every output element starts from the
 * init value and applies the reducer once per input element, sequentially, in row-major order of
 * the reduced dimensions (of the window, for {@code reduce-window}), each step in the reducer's own
 * element type. Reducers that are one binary operation of their two parameters run as typed loops
 * ({@link BinaryCombiner}) with exactly that order and rounding; any other computation is evaluated
 * once per element.
 */
final class ReduceOps {
    /** Work (elements folded) between deadline checks. */
    private static final int DEADLINE_STRIDE = 1 << 16;

    private ReduceOps() {}

    static void registerAll(OpRegistry r) {
        r.register(ReduceOps::reduce, HloOpcode.REDUCE);
        r.register(ReduceOps::reduceWindow, HloOpcode.REDUCE_WINDOW);
        r.register(ReduceOps::selectAndScatter, HloOpcode.SELECT_AND_SCATTER);
        r.register(ReduceOps::map, HloOpcode.MAP);
    }

    // ---------------------------------------------------------------- reduce

    private static Value reduce(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        int n = variadicCount(ins, ops);
        List<Array> inputs = arrays(ops.subList(0, n));
        List<Array> inits = scalars(ops.subList(n, 2 * n));
        long[] inDims = sameDims(inputs, ins);
        int rank = inDims.length;
        boolean[] reduced = new boolean[rank];
        for (long d : ins.dimensions()) {
            if (d < 0 || d >= rank || reduced[(int) d]) {
                throw new IllegalArgumentException("dimensions " + ins.dimensions() + " must be distinct dimensions of "
                        + Arrays.toString(inDims));
            }
            reduced[(int) d] = true;
        }
        List<Long> keptDims = new ArrayList<>();
        List<Long> reducedDims = new ArrayList<>();
        int[] strides = Array.rowMajorStrides(inDims);
        List<Integer> keptStrides = new ArrayList<>();
        List<Integer> reducedStrides = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            (reduced[d] ? reducedDims : keptDims).add(inDims[d]);
            (reduced[d] ? reducedStrides : keptStrides).add(strides[d]);
        }
        long[] outDims = toLongs(keptDims);
        List<Array> outs = allocateOutputs(ins, n, outDims);
        int[] bases = offsets(outDims, toInts(keptStrides));
        int[] inner = offsets(toLongs(reducedDims), toInts(reducedStrides));
        HloComputation reducer = single(ins);

        Optional<BinaryCombiner> fast =
                n == 1 ? typedReducer(reducer, inputs.get(0), inits.get(0), outs.get(0)) : Optional.empty();
        if (fast.isPresent()) {
            BinaryCombiner r = fast.get();
            Array in = inputs.get(0);
            Array init = inits.get(0);
            Array out = outs.get(0);
            // Output elements are independent folds, each in XLA's order whatever thread runs it.
            Parallel.forRange(
                    ctx,
                    bases.length,
                    inner.length + 1,
                    (from, to) -> r.foldEach(in, bases, inner, init, out, from, to));
        } else {
            for (int j = 0; j < bases.length; j++) {
                List<Array> acc = new ArrayList<>(inits);
                for (int off : inner) {
                    acc = call(reducer, acc, inputs, bases[j] + off, ctx);
                }
                storeAll(acc, outs, j);
            }
        }
        return result(outs, n);
    }

    /** Row-major offsets of every index of {@code dims} given the strides of those dimensions in the input. */
    private static int[] offsets(long[] dims, int[] strides) {
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        int[] out = new int[(int) count];
        long[] c = new long[dims.length];
        for (int i = 0; i < out.length; i++) {
            int off = 0;
            for (int d = 0; d < dims.length; d++) {
                off += (int) c[d] * strides[d];
            }
            out[i] = off;
            WindowGeometry.next(c, dims);
        }
        return out;
    }

    // ---------------------------------------------------------------- reduce-window

    private static Value reduceWindow(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        int n = variadicCount(ins, ops);
        List<Array> inputs = arrays(ops.subList(0, n));
        List<Array> inits = scalars(ops.subList(n, 2 * n));
        long[] inDims = sameDims(inputs, ins);
        WindowGeometry g = WindowGeometry.of(ins.window(), inDims);
        long[] outDims = g.outDims();
        List<Array> outs = allocateOutputs(ins, n, outDims);
        HloComputation reducer = single(ins);
        Optional<BinaryCombiner> fast =
                n == 1 ? typedReducer(reducer, inputs.get(0), inits.get(0), outs.get(0)) : Optional.empty();
        int[] buf = new int[g.maxCovered()];
        int[] positions =
                fast.isPresent() && VectorizedWindowFold.applies(fast.get(), g) ? new int[g.maxCovered()] : null;
        long[] w = new long[inDims.length];
        long[] c = new long[outDims.length];
        int size = outs.get(0).size();
        long work = 0;
        for (int j = 0; j < size; j++) {
            int m = g.covered(c, buf, positions, w);
            if (positions != null) {
                VectorizedWindowFold.fold(
                        fast.get().kind(),
                        inputs.get(0),
                        buf,
                        positions,
                        m,
                        g.windowSize(),
                        inits.get(0),
                        outs.get(0),
                        j);
            } else if (fast.isPresent()) {
                fast.get().fold(inputs.get(0), 0, buf, m, inits.get(0), 0, outs.get(0), j);
            } else {
                List<Array> acc = new ArrayList<>(inits);
                for (int k = 0; k < m; k++) {
                    acc = call(reducer, acc, inputs, buf[k], ctx);
                }
                storeAll(acc, outs, j);
            }
            work += m + 1;
            if (work > DEADLINE_STRIDE) {
                ctx.checkDeadline();
                work = 0;
            }
            WindowGeometry.next(c, outDims);
        }
        return result(outs, n);
    }

    // ---------------------------------------------------------------- select-and-scatter

    /**
     * For each source element (one per window), the select computation picks one operand element of
     * the window — the first covered element, replaced by each later one for which
     * {@code select(current, candidate)} is false — and the scatter computation combines the source
     * element into that position of an output filled with the init value. Windows are visited in
     * row-major order, so positions selected by several windows combine in that order.
     */
    private static Value selectAndScatter(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        if (ops.size() != 3) {
            throw new IllegalArgumentException(
                    "select-and-scatter takes operand, source and init value, got " + ops.size() + " operands");
        }
        if (ins.calledComputations().size() != 2) {
            throw new IllegalArgumentException("select-and-scatter needs a select and a scatter computation");
        }
        Array operand = ops.get(0).asArray();
        Array source = ops.get(1).asArray();
        Array init = scalar(ops.get(2));
        HloComputation select = ins.calledComputations().get(0);
        HloComputation scatter = ins.calledComputations().get(1);
        WindowGeometry g = WindowGeometry.of(ins.window(), operand.dims());
        if (!Arrays.equals(g.outDims(), source.dims())) {
            throw new IllegalArgumentException(
                    "the source " + source + " must have the window count " + Arrays.toString(g.outDims()));
        }
        HloShape shape = ins.shape();
        if (!shape.isArray() || !Arrays.equals(shape.dims(), operand.dims()) || shape.elementType() != init.type()) {
            throw new IllegalArgumentException(
                    "the result " + shape + " must have the operand's dimensions and the init value's type");
        }
        Array out = Array.allocate(shape);
        for (int i = 0; i < out.size(); i++) {
            Array.copy(init, 0, out, i, 1);
        }
        Optional<SelectTest> fastSelect = SelectTest.recognize(select, operand.type());
        Optional<BinaryCombiner> fastScatter =
                source.type() == out.type() ? BinaryCombiner.recognize(scatter, out.type()) : Optional.empty();
        int[] buf = new int[g.maxCovered()];
        long[] w = new long[operand.rank()];
        long[] c = new long[source.rank()];
        long work = 0;
        for (int i = 0; i < source.size(); i++) {
            int m = g.covered(c, buf, w);
            WindowGeometry.next(c, source.dims());
            if (m == 0) {
                continue;
            }
            int chosen = buf[0];
            if (fastSelect.isPresent()) {
                SelectTest t = fastSelect.get();
                for (int k = 1; k < m; k++) {
                    if (!t.test(operand, chosen, buf[k])) {
                        chosen = buf[k];
                    }
                }
            } else {
                for (int k = 1; k < m; k++) {
                    Value keep = ctx.evaluate(
                            select,
                            List.of(ScalarCalls.scalarAt(operand, chosen), ScalarCalls.scalarAt(operand, buf[k])));
                    if (!ScalarCalls.isTrue(ScalarCalls.results(keep, 1, select).get(0))) {
                        chosen = buf[k];
                    }
                }
            }
            if (fastScatter.isPresent()) {
                fastScatter.get().combine(out, chosen, source, i, out, chosen);
            } else {
                Value v = ctx.evaluate(
                        scatter, List.of(ScalarCalls.scalarAt(out, chosen), ScalarCalls.scalarAt(source, i)));
                ScalarCalls.store(ScalarCalls.results(v, 1, scatter).get(0), out, chosen);
            }
            work += m + 1;
            if (work > DEADLINE_STRIDE) {
                ctx.checkDeadline();
                work = 0;
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- map

    /** Applies the computation to the operands' elements at each index; all operands have the result's dimensions. */
    private static Value map(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        HloComputation f = single(ins);
        List<Array> inputs = arrays(ops);
        if (f.parameters().size() != inputs.size()) {
            throw new IllegalArgumentException("map applies a computation of "
                    + f.parameters().size() + " parameters to " + inputs.size() + " operands");
        }
        HloShape shape = ins.shape();
        if (!shape.isArray()) {
            throw new IllegalArgumentException("map returns an array, not " + shape);
        }
        for (Array a : inputs) {
            if (!Arrays.equals(a.dims(), shape.dims())) {
                throw new IllegalArgumentException(
                        "map operand " + a + " does not have the result's dimensions " + Arrays.toString(shape.dims()));
            }
        }
        Array out = Array.allocate(shape);
        for (int j = 0; j < out.size(); j++) {
            List<Value> args = new ArrayList<>(inputs.size());
            for (Array a : inputs) {
                args.add(ScalarCalls.scalarAt(a, j));
            }
            ScalarCalls.store(ScalarCalls.results(ctx.evaluate(f, args), 1, f).get(0), out, j);
        }
        return out;
    }

    // ---------------------------------------------------------------- helpers

    private static int variadicCount(HloInstruction ins, List<Value> ops) {
        if (ops.isEmpty() || ops.size() % 2 != 0) {
            throw new IllegalArgumentException(
                    ins.opcode() + " takes N inputs and N init values, got " + ops.size() + " operands");
        }
        return ops.size() / 2;
    }

    private static HloComputation single(HloInstruction ins) {
        if (ins.calledComputations().size() != 1) {
            throw new IllegalArgumentException(
                    ins.opcode() + " calls " + ins.calledComputations().size() + " computations, not 1");
        }
        return ins.calledComputations().get(0);
    }

    private static List<Array> arrays(List<Value> values) {
        List<Array> out = new ArrayList<>(values.size());
        for (Value v : values) {
            out.add(v.asArray());
        }
        return out;
    }

    private static Array scalar(Value v) {
        Array a = v.asArray();
        if (a.rank() != 0) {
            throw new IllegalArgumentException("init value " + a + " must be a scalar");
        }
        return a;
    }

    private static List<Array> scalars(List<Value> values) {
        List<Array> out = new ArrayList<>(values.size());
        for (Value v : values) {
            out.add(scalar(v));
        }
        return out;
    }

    private static long[] sameDims(List<Array> inputs, HloInstruction ins) {
        long[] dims = inputs.get(0).dims();
        for (Array a : inputs) {
            if (!Arrays.equals(a.dims(), dims)) {
                throw new IllegalArgumentException(
                        ins.opcode() + " inputs " + inputs + " must have the same dimensions");
            }
        }
        return dims;
    }

    /** Outputs of the instruction's shape: one array, or a tuple of {@code n} arrays, with dimensions {@code dims}. */
    private static List<Array> allocateOutputs(HloInstruction ins, int n, long[] dims) {
        HloShape shape = ins.shape();
        List<HloShape> parts =
                n == 1 && shape.isArray() ? List.of(shape) : shape.isTuple() ? shape.tupleShapes() : List.of();
        if (parts.size() != n) {
            throw new IllegalArgumentException("the result " + shape + " must have " + n + " array(s)");
        }
        List<Array> outs = new ArrayList<>(n);
        for (HloShape p : parts) {
            if (!p.isArray() || !Arrays.equals(p.dims(), dims)) {
                throw new IllegalArgumentException("result " + p + " must have dimensions " + Arrays.toString(dims));
            }
            outs.add(Array.allocate(p));
        }
        return outs;
    }

    private static Value result(List<Array> outs, int n) {
        return n == 1 && outs.size() == 1 ? outs.get(0) : new TupleValue(new ArrayList<Value>(outs));
    }

    private static Optional<BinaryCombiner> typedReducer(HloComputation c, Array in, Array init, Array out) {
        ElementType t = in.type();
        if (init.type() != t || out.type() != t) {
            return Optional.empty();
        }
        return BinaryCombiner.recognize(c, t);
    }

    /** One reducer step over N accumulators and the N inputs' elements at {@code offset}. */
    private static List<Array> call(
            HloComputation reducer, List<Array> acc, List<Array> inputs, int offset, EvaluationContext ctx) {
        List<Value> args = new ArrayList<>(2 * acc.size());
        args.addAll(acc);
        for (Array in : inputs) {
            args.add(ScalarCalls.scalarAt(in, offset));
        }
        return ScalarCalls.results(ctx.evaluate(reducer, args), acc.size(), reducer);
    }

    private static void storeAll(List<Array> acc, List<Array> outs, int j) {
        for (int i = 0; i < outs.size(); i++) {
            ScalarCalls.store(acc.get(i), outs.get(i), j);
        }
    }

    private static long[] toLongs(List<Long> l) {
        long[] a = new long[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }

    private static int[] toInts(List<Integer> l) {
        int[] a = new int[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }
}
