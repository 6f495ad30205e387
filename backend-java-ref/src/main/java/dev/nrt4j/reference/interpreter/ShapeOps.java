package dev.nrt4j.reference.interpreter;

import dev.nrt4j.BFloat16;
import dev.nrt4j.Float16;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import dev.nrt4j.hlo.PaddingDimension;
import dev.nrt4j.hlo.SliceDimension;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Data movement without arithmetic: {@code broadcast}, {@code reshape}, {@code transpose},
 * {@code slice}, {@code dynamic-slice}, {@code dynamic-update-slice}, {@code pad},
 * {@code concatenate}, {@code reverse}, {@code iota}, {@code bitcast} and
 * {@code get-dimension-size}. Every copy is a {@link BlockCopy}, so index arithmetic happens once
 * per contiguous run, not per element.
 */
final class ShapeOps {
    private ShapeOps() {}

    static void registerAll(OpRegistry r) {
        r.register(ShapeOps::broadcast, HloOpcode.BROADCAST);
        r.register(ShapeOps::reshape, HloOpcode.RESHAPE);
        r.register(ShapeOps::transpose, HloOpcode.TRANSPOSE);
        r.register(ShapeOps::slice, HloOpcode.SLICE);
        r.register(ShapeOps::dynamicSlice, HloOpcode.DYNAMIC_SLICE);
        r.register(ShapeOps::dynamicUpdateSlice, HloOpcode.DYNAMIC_UPDATE_SLICE);
        r.register(ShapeOps::pad, HloOpcode.PAD);
        r.register(ShapeOps::concatenate, HloOpcode.CONCATENATE);
        r.register(ShapeOps::reverse, HloOpcode.REVERSE);
        r.register(ShapeOps::iota, HloOpcode.IOTA);
        r.register(ShapeOps::bitcast, HloOpcode.BITCAST);
        r.register(ShapeOps::getDimensionSize, HloOpcode.GET_DIMENSION_SIZE);
    }

    /** The result shape, which must be an array of the operand's element type. */
    private static HloShape resultLike(HloInstruction ins, Array operand) {
        HloShape s = ins.shape();
        if (!s.isArray()) {
            throw new IllegalArgumentException("result shape " + s + " is not an array");
        }
        if (operand != null && s.elementType() != operand.type()) {
            throw new IllegalArgumentException("result type " + s.elementType().textName()
                    + " differs from the operand's " + operand.type().textName());
        }
        return s;
    }

    private static int[] ints(List<Long> values, String what) {
        int[] r = new int[values.size()];
        for (int i = 0; i < r.length; i++) {
            long v = values.get(i);
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(what + " " + values + " has an out-of-range entry");
            }
            r[i] = (int) v;
        }
        return r;
    }

    private static int[] counts(long[] dims) {
        int[] c = new int[dims.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = (int) dims[i];
        }
        return c;
    }

    static Value broadcast(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        Array a = ops.get(0).asArray();
        HloShape s = resultLike(ins, a);
        int[] map = ints(ins.dimensions(), "broadcast dimensions");
        if (map.length != a.rank()) {
            throw new IllegalArgumentException(
                    "broadcast dimensions " + ins.dimensions() + " do not map all " + a.rank() + " operand dimensions");
        }
        int[] inStrides = a.strides();
        int[] srcStrides = new int[s.rank()];
        boolean[] used = new boolean[s.rank()];
        for (int k = 0; k < map.length; k++) {
            int d = map[k];
            if (d >= s.rank() || used[d] || s.dim(d) != a.dim(k)) {
                throw new IllegalArgumentException(
                        "broadcast dimension " + d + " of operand dimension " + k + " does not fit " + a + " -> " + s);
            }
            used[d] = true;
            srcStrides[d] = inStrides[k];
        }
        Array out = Array.allocate(s);
        BlockCopy.copy(a, 0, srcStrides, out, 0, out.strides(), counts(s.dims()));
        return out;
    }

    static Value reshape(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        Array a = ops.get(0).asArray();
        HloShape s = resultLike(ins, a);
        if (s.elementCount() != a.size()) {
            throw new IllegalArgumentException("cannot reshape " + a + " (" + a.size() + " elements) to " + s);
        }
        // Values are immutable and row-major, so the new array can share the operand's storage.
        return Array.wrap(a.type(), s.dims(), a.data());
    }

    static Value transpose(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        Array a = ops.get(0).asArray();
        HloShape s = resultLike(ins, a);
        int[] perm = ints(ins.dimensions(), "transpose permutation");
        return transpose(a, perm, s.dims());
    }

    /** Output dimension i is operand dimension {@code perm[i]}. */
    static Array transpose(Array a, int[] perm, long[] expectedDims) {
        if (perm.length != a.rank()) {
            throw new IllegalArgumentException("permutation " + Arrays.toString(perm) + " does not fit " + a);
        }
        boolean[] seen = new boolean[perm.length];
        long[] dims = new long[perm.length];
        int[] inStrides = a.strides();
        int[] srcStrides = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] >= perm.length || seen[perm[i]]) {
                throw new IllegalArgumentException(Arrays.toString(perm) + " is not a permutation");
            }
            seen[perm[i]] = true;
            dims[i] = a.dim(perm[i]);
            srcStrides[i] = inStrides[perm[i]];
        }
        if (expectedDims != null && !Arrays.equals(dims, expectedDims)) {
            throw new IllegalArgumentException("transposing " + a + " by " + Arrays.toString(perm) + " gives "
                    + Arrays.toString(dims) + ", not " + Arrays.toString(expectedDims));
        }
        Array out = Array.allocate(a.type(), dims);
        BlockCopy.copy(a, 0, srcStrides, out, 0, out.strides(), counts(dims));
        return out;
    }

    static Value slice(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        Array a = ops.get(0).asArray();
        HloShape s = resultLike(ins, a);
        List<SliceDimension> sl = ins.slice();
        if (sl.size() != a.rank() || s.rank() != a.rank()) {
            throw new IllegalArgumentException("slice " + sl + " does not fit " + a + " -> " + s);
        }
        int[] inStrides = a.strides();
        int[] srcStrides = new int[a.rank()];
        int base = 0;
        for (int d = 0; d < a.rank(); d++) {
            SliceDimension x = sl.get(d);
            if (x.stride() < 1 || x.start() < 0 || x.start() > x.limit() || x.limit() > a.dim(d)) {
                throw new IllegalArgumentException("slice " + x + " does not fit dimension " + d + " of " + a);
            }
            long n = (x.limit() - x.start() + x.stride() - 1) / x.stride();
            if (n != s.dim(d)) {
                throw new IllegalArgumentException(
                        "slice " + x + " gives " + n + " elements, the result has " + s.dim(d));
            }
            base += (int) x.start() * inStrides[d];
            srcStrides[d] = (int) Math.min(x.stride(), a.dim(d)) * inStrides[d];
        }
        Array out = Array.allocate(s);
        BlockCopy.copy(a, base, srcStrides, out, 0, out.strides(), counts(s.dims()));
        return out;
    }

    /**
     * The start indices of a dynamic slice, each clamped so the window of {@code sizes} fits: one
     * scalar operand per dimension, or (the old form) one rank-1 vector.
     */
    private static long[] clampedStarts(List<Value> ops, int first, Array operand, long[] sizes) {
        int rank = operand.rank();
        long[] starts = new long[rank];
        int scalars = ops.size() - first;
        if (scalars == 1 && ops.get(first).asArray().rank() == 1) {
            Array v = ops.get(first).asArray();
            if (v.size() != rank) {
                throw new IllegalArgumentException("start index vector " + v + " does not fit " + operand);
            }
            for (int d = 0; d < rank; d++) {
                starts[d] = BlockCopy.index(v, d);
            }
        } else {
            if (scalars != rank) {
                throw new IllegalArgumentException(scalars + " start indices for " + operand);
            }
            for (int d = 0; d < rank; d++) {
                Array v = ops.get(first + d).asArray();
                if (v.size() != 1 || v.rank() != 0) {
                    throw new IllegalArgumentException("start index " + d + " is " + v + ", not a scalar");
                }
                starts[d] = BlockCopy.index(v, 0);
            }
        }
        for (int d = 0; d < rank; d++) {
            if (sizes[d] < 0 || sizes[d] > operand.dim(d)) {
                throw new IllegalArgumentException(
                        "slice size " + sizes[d] + " does not fit dimension " + d + " of " + operand);
            }
            starts[d] = Math.max(0, Math.min(starts[d], operand.dim(d) - sizes[d]));
        }
        return starts;
    }

    static Value dynamicSlice(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        Array a = ops.get(0).asArray();
        HloShape s = resultLike(ins, a);
        long[] sizes = s.dims();
        if (sizes.length != a.rank()) {
            throw new IllegalArgumentException("result " + s + " does not have the rank of " + a);
        }
        if (!ins.dynamicSliceSizes().isEmpty()) {
            long[] declared =
                    ins.dynamicSliceSizes().stream().mapToLong(Long::longValue).toArray();
            if (!Arrays.equals(declared, sizes)) {
                throw new IllegalArgumentException(
                        "dynamic_slice_sizes " + ins.dynamicSliceSizes() + " differ from " + s);
            }
        }
        long[] starts = clampedStarts(ops, 1, a, sizes);
        int[] inStrides = a.strides();
        int base = 0;
        for (int d = 0; d < starts.length; d++) {
            base += (int) starts[d] * inStrides[d];
        }
        Array out = Array.allocate(s);
        BlockCopy.copy(a, base, inStrides, out, 0, out.strides(), counts(sizes));
        return out;
    }

    static Value dynamicUpdateSlice(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        Array a = ops.get(0).asArray();
        Array u = ops.get(1).asArray();
        HloShape s = resultLike(ins, a);
        if (!Arrays.equals(s.dims(), a.dims()) || u.type() != a.type() || u.rank() != a.rank()) {
            throw new IllegalArgumentException("update " + u + " of " + a + " does not give " + s);
        }
        long[] starts = clampedStarts(ops, 2, a, u.dims());
        Array out = Array.allocate(s);
        Array.copy(a, 0, out, 0, a.size());
        int[] outStrides = out.strides();
        int base = 0;
        for (int d = 0; d < starts.length; d++) {
            base += (int) starts[d] * outStrides[d];
        }
        BlockCopy.copy(u, 0, u.strides(), out, base, outStrides, counts(u.dims()));
        return out;
    }

    static Value pad(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        Array a = ops.get(0).asArray();
        Array value = ops.get(1).asArray();
        HloShape s = resultLike(ins, a);
        List<PaddingDimension> pads = ins.padding();
        int rank = a.rank();
        if (pads.size() != rank || s.rank() != rank) {
            throw new IllegalArgumentException("padding " + pads + " does not fit " + a + " -> " + s);
        }
        int[] inStrides = a.strides();
        int[] outStrides = Array.rowMajorStrides(s.dims());
        int[] srcStrides = new int[rank];
        int[] dstStrides = new int[rank];
        int[] counts = new int[rank];
        int srcBase = 0;
        int dstBase = 0;
        for (int d = 0; d < rank; d++) {
            PaddingDimension p = pads.get(d);
            long n = a.dim(d);
            if (p.interior() < 0) {
                throw new IllegalArgumentException("negative interior padding in " + p);
            }
            long step = p.interior() + 1;
            long spread = n == 0 ? 0 : n + (n - 1) * p.interior();
            long outDim = p.low() + p.high() + spread;
            if (outDim != s.dim(d)) {
                throw new IllegalArgumentException("padding " + p + " of dimension " + d + " of " + a + " gives "
                        + outDim + ", the result has " + s.dim(d));
            }
            // Operand elements land at low + i*step; keep those that fall inside [0, outDim).
            long first = p.low() >= 0 ? 0 : (-p.low() + step - 1) / step;
            long last = Math.min(n - 1, Math.floorDiv(outDim - 1 - p.low(), step));
            long count = Math.max(0, last - first + 1);
            counts[d] = (int) count;
            if (count > 0) {
                srcBase += (int) first * inStrides[d];
                dstBase += (int) (p.low() + first * step) * outStrides[d];
            }
            srcStrides[d] = inStrides[d];
            dstStrides[d] = (int) step * outStrides[d];
        }
        Array out = Array.allocate(s);
        BlockCopy.fill(out, value);
        BlockCopy.copy(a, srcBase, srcStrides, out, dstBase, dstStrides, counts);
        return out;
    }

    static Value concatenate(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        if (ops.isEmpty() || ins.dimensions().size() != 1) {
            throw new IllegalArgumentException("concatenate needs operands and one dimension");
        }
        Array first = ops.get(0).asArray();
        HloShape s = resultLike(ins, first);
        int axis = ints(ins.dimensions(), "concatenate dimension")[0];
        if (axis >= s.rank()) {
            throw new IllegalArgumentException("concatenate dimension " + axis + " does not fit " + s);
        }
        Array out = Array.allocate(s);
        int[] outStrides = out.strides();
        long offset = 0;
        for (Value v : ops) {
            Array a = v.asArray();
            if (a.type() != s.elementType() || a.rank() != s.rank()) {
                throw new IllegalArgumentException("operand " + a + " does not fit " + s);
            }
            for (int d = 0; d < s.rank(); d++) {
                if (d != axis && a.dim(d) != s.dim(d)) {
                    throw new IllegalArgumentException("operand " + a + " does not fit " + s + " along dimension " + d);
                }
            }
            if (offset + a.dim(axis) > s.dim(axis)) {
                throw new IllegalArgumentException("operands are longer than " + s + " along dimension " + axis);
            }
            BlockCopy.copy(a, 0, a.strides(), out, (int) offset * outStrides[axis], outStrides, counts(a.dims()));
            offset += a.dim(axis);
        }
        if (offset != s.dim(axis)) {
            throw new IllegalArgumentException("operands are shorter than " + s + " along dimension " + axis);
        }
        return out;
    }

    static Value reverse(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        Array a = ops.get(0).asArray();
        HloShape s = resultLike(ins, a);
        if (!Arrays.equals(s.dims(), a.dims())) {
            throw new IllegalArgumentException("reverse of " + a + " cannot give " + s);
        }
        int[] srcStrides = a.strides();
        int base = 0;
        boolean[] seen = new boolean[a.rank()];
        for (int d : ints(ins.dimensions(), "reverse dimensions")) {
            if (d >= a.rank() || seen[d]) {
                throw new IllegalArgumentException("reverse dimensions " + ins.dimensions() + " do not fit " + a);
            }
            seen[d] = true;
            if (a.dim(d) > 0) {
                base += (int) (a.dim(d) - 1) * srcStrides[d];
            }
            srcStrides[d] = -srcStrides[d];
        }
        Array out = Array.allocate(s);
        BlockCopy.copy(a, base, srcStrides, out, 0, out.strides(), counts(s.dims()));
        return out;
    }

    static Value iota(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        HloShape s = resultLike(ins, null);
        if (ins.dimensions().size() != 1) {
            throw new IllegalArgumentException("iota needs one iota_dimension, got " + ins.dimensions());
        }
        int dim = ints(ins.dimensions(), "iota dimension")[0];
        if (dim >= s.rank()) {
            throw new IllegalArgumentException("iota dimension " + dim + " does not fit " + s);
        }
        int n = (int) s.dim(dim);
        Array line = iotaLine(s.elementType(), n);
        int[] srcStrides = new int[s.rank()];
        srcStrides[dim] = 1;
        Array out = Array.allocate(s);
        BlockCopy.copy(line, 0, srcStrides, out, 0, out.strides(), counts(s.dims()));
        return out;
    }

    /** 0..n-1 converted to the type as {@code convert} from s64 would (bf16/f16 via f32, as Eigen does). */
    private static Array iotaLine(ElementType t, int n) {
        Array line = Array.allocate(t, n);
        switch (t) {
            case PRED: {
                byte[] b = line.bytes();
                for (int i = 1; i < n; i++) {
                    b[i] = 1;
                }
                break;
            }
            case S8:
            case U8: {
                byte[] b = line.bytes();
                for (int i = 0; i < n; i++) {
                    b[i] = (byte) i;
                }
                break;
            }
            case S16:
            case U16: {
                short[] b = line.shorts();
                for (int i = 0; i < n; i++) {
                    b[i] = (short) i;
                }
                break;
            }
            case S32:
            case U32: {
                int[] b = line.ints();
                for (int i = 0; i < n; i++) {
                    b[i] = i;
                }
                break;
            }
            case S64:
            case U64: {
                long[] b = line.longs();
                for (int i = 0; i < n; i++) {
                    b[i] = i;
                }
                break;
            }
            case F32: {
                float[] b = line.floats();
                for (int i = 0; i < n; i++) {
                    b[i] = i;
                }
                break;
            }
            case F64: {
                double[] b = line.doubles();
                for (int i = 0; i < n; i++) {
                    b[i] = i;
                }
                break;
            }
            case BF16: {
                short[] b = line.shorts();
                for (int i = 0; i < n; i++) {
                    b[i] = BFloat16.fromFloat((float) i);
                }
                break;
            }
            case F16: {
                short[] b = line.shorts();
                for (int i = 0; i < n; i++) {
                    b[i] = Float16.fromFloat((float) i);
                }
                break;
            }
            case C64: {
                float[] b = line.floats();
                for (int i = 0; i < n; i++) {
                    b[2 * i] = i;
                }
                break;
            }
            case C128: {
                double[] b = line.doubles();
                for (int i = 0; i < n; i++) {
                    b[2 * i] = i;
                }
                break;
            }
            default:
                throw new IllegalArgumentException("iota of " + t.textName() + " is not supported");
        }
        return line;
    }

    /**
     * Reinterprets the operand's buffer in its physical layout: lay the operand out in its own
     * layout's order, read that sequence as the result's physical order, then bring the result back to
     * logical (row-major) order. With default layouts on both sides this is a reshape; an element type
     * of the same byte size reinterprets the bits.
     */
    static Value bitcast(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        Array a = ops.get(0).asArray();
        HloShape s = resultLike(ins, null);
        HloShape in = ins.operand(0).shape();
        if ((long) a.size() * a.type().byteSize()
                        != s.elementCount() * s.elementType().byteSize()
                || Array.lanes(a.type()) != Array.lanes(s.elementType())) {
            throw new IllegalArgumentException("bitcast of " + a + " to " + s + " changes the byte size");
        }
        Array physical = a;
        if (in.isArray() && !in.hasDefaultLayout() && Arrays.equals(in.dims(), a.dims())) {
            physical = transpose(a, majorToMinor(in), null);
        }
        long[] outPhysicalDims = new long[s.rank()];
        int[] outOrder = majorToMinor(s);
        for (int i = 0; i < outOrder.length; i++) {
            outPhysicalDims[i] = s.dim(outOrder[i]);
        }
        Array reinterpreted;
        if (physical.type() == s.elementType()) {
            reinterpreted = Array.wrap(s.elementType(), outPhysicalDims, physical.data());
        } else {
            reinterpreted = Array.fromBytes(s.elementType(), outPhysicalDims, ByteBuffer.wrap(physical.toBytes()));
        }
        if (s.hasDefaultLayout()) {
            return reinterpreted;
        }
        // Physical dimension i is logical dimension outOrder[i]; logical dimension outOrder[i] reads physical i.
        int[] inverse = new int[outOrder.length];
        for (int i = 0; i < outOrder.length; i++) {
            inverse[outOrder[i]] = i;
        }
        return transpose(reinterpreted, inverse, s.dims());
    }

    /** The layout's dimensions, major first. */
    private static int[] majorToMinor(HloShape shape) {
        int[] m2m = shape.minorToMajor();
        int[] r = new int[m2m.length];
        for (int i = 0; i < m2m.length; i++) {
            r[i] = m2m[m2m.length - 1 - i];
        }
        return r;
    }

    static Value getDimensionSize(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        Array a = ops.get(0).asArray();
        if (ins.dimensions().size() != 1) {
            throw new IllegalArgumentException("get-dimension-size needs one dimension, got " + ins.dimensions());
        }
        int d = ints(ins.dimensions(), "dimension")[0];
        if (d >= a.rank()) {
            throw new IllegalArgumentException("dimension " + d + " does not fit " + a);
        }
        Array out = Array.allocate(ElementType.S32);
        out.ints()[0] = (int) a.dim(d);
        return out;
    }
}
