package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import java.util.List;

/**
 * {@code fft} over the last {@code fft_length.size()} (1 to 3) dimensions: FFT and IFFT (complex to
 * complex, IFFT scaled by {@code 1/n} per dimension), RFFT (real to the {@code n/2 + 1} non-negative
 * frequencies of the last dimension) and IRFFT (the inverse, treating the last dimension as half of a
 * Hermitian spectrum: the imaginary parts of its zero and Nyquist terms are ignored).
 *
 * <p>The evaluator and XLA on CPU both call an FFT library; here the transforms are computed in double
 * precision, one dimension at a time (for IRFFT the complex dimensions first and the real one last, for
 * RFFT the real one first), with radix-2 Cooley–Tukey for power-of-two lengths and a direct DFT with
 * exactly reduced twiddle indices otherwise, then rounded once to the result type.
 */
final class FftOps {
    private FftOps() {}

    static void registerAll(OpRegistry r) {
        r.register(FftOps::fft, HloOpcode.FFT);
    }

    private static Value fft(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        if (ops.size() != 1) {
            throw new IllegalArgumentException("fft takes 1 operand, got " + ops.size());
        }
        Array in = ops.get(0).asArray();
        String type = ins.fftType().orElse("FFT");
        List<Long> lengths = ins.fftLength();
        HloShape shape = ins.shape();
        int rank = in.rank();
        int k = lengths.size();
        if (k < 1 || k > 3 || k > rank || shape.rank() != rank) {
            throw new IllegalArgumentException("fft_length " + lengths + " does not fit an operand of rank " + rank);
        }
        long[] inDims = in.dims();
        long[] outDims = shape.dims();
        for (int i = 0; i < rank - 1; i++) {
            boolean fftDim = i >= rank - k;
            if (inDims[i] != outDims[i] || (fftDim && inDims[i] != lengths.get(i - (rank - k)))) {
                throw new IllegalArgumentException(
                        "fft of " + in + " with fft_length " + lengths + " cannot give " + shape);
            }
        }
        long n = lengths.get(k - 1);
        long inLast = inDims[rank - 1];
        long outLast = outDims[rank - 1];
        ElementType it = in.type();
        ElementType ot = shape.elementType();
        boolean ok;
        switch (type) {
            case "FFT":
            case "IFFT":
                ok = it.isComplex() && ot == it && inLast == n && outLast == n;
                break;
            case "RFFT":
                ok = (it == ElementType.F32 && ot == ElementType.C64 || it == ElementType.F64 && ot == ElementType.C128)
                        && inLast == n
                        && outLast == n / 2 + 1;
                break;
            case "IRFFT":
                ok = (it == ElementType.C64 && ot == ElementType.F32 || it == ElementType.C128 && ot == ElementType.F64)
                        && inLast == n / 2 + 1
                        && outLast == n;
                break;
            default:
                throw new IllegalArgumentException("fft_type " + type + " is not FFT, IFFT, RFFT or IRFFT");
        }
        if (!ok) {
            throw new IllegalArgumentException(
                    type + " of " + in + " with fft_length " + lengths + " cannot give " + shape);
        }
        double[] z = Accumulation.toComplexDoubles(in);
        long[] dims = inDims.clone();
        switch (type) {
            case "FFT":
                for (int d = rank - k; d < rank; d++) {
                    transformAxis(z, dims, d, false, ctx);
                }
                break;
            case "IFFT":
                for (int d = rank - k; d < rank; d++) {
                    transformAxis(z, dims, d, true, ctx);
                }
                break;
            case "RFFT": {
                transformAxis(z, dims, rank - 1, false, ctx);
                long[] half = dims.clone();
                half[rank - 1] = outLast;
                z = resizeLast(z, dims, outLast);
                dims = half;
                for (int d = rank - k; d < rank - 1; d++) {
                    transformAxis(z, dims, d, false, ctx);
                }
                break;
            }
            default: { // IRFFT
                for (int d = rank - k; d < rank - 1; d++) {
                    transformAxis(z, dims, d, true, ctx);
                }
                z = hermitianExtend(z, dims, n);
                dims[rank - 1] = n;
                transformAxis(z, dims, rank - 1, true, ctx);
                break;
            }
        }
        return toResult(z, shape);
    }

    private static Array toResult(double[] z, HloShape shape) {
        ElementType t = shape.elementType();
        long[] dims = shape.dims();
        int count = z.length / 2;
        switch (t) {
            case C128:
                return Array.wrap(t, dims, z);
            case C64: {
                float[] f = new float[z.length];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) z[i];
                }
                return Array.wrap(t, dims, f);
            }
            case F64: {
                double[] d = new double[count];
                for (int i = 0; i < count; i++) {
                    d[i] = z[2 * i];
                }
                return Array.wrap(t, dims, d);
            }
            default: {
                float[] f = new float[count];
                for (int i = 0; i < count; i++) {
                    f[i] = (float) z[2 * i];
                }
                return Array.wrap(t, dims, f);
            }
        }
    }

    /** Keeps the first {@code newLast} entries of the last dimension. */
    private static double[] resizeLast(double[] z, long[] dims, long newLast) {
        int last = (int) dims[dims.length - 1];
        int lines = last == 0 ? 0 : z.length / 2 / last;
        int nl = (int) newLast;
        double[] out = new double[2 * lines * nl];
        for (int line = 0; line < lines; line++) {
            System.arraycopy(z, 2 * line * last, out, 2 * line * nl, 2 * Math.min(last, nl));
        }
        return out;
    }

    /**
     * The full spectrum of length {@code n} from its first {@code n/2 + 1} terms: {@code X[n-j] = conj(X[j])},
     * with the zero (and for even {@code n} the Nyquist) term made real.
     */
    private static double[] hermitianExtend(double[] z, long[] dims, long n) {
        int half = (int) dims[dims.length - 1];
        int len = (int) n;
        int lines = half == 0 ? 0 : z.length / 2 / half;
        double[] out = new double[2 * lines * len];
        for (int line = 0; line < lines; line++) {
            int src = 2 * line * half;
            int dst = 2 * line * len;
            for (int j = 0; j < len; j++) {
                int from = j < half ? j : len - j;
                double re = z[src + 2 * from];
                double im = j < half ? z[src + 2 * from + 1] : -z[src + 2 * from + 1];
                if (from == 0 || 2 * from == len) {
                    im = 0;
                }
                out[dst + 2 * j] = re;
                out[dst + 2 * j + 1] = im;
            }
        }
        return out;
    }

    /** Transforms every line along dimension {@code axis} in place; inverse transforms divide by the length. */
    private static void transformAxis(double[] z, long[] dims, int axis, boolean inverse, EvaluationContext ctx) {
        int n = (int) dims[axis];
        if (n <= 1 || z.length == 0) {
            return;
        }
        int inner = 1;
        for (int i = axis + 1; i < dims.length; i++) {
            inner *= (int) dims[i];
        }
        int total = z.length / 2;
        int outer = total / (n * inner);
        int lines = outer * inner;
        double[] cos = new double[n];
        double[] sin = new double[n];
        for (int j = 0; j < n; j++) {
            double angle = 2 * Math.PI * j / n;
            cos[j] = Math.cos(angle);
            sin[j] = inverse ? Math.sin(angle) : -Math.sin(angle);
        }
        boolean pow2 = (n & (n - 1)) == 0;
        final int fInner = inner;
        ParallelTiles.run(ctx, lines, (long) lines * n * (pow2 ? 32 - Integer.numberOfLeadingZeros(n) : n), line -> {
            double[] re = new double[n];
            double[] im = new double[n];
            int o = line / fInner;
            int i = line % fInner;
            int base = o * n * fInner + i;
            for (int j = 0; j < n; j++) {
                re[j] = z[2 * (base + j * fInner)];
                im[j] = z[2 * (base + j * fInner) + 1];
            }
            double[][] result = pow2 ? radix2(re, im, cos, sin) : direct(re, im, cos, sin, ctx);
            for (int j = 0; j < n; j++) {
                double r = result[0][j];
                double m = result[1][j];
                if (inverse) {
                    r /= n;
                    m /= n;
                }
                z[2 * (base + j * fInner)] = r;
                z[2 * (base + j * fInner) + 1] = m;
            }
        });
    }

    /** {@code X[k] = sum_j x[j] w^(jk)} with {@code w^(jk)} looked up at {@code jk mod n} (exact reduction). */
    private static double[][] direct(double[] re, double[] im, double[] cos, double[] sin, EvaluationContext ctx) {
        int n = re.length;
        double[] xr = new double[n];
        double[] xi = new double[n];
        for (int k = 0; k < n; k++) {
            if ((k & 255) == 255) {
                ctx.checkDeadline(); // quadratic in n: long odd-length lines must stay interruptible
            }
            double sr = 0;
            double si = 0;
            int idx = 0;
            for (int j = 0; j < n; j++) {
                double c = cos[idx];
                double s = sin[idx];
                sr += re[j] * c - im[j] * s;
                si += re[j] * s + im[j] * c;
                idx += k;
                if (idx >= n) {
                    idx -= n;
                }
            }
            xr[k] = sr;
            xi[k] = si;
        }
        return new double[][] {xr, xi};
    }

    /** Iterative radix-2 decimation-in-time on a bit-reversed copy. */
    private static double[][] radix2(double[] re, double[] im, double[] cos, double[] sin) {
        int n = re.length;
        int bits = Integer.numberOfTrailingZeros(n);
        double[] xr = new double[n];
        double[] xi = new double[n];
        for (int j = 0; j < n; j++) {
            int r = Integer.reverse(j) >>> (32 - bits);
            xr[r] = re[j];
            xi[r] = im[j];
        }
        for (int len = 2; len <= n; len <<= 1) {
            int halfLen = len >> 1;
            int step = n / len;
            for (int start = 0; start < n; start += len) {
                for (int j = 0; j < halfLen; j++) {
                    double c = cos[j * step];
                    double s = sin[j * step];
                    int a = start + j;
                    int b = a + halfLen;
                    double tr = xr[b] * c - xi[b] * s;
                    double ti = xr[b] * s + xi[b] * c;
                    xr[b] = xr[a] - tr;
                    xi[b] = xi[a] - ti;
                    xr[a] += tr;
                    xi[a] += ti;
                }
            }
        }
        return new double[][] {xr, xi};
    }
}
