package dev.nrt4j.hlo;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * {@link HloTypeChecker} rules for ops that produce or rearrange one array from its attributes:
 * {@code pad}, {@code iota}, {@code reverse}, {@code sort}, {@code map}, {@code bitcast-convert},
 * {@code reduce-precision}, {@code get-dimension-size} and {@code rng-bit-generator}.
 */
final class ArrayOpRules {
    /** Types narrower than a byte; their bit width is not their byte size, so bitcasts of them are not checked. */
    private static final Set<ElementType> SUB_BYTE = Set.of(
            ElementType.S4,
            ElementType.U4,
            ElementType.S2,
            ElementType.U2,
            ElementType.S1,
            ElementType.U1,
            ElementType.F4E2M1FN);

    private ArrayOpRules() {}

    static void register(Map<HloOpcode, BiConsumer<CheckSite, HloInstruction>> r) {
        r.put(HloOpcode.PAD, ArrayOpRules::pad);
        r.put(HloOpcode.IOTA, ArrayOpRules::iota);
        r.put(HloOpcode.REVERSE, ArrayOpRules::reverse);
        r.put(HloOpcode.SORT, ArrayOpRules::sort);
        r.put(HloOpcode.MAP, ArrayOpRules::map);
        r.put(HloOpcode.BITCAST_CONVERT, ArrayOpRules::bitcastConvert);
        r.put(HloOpcode.REDUCE_PRECISION, ArrayOpRules::reducePrecision);
        r.put(HloOpcode.GET_DIMENSION_SIZE, ArrayOpRules::getDimensionSize);
        r.put(HloOpcode.RNG_BIT_GENERATOR, ArrayOpRules::rngBitGenerator);
    }

    /** Each dimension grows by its edge padding (negative crops) and by interior padding between elements. */
    private static void pad(CheckSite x, HloInstruction i) {
        x.operands(2);
        HloShape a = x.array(0);
        HloShape v = x.array(1);
        if (v.rank() != 0) {
            throw x.invalid("operand 1 is " + v + ", expected a scalar padding value");
        }
        if (v.elementType() != a.elementType()
                && !(v.elementType().isFloatingPoint() && a.elementType().isFloatingPoint())) {
            throw x.invalid("operand 1 is " + v + ", expected a padding value of type "
                    + a.elementType().textName() + " like operand 0 " + a);
        }
        List<PaddingDimension> p = i.padding();
        if (p.size() != a.rank()) {
            throw x.invalid("padding has " + p.size() + " dimensions, operand 0 " + a + " has " + a.rank());
        }
        long[] dims = new long[a.rank()];
        for (int k = 0; k < dims.length; k++) {
            PaddingDimension d = p.get(k);
            long n = a.dim(k);
            try {
                long interior = n == 0 ? 0 : Math.multiplyExact(n - 1, d.interior());
                dims[k] = d.interior() < 0
                        ? -1
                        : Math.addExact(Math.addExact(Math.addExact(n, interior), d.low()), d.high());
            } catch (ArithmeticException e) {
                dims[k] = -1;
            }
            if (dims[k] < 0) {
                throw x.invalid("padding " + d.low() + "_" + d.high() + "_" + d.interior() + " of dimension " + k
                        + " of operand 0 " + a + " leaves a negative or overflowing size");
            }
        }
        HloShape out = HloTypeChecker.inferred(x, a.elementType(), dims);
        if (a.elementType() == v.elementType()) {
            x.result(out);
        } else {
            HloTypeChecker.floatResult(x, out);
        }
    }

    private static void iota(CheckSite x, HloInstruction i) {
        x.operands(0);
        HloShape r = x.resultArray();
        if (r.rank() == 0 || i.dimensions().size() != 1) {
            throw x.invalid("declares " + r + " with iota_dimension " + i.dimensions()
                    + "; expected an array of rank 1 or more" + " and one iota dimension");
        }
        x.dimensionOf(i.dimensions().get(0), r, "iota_dimension");
    }

    private static void reverse(CheckSite x, HloInstruction i) {
        x.operands(1);
        HloShape a = x.array(0);
        boolean[] seen = new boolean[a.rank()];
        for (long d : i.dimensions()) {
            int k = x.dimensionOf(d, a, "dimensions=" + i.dimensions() + ": dimension");
            if (seen[k]) {
                throw x.invalid("dimensions=" + i.dimensions() + " names dimension " + k + " twice");
            }
            seen[k] = true;
        }
        x.result(a);
    }

    /**
     * N operands of one set of dimensions sorted together along one of them; the comparator takes
     * a pair of scalars of each operand's type and returns {@code pred[]}; the result has the operands'
     * shapes.
     */
    private static void sort(CheckSite x, HloInstruction i) {
        if (i.operands().isEmpty()) {
            throw x.invalid("takes at least 1 operand, has 0");
        }
        x.calledCount(1);
        HloShape first = x.array(0);
        List<HloShape> parts = new java.util.ArrayList<>();
        for (int k = 0; k < i.operands().size(); k++) {
            HloShape o = x.array(k);
            if (!Arrays.equals(o.dims(), first.dims())) {
                throw x.invalid("operand " + k + " is " + o + ", expected the dimensions of operand 0 " + first);
            }
            parts.add(o);
        }
        if (i.dimensions().size() != 1) {
            throw x.invalid("dimensions=" + i.dimensions() + " must name one dimension");
        }
        x.dimensionOf(i.dimensions().get(0), first, "dimensions");
        HloComputation cmp = i.calledComputations().get(0);
        x.scalarParameters("comparator", cmp, 2 * parts.size());
        for (int k = 0; k < 2 * parts.size(); k++) {
            ElementType want = parts.get(k / 2).elementType();
            if (cmp.parameters().get(k).shape().elementType() != want) {
                throw x.invalid("comparator " + cmp.name() + " parameter " + k + " is "
                        + cmp.parameters().get(k).shape() + ", expected " + want.textName() + "[] for operand " + k / 2
                        + " " + parts.get(k / 2));
            }
        }
        if (!cmp.resultShape().sameDimensionsAndType(HloShape.array(ElementType.PRED))) {
            throw x.invalid("comparator " + cmp.name() + " returns " + cmp.resultShape() + ", expected pred[]");
        }
        x.result(parts.size() == 1 ? parts.get(0) : HloShape.tuple(parts));
    }

    /** The callee maps one scalar of each operand to a scalar; the result has the operands' dimensions and its type. */
    private static void map(CheckSite x, HloInstruction i) {
        if (i.operands().isEmpty()) {
            throw x.invalid("takes at least 1 operand, has 0");
        }
        x.calledCount(1);
        HloShape first = x.array(0);
        for (int k = 1; k < i.operands().size(); k++) {
            HloShape o = x.array(k);
            if (!Arrays.equals(o.dims(), first.dims())) {
                throw x.invalid("operand " + k + " is " + o + ", expected the dimensions of operand 0 " + first);
            }
        }
        HloComputation f = i.calledComputations().get(0);
        x.scalarParameters("to_apply", f, i.operands().size());
        HloShape out = f.resultShape();
        if (!out.isArray() || out.rank() != 0) {
            throw x.invalid("to_apply " + f.name() + " returns " + out + ", expected a scalar");
        }
        x.result(HloShape.array(out.elementType(), first.dims()));
    }

    /**
     * Same bit width: same dimensions. A narrower result adds a minor dimension holding the pieces of
     * each element; a wider one consumes the operand's minor dimension, which must hold exactly one
     * result element's worth.
     */
    private static void bitcastConvert(CheckSite x, HloInstruction i) {
        x.operands(1);
        HloShape a = x.array(0);
        HloShape r = x.resultArray();
        if (SUB_BYTE.contains(a.elementType()) || SUB_BYTE.contains(r.elementType())) {
            return;
        }
        int from = a.elementType().byteSize();
        int to = r.elementType().byteSize();
        long[] dims = a.dims();
        if (to < from) {
            dims = Arrays.copyOf(dims, dims.length + 1);
            dims[dims.length - 1] = from / to;
        } else if (to > from) {
            if (a.rank() == 0 || a.dim(a.rank() - 1) != to / from) {
                throw x.invalid("operand 0 is " + a + "; a bitcast to the wider "
                        + r.elementType().textName() + " needs a minor dimension of " + to / from);
            }
            dims = Arrays.copyOf(dims, dims.length - 1);
        }
        x.result(HloTypeChecker.inferred(x, r.elementType(), dims));
    }

    private static void reducePrecision(CheckSite x, HloInstruction i) {
        x.operands(1);
        HloShape a = x.array(0);
        if (!a.elementType().isFloatingPoint() || i.exponentBits() < 1 || i.mantissaBits() < 0) {
            throw x.invalid("operand 0 is " + a + " with exponent_bits=" + i.exponentBits() + " mantissa_bits="
                    + i.mantissaBits()
                    + "; expected a floating-point operand, 1 or more exponent and 0 or more mantissa bits");
        }
        x.result(a);
    }

    private static void getDimensionSize(CheckSite x, HloInstruction i) {
        x.operands(1);
        HloShape a = x.array(0);
        if (i.dimensions().size() != 1) {
            throw x.invalid("dimensions=" + i.dimensions() + " must name one dimension");
        }
        x.dimensionOf(i.dimensions().get(0), a, "dimensions");
        x.result(HloShape.array(ElementType.S32));
    }

    /** The result is the new state, of the operand's shape, and an array of random bits of any shape. */
    private static void rngBitGenerator(CheckSite x, HloInstruction i) {
        x.operands(1);
        HloShape state = x.array(0);
        HloShape r = i.shape();
        if (!r.isTuple()
                || r.tupleShapes().size() != 2
                || !r.tupleShapes().get(1).isArray()) {
            throw x.invalid("declares " + r + ", expected (" + state.withDefaultLayout() + ", bits)");
        }
        x.result(HloShape.tuple(List.of(state, r.tupleShapes().get(1))));
    }
}
