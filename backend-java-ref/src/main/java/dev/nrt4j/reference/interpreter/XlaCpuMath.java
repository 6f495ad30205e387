package dev.nrt4j.reference.interpreter;

import dev.nrt4j.Float16;
import java.math.BigDecimal;

/**
 * Elementwise functions as XLA CPU computes them: f64 ones, and log1p in every float type.
 *
 * <p>XLA CPU lowers f64 {@code exponential}, {@code log} and {@code tanh} to calls of the C library's
 * {@code exp}, {@code log} and {@code tanh}. glibc's exp and log are correctly rounded in all but rare
 * cases, where fdlibm's ({@link StrictMath}) are up to an ulp away; so {@link #exp} and {@link #log} are
 * computed here in double-double arithmetic (about 100 bits) and rounded once, which agrees with glibc
 * except where the exact value lies within a tiny fraction of an ulp of a rounding boundary. glibc's
 * tanh is fdlibm's algorithm, but glibc's x86-64 build for FMA-capable CPUs lets the compiler fuse its
 * multiply-adds, and its expm1 evaluates the polynomial in a different order; {@link #tanh} follows that
 * build operation by operation. {@code exponential-minus-one} and {@code log-plus-one} are not library
 * calls: XLA's elemental IR emitter writes its own formulas for them, which {@link #expm1} and
 * {@link #log1p} follow operation by operation, including the fused multiply-adds LLVM forms on XLA CPU;
 * the emitter writes log1p the same way for f32 and f16, in their own arithmetic ({@link #log1pF32},
 * {@link #log1pF16}).
 *
 * <p>Only {@code +, -, *, /}, {@link Math#fma} and {@link Math#sqrt} (all exactly rounded) and
 * {@link StrictMath} are used, so the results are the same bits on every JVM.
 */
final class XlaCpuMath {
    private XlaCpuMath() {}

    // ln 2 in three parts: HI has 32 significant bits, so k * HI is exact for |k| < 2^21.
    private static final double LN2_HI = 0x1.62e42fee00000p-1;
    private static final double LN2_MID = 0x1.a39ef35793c76p-33;
    private static final double LN2_LO = 0x1.cc01f97b57a08p-87;
    private static final double INV_LN2 = 0x1.71547652b82fep+0;
    private static final double SQRT2 = 0x1.6a09e667f3bcdp+0;

    /** exp(x) for x above this overflows; below {@link #EXP_UNDERFLOW} it rounds to 0. */
    private static final double EXP_OVERFLOW = 709.79;

    private static final double EXP_UNDERFLOW = -745.2;

    /** 1/n! as double-double pairs, n = 0..12 (n! is exact in a double there). */
    private static final double[] INV_FACT_HI = new double[13];

    private static final double[] INV_FACT_LO = new double[13];
    /** 1/n! for the tail of the series, n = 13..22, each within a few ulp. */
    private static final double[] INV_FACT_TAIL = new double[23];
    /** 1/(2n+3) as double-double pairs, n = 0..7, the leading terms of atanh's series. */
    private static final double[] INV_ODD_HI = new double[8];

    private static final double[] INV_ODD_LO = new double[8];
    /** 1/(2n+3) for the tail of that series, n = 8..18. */
    private static final double[] INV_ODD_TAIL = new double[19];

    static {
        double fact = 1;
        for (int n = 0; n <= 12; n++) {
            fact *= Math.max(n, 1);
            INV_FACT_HI[n] = 1 / fact;
            // The remainder of a correctly rounded quotient is exact: 1 - hi * n! is a double.
            INV_FACT_LO[n] = Math.fma(-INV_FACT_HI[n], fact, 1) / fact;
        }
        double c = INV_FACT_HI[12];
        for (int n = 13; n <= 22; n++) {
            c /= n;
            INV_FACT_TAIL[n] = c;
        }
        for (int n = 0; n <= 18; n++) {
            double d = 2 * n + 3;
            if (n < 8) {
                INV_ODD_HI[n] = 1 / d;
                INV_ODD_LO[n] = Math.fma(-INV_ODD_HI[n], d, 1) / d;
            } else {
                INV_ODD_TAIL[n] = 1 / d;
            }
        }
    }

    // ------------------------------------------------------------ double-double arithmetic
    // A pair (hi, lo) with |lo| <= ulp(hi)/2 stands for hi + lo; results come back in a two-slot array.

    /** hi + lo of a + b exactly (Knuth's two-sum). */
    private static void twoSum(double a, double b, double[] out) {
        double s = a + b;
        double bb = s - a;
        out[0] = s;
        out[1] = (a - (s - bb)) + (b - bb);
    }

    /** (ah, al) * (bh, bl). */
    private static void mul(double ah, double al, double bh, double bl, double[] out) {
        double p = ah * bh;
        double e = Math.fma(ah, bh, -p) + (ah * bl + al * bh);
        double s = p + e;
        out[0] = s;
        out[1] = e - (s - p);
    }

    /** (ah, al) + (bh, bl). */
    private static void add(double ah, double al, double bh, double bl, double[] out) {
        twoSum(ah, bh, out);
        double e = out[1] + (al + bl);
        double s = out[0] + e;
        out[1] = e - (s - out[0]);
        out[0] = s;
    }

    // ------------------------------------------------------------ exp and log, correctly rounded

    /** e^x rounded to nearest (see the class comment). */
    static double exp(double x) {
        if (x != x) {
            return x;
        }
        if (x > EXP_OVERFLOW) {
            return Double.POSITIVE_INFINITY;
        }
        if (x < EXP_UNDERFLOW) {
            return 0;
        }
        // x = k ln 2 + r, |r| <= ln2/2 (a little more at the rounding edges), r as a double-double.
        int k = (int) Math.rint(x * INV_LN2);
        double t = x - k * LN2_HI; // exact: k * LN2_HI is, and x is within a factor 2 of it
        double p = k * LN2_MID;
        double pe = Math.fma(k, LN2_MID, -p);
        double[] r = new double[2];
        twoSum(t, -p, r);
        double rl = r[1] - pe - k * LN2_LO;
        double rh = r[0] + rl;
        rl = rl - (rh - r[0]);
        // e^r by its Taylor series to r^22 (the rest is below 2^-109): the small high-order terms in
        // double, the rest in double-double, Horner's scheme.
        double tail = INV_FACT_TAIL[22];
        for (int n = 21; n >= 13; n--) {
            tail = tail * rh + INV_FACT_TAIL[n];
        }
        double[] s = {tail, 0};
        for (int n = 12; n >= 0; n--) {
            mul(s[0], s[1], rh, rl, s);
            add(s[0], s[1], INV_FACT_HI[n], INV_FACT_LO[n], s);
        }
        return scale(s[0], s[1], k);
    }

    /** (hi + lo) * 2^k rounded once, also where the result is subnormal. */
    private static double scale(double hi, double lo, int k) {
        if (k > -1022) {
            return Math.scalb(hi, k); // hi, in [0.7, 1.5), is (hi + lo) rounded, and the scaling is exact
        }
        // Subnormal: rounding happens here, at a coarser step, where lo can decide it. Exact decimal
        // arithmetic and its single conversion (correctly rounded on every JVM) settle it.
        BigDecimal exact = new BigDecimal(hi)
                .add(new BigDecimal(lo))
                .multiply(new BigDecimal(Math.scalb(1.0, k + 200)))
                .multiply(new BigDecimal(Math.scalb(1.0, -200)));
        return exact.doubleValue();
    }

    /** The natural logarithm rounded to nearest (see the class comment). */
    static double log(double x) {
        if (!(x > 0) || x == Double.POSITIVE_INFINITY) {
            return x == 0 ? Double.NEGATIVE_INFINITY : x > 0 || x != x ? x : Double.NaN;
        }
        int k = 0;
        if (x < Double.MIN_NORMAL) {
            x *= 0x1p54;
            k = -54;
        }
        // x = 2^k m with m in [sqrt(1/2), sqrt(2)]; log m = 2 atanh(f), f = (m - 1) / (m + 1), |f| < 0.172.
        long bits = Double.doubleToRawLongBits(x);
        k += (int) (bits >>> 52) - 1023;
        double m = Double.longBitsToDouble((bits & 0x000f_ffff_ffff_ffffL) | 0x3ff0_0000_0000_0000L);
        if (m > SQRT2) {
            m *= 0.5;
            k++;
        }
        double a = m - 1; // exact
        double[] d = new double[2];
        twoSum(m, 1, d);
        double fh = a / d[0];
        double fl = (Math.fma(-fh, d[0], a) - fh * d[1]) / d[0];
        // 2 atanh(f) = 2f + 2f z g(z), z = f^2, g(z) = sum z^n / (2n + 3): to z^18 (the rest is below
        // 2^-96 of g), the terms from z^8 on in double, the rest in double-double.
        double[] z = new double[2];
        mul(fh, fl, fh, fl, z);
        double tail = INV_ODD_TAIL[18];
        for (int n = 17; n >= 8; n--) {
            tail = tail * z[0] + INV_ODD_TAIL[n];
        }
        double[] g = {tail, 0};
        for (int n = 7; n >= 0; n--) {
            mul(g[0], g[1], z[0], z[1], g);
            add(g[0], g[1], INV_ODD_HI[n], INV_ODD_LO[n], g);
        }
        mul(g[0], g[1], z[0], z[1], g);
        mul(g[0], g[1], fh, fl, g);
        double[] logM = new double[2];
        add(2 * fh, 2 * fl, 2 * g[0], 2 * g[1], logM);
        if (k == 0) {
            return logM[0] + logM[1];
        }
        // k ln 2 as a double-double: k * LN2_HI is exact.
        double p = k * LN2_MID;
        double[] kl = new double[2];
        twoSum(k * LN2_HI, p, kl);
        kl[1] += Math.fma(k, LN2_MID, -p) + k * LN2_LO;
        add(kl[0], kl[1], logM[0], logM[1], kl);
        return kl[0] + kl[1];
    }

    // ------------------------------------------------------------ tanh as glibc computes it

    // fdlibm's constants for expm1: ln 2 in two parts (HI has 32 bits), 1/ln 2, and the coefficients of
    // its rational approximation's polynomial in x^2/2.
    private static final double EXPM1_LN2_HI = 6.93147180369123816490e-01;
    private static final double EXPM1_LN2_LO = 1.90821492927058770002e-10;
    private static final double EXPM1_INV_LN2 = 1.44269504088896338700e+00;
    private static final double Q1 = -3.33333333333331316428e-02;
    private static final double Q2 = 1.58730158725481460165e-03;
    private static final double Q3 = -7.93650757867487942473e-05;
    private static final double Q4 = 4.00821782732936239552e-06;
    private static final double Q5 = -2.01099218183624371326e-07;

    private static int highWord(double x) {
        return (int) (Double.doubleToRawLongBits(x) >>> 32);
    }

    /**
     * tanh as the C library computes it for XLA CPU (see the class comment): for |x| < 22,
     * 1 - 2 / (expm1(2|x|) + 2) from |x| = 1 on and -t / (t + 2), t = expm1(-2|x|), below it, with the
     * sign of x; +-1 beyond, x (1 + x) for |x| < 2^-55.
     */
    static double tanh(double x) {
        int ix = highWord(x) & 0x7fff_ffff;
        if (ix >= 0x7ff0_0000) {
            return x != x ? x : Math.copySign(1.0, x);
        }
        double z;
        if (ix < 0x4036_0000) {
            if (ix < 0x3c80_0000) {
                return x * (1 + x);
            }
            if (ix >= 0x3ff0_0000) {
                double t = libmExpm1(2 * Math.abs(x));
                z = 1 - 2 / (t + 2);
            } else {
                double t = libmExpm1(-2 * Math.abs(x));
                z = -t / (t + 2);
            }
        } else {
            z = 1;
        }
        return x >= 0 ? z : -z;
    }

    /**
     * expm1 as glibc's FMA build computes it, for the finite arguments tanh passes (|x| < 44): fdlibm's
     * reduction x = k ln 2 + r and its rational approximation of expm1(r), the polynomial by pairs
     * (R1 + h2 R2 + h4 R3 with h2 = hxs^2, h4 = h2^2) as glibc writes it, each multiply feeding an add
     * fused into one multiply-add as GCC contracts them.
     */
    private static double libmExpm1(double x) {
        int hx = highWord(x) & 0x7fff_ffff;
        boolean negative = x < 0;
        double c = 0;
        int k;
        if (hx > 0x3fd6_2e42) { // |x| > ln2/2
            double hi;
            if (hx < 0x3ff0_a2b2) { // and |x| < 1.5 ln2: k = +-1
                k = negative ? -1 : 1;
                hi = negative ? x + EXPM1_LN2_HI : x - EXPM1_LN2_HI;
                double lo = negative ? -EXPM1_LN2_LO : EXPM1_LN2_LO;
                x = hi - lo;
                c = (hi - x) - lo;
            } else {
                k = (int) Math.fma(EXPM1_INV_LN2, x, negative ? -0.5 : 0.5);
                double t = k;
                hi = Math.fma(-t, EXPM1_LN2_HI, x);
                x = Math.fma(-t, EXPM1_LN2_LO, hi);
                c = Math.fma(-t, EXPM1_LN2_LO, hi - x);
            }
        } else if (hx < 0x3c90_0000) { // |x| < 2^-54
            return x;
        } else {
            k = 0;
        }
        double hfx = 0.5 * x;
        double hxs = x * hfx;
        double h2 = hxs * hxs;
        double h4 = h2 * h2;
        double r1 = Math.fma(h4, Math.fma(hxs, Q5, Q4), Math.fma(h2, Math.fma(hxs, Q3, Q2), Math.fma(hxs, Q1, 1)));
        double t = Math.fma(-r1, hfx, 3);
        double e = hxs * ((r1 - t) / Math.fma(-x, t, 6));
        if (k == 0) {
            return x - Math.fma(x, e, -hxs);
        }
        e = Math.fma(x, e - c, -c);
        e -= hxs;
        if (k == -1) {
            return Math.fma(0.5, x - e, -0.5);
        }
        if (k == 1) {
            return x < -0.25 ? -2 * (e - (x + 0.5)) : Math.fma(2, x - e, 1);
        }
        if (k <= -2 || k > 56) {
            return Math.scalb(1 - (e - x), k) - 1;
        }
        if (k < 20) {
            return Math.scalb((1 - Math.scalb(1.0, -k)) - (e - x), k);
        }
        return Math.scalb((x - (e + Math.scalb(1.0, -k))) + 1, k);
    }

    // ------------------------------------------------------------ XLA's own formulas

    /**
     * expm1 as XLA's elemental IR emitter writes it: tanh(x/2) * (exp(x) + 1), which keeps the relative
     * accuracy of small results; exp(x) - 1 where |x| > 0.5; and x itself where x/2 underflows to 0.
     * tanh is the C library's ({@link #tanh}).
     */
    static double expm1(double x) {
        double half = x * 0.5;
        if (half == 0) {
            return x;
        }
        double e = exp(x);
        if (Math.abs(x) > 0.5) {
            return e - 1;
        }
        return tanh(half) * (e + 1);
    }

    // Cephes' rational approximation of log(1+x) - x + x^2/2 near 0, as XLA's emitter uses it:
    // numerator and denominator coefficients, highest power first.
    private static final double[] LOG1P_NUM = {
        4.5270000862445199635215E-5, 4.9854102823193375972212E-1, 6.5787325942061044846969E0,
        2.9911919328553073277375E1, 6.0949667980987787057556E1, 5.7112963590585538103336E1,
        2.0039553499201281259648E1,
    };
    private static final double[] LOG1P_DEN = {
        1.0,
        1.5062909083469192043167E1,
        8.3047565967967209469434E1,
        2.2176239823732856465394E2,
        3.0909872225312059774938E2,
        2.1642788614495947685003E2,
        6.0118660497603843919306E1,
    };
    /** sqrt(2) - 1: below this |x| XLA uses the rational approximation. */
    private static final double LOG1P_SMALL = 0.41421356237309504880;

    /**
     * log1p as XLA's elemental IR emitter writes it: for |x| < sqrt(2) - 1, x - x^2/2 + x^3 P(x)/Q(x)
     * with Cephes' P and Q; otherwise log(x + 1). On XLA CPU, LLVM fuses each Horner step and the sum
     * x^3 (P/Q) + (-x^2/2) into multiply-adds; the corpus's f64 log1p results match this exactly.
     */
    static double log1p(double x) {
        if (!(Math.abs(x) < LOG1P_SMALL)) {
            return log(x + 1);
        }
        double x2 = x * x;
        double ratio = horner(LOG1P_NUM, x) / horner(LOG1P_DEN, x);
        return x + Math.fma(x * x2, ratio, -0.5 * x2);
    }

    private static final float[] LOG1P_NUM_F32 = toFloats(LOG1P_NUM);
    private static final float[] LOG1P_DEN_F32 = toFloats(LOG1P_DEN);

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /**
     * {@link #log1p(double)} on f32, as XLA CPU emits the same formula in f32: the constants rounded to
     * f32, every step in f32 with the same multiply-adds fused; log(x + 1) beyond sqrt(2) - 1 as the f32
     * log op computes it (XLA CPU's own f32 log approximation, which is not reproduced, can be an ulp
     * away there).
     */
    static float log1pF32(float x) {
        if (!(Math.abs(x) < (float) LOG1P_SMALL)) {
            return (float) StrictMath.log(x + 1f);
        }
        float x2 = x * x;
        float p = 0;
        float q = 0;
        for (int i = 0; i < LOG1P_NUM_F32.length; i++) {
            p = Math.fma(p, x, LOG1P_NUM_F32[i]);
            q = Math.fma(q, x, LOG1P_DEN_F32[i]);
        }
        return x + Math.fma(x * x2, p / q, -0.5f * x2);
    }

    /**
     * {@link #log1p(double)} on f16, as XLA CPU emits it: f16 arithmetic, which x86 carries out one
     * operation at a time in f32 and rounds to f16 after each (so nothing is fused), the constants rounded
     * to f16; log(x + 1) beyond sqrt(2) - 1 with the sum rounded to f16 and the log computed in f32.
     * Takes and returns f16 values held in floats.
     */
    static float log1pF16(float x) {
        if (!(Math.abs(x) < half((float) LOG1P_SMALL))) {
            return half((float) StrictMath.log(half(x + 1f)));
        }
        float x2 = half(x * x);
        float p = 0;
        float q = 0;
        for (int i = 0; i < LOG1P_NUM.length; i++) {
            p = half(half(p * x) + half((float) LOG1P_NUM[i]));
            q = half(half(q * x) + half((float) LOG1P_DEN[i]));
        }
        float ratio = half(p / q);
        return half(x + half(half(half(x * x2) * ratio) + half(-0.5f * x2)));
    }

    /** v rounded to the nearest f16 (each f16 operation, computed exactly or in f32, rounds once to f16). */
    private static float half(float v) {
        return Float16.toFloat(Float16.fromFloat(v));
    }

    /** The polynomial with coefficients {@code c} (highest power first) at x, each step one multiply-add. */
    private static double horner(double[] c, double x) {
        double p = 0;
        for (double ci : c) {
            p = Math.fma(p, x, ci);
        }
        return p;
    }
}
