package dev.nrt4j.reference.interpreter;

import dev.nrt4j.BFloat16;
import java.util.Optional;

/**
 * The loops of the exact elementwise operations whose scalar form the JIT leaves branchy or slow, chosen once per
 * JVM: f32 {@code compare}, 32-bit {@code select} on a pred, and the conversions f32 to bf16 (also in place, as a
 * fused bf16 chain rounds) and bf16 to f32. (f32 to s32 has none: C2 vectorizes its scalar loop, a plain
 * {@code (int)} cast, and a Vector API one measured no faster.) "Exact": each output element is a function of its
 * own input elements alone, with no rounding choice beyond the one the scalar loop makes, so a vector loop
 * ({@code VectorElementwise}, on {@code jdk.incubator.vector}, when {@link VectorModule} can load it) computes the
 * same bits for every input, NaN payloads, zero signs, subnormals and infinities included; {@code
 * ElementwiseKernelsTest} holds it to that. The scalar loops here are the definitions. Stateless and thread-safe.
 */
final class ElementwiseKernels {
    /**
     * Loops over {@code n} elements: inputs from {@code pos} (or {@code xPos}), outputs from {@code rPos} (or
     * {@code zPos}).
     */
    interface Kernel {
        /**
         * {@code z[zPos + i] = x[xPos + i] op y[xPos + i] ? 1 : 0}, IEEE comparisons (a NaN is unordered: only
         * {@link SelectionOps#NE} holds), {@code op} one of {@link SelectionOps}' directions.
         */
        void compare(int op, float[] x, float[] y, int xPos, byte[] z, int zPos, int n);

        /** {@code r[pos + i] = p[pos + i] != 0 ? a[pos + i] : b[pos + i]}: the chosen bits, unchanged. */
        void select(byte[] p, float[] a, float[] b, float[] r, int pos, int n);

        /** {@link #select(byte[], float[], float[], float[], int, int)} on 32-bit integers. */
        void select(byte[] p, int[] a, int[] b, int[] r, int pos, int n);

        /** {@code r[rPos + i] = BFloat16.fromFloat(a[pos + i])}: round to nearest even, NaNs kept quiet. */
        void toBf16(float[] a, int pos, short[] r, int rPos, int n);

        /** {@code z[pos + i] = BFloat16.toFloat(BFloat16.fromFloat(z[pos + i]))}: an f32 rounded to bf16 in place. */
        void roundToBf16(float[] z, int pos, int n);

        /**
         * {@code r[rPos + i] = BFloat16.toFloat(a[pos + i])}: exact; with {@code quiet}, a signaling NaN also gets
         * the quiet bit, as widening to f64 and back (the generic {@code convert} path) gives it.
         */
        void fromBf16(short[] a, int pos, float[] r, int rPos, int n, boolean quiet);
    }

    /** An f32 NaN's quiet bit. */
    static final int QUIET = 0x0040_0000;

    /** Element by element: the definitions. */
    static final Kernel SCALAR = new Kernel() {
        @Override
        public void compare(int op, float[] x, float[] y, int xPos, byte[] z, int zPos, int n) {
            int o = zPos - xPos;
            int to = xPos + n;
            switch (op) {
                case SelectionOps.EQ:
                    for (int i = xPos; i < to; i++) {
                        z[o + i] = (byte) (x[i] == y[i] ? 1 : 0);
                    }
                    return;
                case SelectionOps.NE:
                    for (int i = xPos; i < to; i++) {
                        z[o + i] = (byte) (x[i] != y[i] ? 1 : 0);
                    }
                    return;
                case SelectionOps.LT:
                    for (int i = xPos; i < to; i++) {
                        z[o + i] = (byte) (x[i] < y[i] ? 1 : 0);
                    }
                    return;
                case SelectionOps.LE:
                    for (int i = xPos; i < to; i++) {
                        z[o + i] = (byte) (x[i] <= y[i] ? 1 : 0);
                    }
                    return;
                case SelectionOps.GT:
                    for (int i = xPos; i < to; i++) {
                        z[o + i] = (byte) (x[i] > y[i] ? 1 : 0);
                    }
                    return;
                default:
                    for (int i = xPos; i < to; i++) {
                        z[o + i] = (byte) (x[i] >= y[i] ? 1 : 0);
                    }
            }
        }

        @Override
        public void select(byte[] p, float[] a, float[] b, float[] r, int pos, int n) {
            for (int i = pos; i < pos + n; i++) {
                r[i] = p[i] != 0 ? a[i] : b[i];
            }
        }

        @Override
        public void select(byte[] p, int[] a, int[] b, int[] r, int pos, int n) {
            for (int i = pos; i < pos + n; i++) {
                r[i] = p[i] != 0 ? a[i] : b[i];
            }
        }

        @Override
        public void toBf16(float[] a, int pos, short[] r, int rPos, int n) {
            for (int i = 0; i < n; i++) {
                r[rPos + i] = BFloat16.fromFloat(a[pos + i]);
            }
        }

        @Override
        public void roundToBf16(float[] z, int pos, int n) {
            for (int i = pos; i < pos + n; i++) {
                z[i] = BFloat16.toFloat(BFloat16.fromFloat(z[i]));
            }
        }

        @Override
        public void fromBf16(short[] a, int pos, float[] r, int rPos, int n, boolean quiet) {
            for (int i = 0; i < n; i++) {
                int bits = Float.floatToRawIntBits(BFloat16.toFloat(a[pos + i]));
                if (quiet && (bits & 0x7FFF_FFFF) > 0x7F80_0000) {
                    bits |= QUIET;
                }
                r[rPos + i] = Float.intBitsToFloat(bits);
            }
        }
    };

    private static final Kernel VECTOR = VectorModule.load(Kernel.class, "VectorElementwise", "the vector loops")
            .kernel()
            .orElse(null);

    private ElementwiseKernels() {}

    /** The loops the handlers use. */
    static Kernel active() {
        return VECTOR != null ? VECTOR : SCALAR;
    }

    /** The vector loops, if this JVM can run them. */
    static Optional<Kernel> vector() {
        return Optional.ofNullable(VECTOR);
    }
}
