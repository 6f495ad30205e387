package dev.nrt4j.reference.interpreter;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ElementwiseKernels}' loops on {@code jdk.incubator.vector}, each the scalar definition lane by lane:
 * comparisons are the Vector API's, which are Java's ({@code NE} holds for NaN, the others do not); a select is a
 * blend, which moves whole lanes; bf16 rounding is {@code BFloat16.fromFloat}'s integer arithmetic on the float's
 * bits, NaNs taking its quiet-bit branch through a mask. Pred and bf16 lanes use species of as many lanes as the
 * float one. The tail past whole vectors runs the scalar loop. Each comparison is a constant at its call: C2
 * compiles a Vector API call to vector instructions only then.
 */
final class VectorElementwise implements ElementwiseKernels.Kernel {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> BS =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(FS.length() * Byte.SIZE));
    private static final VectorSpecies<Short> SS =
            VectorSpecies.of(short.class, VectorShape.forBitSize(FS.length() * Short.SIZE));
    private static final int L = FS.length();
    /**
     * Whether the loops that narrow 32-bit lanes to bytes or shorts ({@link #compare}'s pred, {@link #toBf16}) beat
     * the scalar ones on this JDK: on JDK 25 they do (about 2x, ElementwiseKernelBenchmark), on JDK 17 they measured
     * about 1.5x slower, so there these two hand over to the scalar loops; JDKs between were not measured.
     */
    private static final boolean NARROWING_PAYS = Runtime.version().feature() >= 25;

    VectorElementwise() {}

    @Override
    public void compare(int op, float[] x, float[] y, int xPos, byte[] z, int zPos, int n) {
        if (!NARROWING_PAYS) {
            ElementwiseKernels.SCALAR.compare(op, x, y, xPos, z, zPos, n);
            return;
        }
        int end = FS.loopBound(n);
        ByteVector zero = ByteVector.zero(BS);
        switch (op) {
            case SelectionOps.EQ:
                for (int i = 0; i < end; i += L) {
                    FloatVector a = FloatVector.fromArray(FS, x, xPos + i);
                    FloatVector b = FloatVector.fromArray(FS, y, xPos + i);
                    store(zero, a.compare(VectorOperators.EQ, b), z, zPos + i);
                }
                break;
            case SelectionOps.NE:
                for (int i = 0; i < end; i += L) {
                    FloatVector a = FloatVector.fromArray(FS, x, xPos + i);
                    FloatVector b = FloatVector.fromArray(FS, y, xPos + i);
                    store(zero, a.compare(VectorOperators.NE, b), z, zPos + i);
                }
                break;
            case SelectionOps.LT:
                for (int i = 0; i < end; i += L) {
                    FloatVector a = FloatVector.fromArray(FS, x, xPos + i);
                    FloatVector b = FloatVector.fromArray(FS, y, xPos + i);
                    store(zero, a.compare(VectorOperators.LT, b), z, zPos + i);
                }
                break;
            case SelectionOps.LE:
                for (int i = 0; i < end; i += L) {
                    FloatVector a = FloatVector.fromArray(FS, x, xPos + i);
                    FloatVector b = FloatVector.fromArray(FS, y, xPos + i);
                    store(zero, a.compare(VectorOperators.LE, b), z, zPos + i);
                }
                break;
            case SelectionOps.GT:
                for (int i = 0; i < end; i += L) {
                    FloatVector a = FloatVector.fromArray(FS, x, xPos + i);
                    FloatVector b = FloatVector.fromArray(FS, y, xPos + i);
                    store(zero, a.compare(VectorOperators.GT, b), z, zPos + i);
                }
                break;
            default:
                for (int i = 0; i < end; i += L) {
                    FloatVector a = FloatVector.fromArray(FS, x, xPos + i);
                    FloatVector b = FloatVector.fromArray(FS, y, xPos + i);
                    store(zero, a.compare(VectorOperators.GE, b), z, zPos + i);
                }
        }
        ElementwiseKernels.SCALAR.compare(op, x, y, xPos + end, z, zPos + end, n - end);
    }

    /** 1 where the mask is set, else 0, as pred bytes. */
    private static void store(ByteVector zero, VectorMask<Float> m, byte[] z, int at) {
        zero.blend((byte) 1, m.cast(BS)).intoArray(z, at);
    }

    @Override
    public void select(byte[] p, float[] a, float[] b, float[] r, int pos, int n) {
        int end = FS.loopBound(n);
        for (int i = pos; i < pos + end; i += L) {
            VectorMask<Float> m = ByteVector.fromArray(BS, p, i)
                    .compare(VectorOperators.NE, 0)
                    .cast(FS);
            FloatVector.fromArray(FS, b, i)
                    .blend(FloatVector.fromArray(FS, a, i), m)
                    .intoArray(r, i);
        }
        ElementwiseKernels.SCALAR.select(p, a, b, r, pos + end, n - end);
    }

    @Override
    public void select(byte[] p, int[] a, int[] b, int[] r, int pos, int n) {
        int end = IS.loopBound(n);
        for (int i = pos; i < pos + end; i += IS.length()) {
            VectorMask<Integer> m = ByteVector.fromArray(BS, p, i)
                    .compare(VectorOperators.NE, 0)
                    .cast(IS);
            IntVector.fromArray(IS, b, i)
                    .blend(IntVector.fromArray(IS, a, i), m)
                    .intoArray(r, i);
        }
        ElementwiseKernels.SCALAR.select(p, a, b, r, pos + end, n - end);
    }

    @Override
    public void toBf16(float[] a, int pos, short[] r, int rPos, int n) {
        if (!NARROWING_PAYS) {
            ElementwiseKernels.SCALAR.toBf16(a, pos, r, rPos, n);
            return;
        }
        int end = FS.loopBound(n);
        for (int i = 0; i < end; i += L) {
            bf16(FloatVector.fromArray(FS, a, pos + i))
                    .convertShape(VectorOperators.I2S, SS, 0)
                    .reinterpretAsShorts()
                    .intoArray(r, rPos + i);
        }
        ElementwiseKernels.SCALAR.toBf16(a, pos + end, r, rPos + end, n - end);
    }

    @Override
    public void roundToBf16(float[] z, int pos, int n) {
        int end = FS.loopBound(n);
        for (int i = pos; i < pos + end; i += L) {
            bf16(FloatVector.fromArray(FS, z, i))
                    .lanewise(VectorOperators.LSHL, 16)
                    .reinterpretAsFloats()
                    .intoArray(z, i);
        }
        ElementwiseKernels.SCALAR.roundToBf16(z, pos + end, n - end);
    }

    /** {@code BFloat16.fromFloat} of each lane, in the low 16 bits of an int lane. */
    private static IntVector bf16(FloatVector f) {
        IntVector bits = f.viewAsIntegralLanes();
        IntVector high = bits.lanewise(VectorOperators.LSHR, 16);
        // A NaN keeps its top payload bits and gets the quiet bit; anything else rounds to nearest even by adding
        // just under half an ulp plus the kept part's lowest bit.
        VectorMask<Integer> nan = bits.and(0x7FFF_FFFF).compare(VectorOperators.GT, 0x7F80_0000);
        IntVector rounded = bits.add(high.and(1)).add(0x7FFF).lanewise(VectorOperators.LSHR, 16);
        return rounded.blend(high.or(0x0040), nan);
    }

    @Override
    public void fromBf16(short[] a, int pos, float[] r, int rPos, int n, boolean quiet) {
        int end = FS.loopBound(n);
        int quietBit = quiet ? ElementwiseKernels.QUIET : 0;
        for (int i = 0; i < end; i += L) {
            // Sign extension fills the upper half, which the shift pushes out.
            IntVector bits = ShortVector.fromArray(SS, a, pos + i)
                    .convertShape(VectorOperators.S2I, IS, 0)
                    .reinterpretAsInts()
                    .lanewise(VectorOperators.LSHL, 16);
            VectorMask<Integer> nan = bits.and(0x7FFF_FFFF).compare(VectorOperators.GT, 0x7F80_0000);
            bits.blend(bits.or(quietBit), nan).reinterpretAsFloats().intoArray(r, rPos + i);
        }
        ElementwiseKernels.SCALAR.fromBf16(a, pos + end, r, rPos + end, n - end, quiet);
    }
}
