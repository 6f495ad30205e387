package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.ElementType;

/**
 * Copies a strided block of elements between arrays of one element type: element {@code (i_0..i_n)}
 * of the block is read at {@code srcBase + Σ i_d·srcStrides[d]} and written at
 * {@code dstBase + Σ i_d·dstStrides[d]}. Transpose, broadcast (stride 0), slice, reverse (negative
 * strides), pad, concatenate, dynamic slices and gather windows are all such copies.
 *
 * <p>Before copying, dimensions of extent 1 are dropped and neighbouring dimensions that are
 * contiguous in both arrays are merged, so that the innermost run is as long as possible; index
 * arithmetic then happens once per run and each run is one {@link System#arraycopy} or one tight
 * typed loop.
 */
final class BlockCopy {
    private BlockCopy() {}

    /** Copies the block; {@code counts} are the block's extents (all arrays of the same length). */
    static void copy(Array src, int srcBase, int[] srcStrides, Array dst, int dstBase, int[] dstStrides, int[] counts) {
        if (src.type() != dst.type()) {
            throw new IllegalArgumentException("cannot copy " + src.type().textName() + " elements into a "
                    + dst.type().textName() + " array");
        }
        int lanes = Array.lanes(src.type());
        Object s = src.data();
        Object t = dst.data();
        forEachRun(
                srcBase,
                srcStrides,
                dstBase,
                dstStrides,
                counts,
                (sp, ss, dp, ds, n) -> row(s, sp, ss, t, dp, ds, n, lanes));
    }

    /** Receives one run of a block walk: {@code n} elements from these positions with these strides. */
    @FunctionalInterface
    interface Run {
        void run(int aPos, int aStride, int bPos, int bStride, int n);
    }

    /**
     * Walks a block laid over two arrays (positions {@code aBase + Σ i_d·aStrides[d]} and likewise
     * for b) in row-major order of the block, one merged innermost run at a time.
     */
    static void forEachRun(int aBase, int[] aStrides, int bBase, int[] bStrides, int[] counts, Run visitor) {
        int n = counts.length;
        int[] c = new int[n];
        int[] ss = new int[n];
        int[] ds = new int[n];
        int r = 0;
        for (int d = 0; d < n; d++) {
            if (counts[d] == 0) {
                return;
            }
            if (counts[d] == 1) {
                continue;
            }
            if (r > 0 && ss[r - 1] == aStrides[d] * counts[d] && ds[r - 1] == bStrides[d] * counts[d]) {
                // The previous (outer) dimension steps exactly over this one in both arrays: merge them.
                c[r - 1] *= counts[d];
                ss[r - 1] = aStrides[d];
                ds[r - 1] = bStrides[d];
                continue;
            }
            c[r] = counts[d];
            ss[r] = aStrides[d];
            ds[r] = bStrides[d];
            r++;
        }
        if (r == 0) {
            visitor.run(aBase, 1, bBase, 1, 1);
            return;
        }
        int outer = r - 1;
        int len = c[outer];
        int sStep = ss[outer];
        int dStep = ds[outer];
        int[] idx = new int[outer];
        int sp = aBase;
        int dp = bBase;
        while (true) {
            visitor.run(sp, sStep, dp, dStep, len);
            int d = outer - 1;
            for (; d >= 0; d--) {
                idx[d]++;
                sp += ss[d];
                dp += ds[d];
                if (idx[d] < c[d]) {
                    break;
                }
                sp -= ss[d] * c[d];
                dp -= ds[d] * c[d];
                idx[d] = 0;
            }
            if (d < 0) {
                return;
            }
        }
    }

    /** One run of {@code n} elements with element strides; complex elements move as two lanes. */
    static void row(Object s, int sp, int ss, Object d, int dp, int ds, int n, int lanes) {
        if (ss == 1 && ds == 1) {
            System.arraycopy(s, sp * lanes, d, dp * lanes, n * lanes);
            return;
        }
        if (lanes == 2) {
            row(s, 2 * sp, 2 * ss, d, 2 * dp, 2 * ds, n, 1);
            row(s, 2 * sp + 1, 2 * ss, d, 2 * dp + 1, 2 * ds, n, 1);
            return;
        }
        if (s instanceof float[]) {
            float[] a = (float[]) s;
            float[] b = (float[]) d;
            for (int i = 0; i < n; i++, sp += ss, dp += ds) {
                b[dp] = a[sp];
            }
        } else if (s instanceof int[]) {
            int[] a = (int[]) s;
            int[] b = (int[]) d;
            for (int i = 0; i < n; i++, sp += ss, dp += ds) {
                b[dp] = a[sp];
            }
        } else if (s instanceof short[]) {
            short[] a = (short[]) s;
            short[] b = (short[]) d;
            for (int i = 0; i < n; i++, sp += ss, dp += ds) {
                b[dp] = a[sp];
            }
        } else if (s instanceof byte[]) {
            byte[] a = (byte[]) s;
            byte[] b = (byte[]) d;
            for (int i = 0; i < n; i++, sp += ss, dp += ds) {
                b[dp] = a[sp];
            }
        } else if (s instanceof long[]) {
            long[] a = (long[]) s;
            long[] b = (long[]) d;
            for (int i = 0; i < n; i++, sp += ss, dp += ds) {
                b[dp] = a[sp];
            }
        } else {
            double[] a = (double[]) s;
            double[] b = (double[]) d;
            for (int i = 0; i < n; i++, sp += ss, dp += ds) {
                b[dp] = a[sp];
            }
        }
    }

    /** Sets every element of {@code dst} to element 0 of {@code scalar} (same element type). */
    static void fill(Array dst, Array scalar) {
        if (scalar.type() != dst.type() || scalar.size() != 1) {
            throw new IllegalArgumentException(
                    "fill value " + scalar + " is not a " + dst.type().textName() + " scalar");
        }
        Object d = dst.data();
        Object v = scalar.data();
        if (d instanceof float[]) {
            float[] f = (float[]) v;
            if (dst.type() == ElementType.C64) {
                float[] t = (float[]) d;
                for (int i = 0; i < t.length; i += 2) {
                    t[i] = f[0];
                    t[i + 1] = f[1];
                }
            } else {
                java.util.Arrays.fill((float[]) d, f[0]);
            }
        } else if (d instanceof double[]) {
            double[] f = (double[]) v;
            if (dst.type() == ElementType.C128) {
                double[] t = (double[]) d;
                for (int i = 0; i < t.length; i += 2) {
                    t[i] = f[0];
                    t[i + 1] = f[1];
                }
            } else {
                java.util.Arrays.fill((double[]) d, f[0]);
            }
        } else if (d instanceof int[]) {
            java.util.Arrays.fill((int[]) d, ((int[]) v)[0]);
        } else if (d instanceof short[]) {
            java.util.Arrays.fill((short[]) d, ((short[]) v)[0]);
        } else if (d instanceof long[]) {
            java.util.Arrays.fill((long[]) d, ((long[]) v)[0]);
        } else {
            java.util.Arrays.fill((byte[]) d, ((byte[]) v)[0]);
        }
    }

    /**
     * An index operand's element as a signed value; a u64 above the s64 range counts as the largest
     * s64, so that clamping moves it to the upper bound as an unsigned comparison would.
     */
    static long index(Array indices, int i) {
        long v = indices.getLong(i);
        return indices.type() == ElementType.U64 && v < 0 ? Long.MAX_VALUE : v;
    }
}
