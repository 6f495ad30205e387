package dev.nrt4j.reference.interpreter;

/**
 * The error function in double precision, to within about half an ulp (Java has none). f32, f16 and
 * bf16 use it and round once, which makes their results correctly rounded in all but rare cases.
 *
 * <p>Method (own derivation): near zero, the Maclaurin series {@code erf x = 2/sqrt(pi) * x * (1 + S(x^2))}
 * with the leading term applied by one fused multiply-add; elsewhere up to 6.125, a Taylor expansion
 * around the nearest multiple of 1/4, {@code erf(x0 + h) = erf(x0) + 2/sqrt(pi) e^(-x0^2) *
 * sum_n (-1)^n H_n(x0) h^(n+1) / (n+1)!} with Hermite polynomials H_n, where erf(x0) (as a double-double)
 * and {@code 2/sqrt(pi) e^(-x0^2)} are tabulated; the tables were computed with 90-digit decimal
 * arithmetic. The correction is small next to erf(x0), so its own rounding barely shows. Past 5.92 the
 * result rounds to ±1.
 */
final class ErrorFunction {
    private ErrorFunction() {}

    /** 2/sqrt(pi) as a double-double. */
    private static final double C_HI = 0x1.20dd750429b6dp+0;

    private static final double C_LO = 0x1.1ae3a914fed80p-56;

    /** Centers are k/4 for k = FIRST ... FIRST + ERF_HI.length - 1. */
    private static final int FIRST = 3;

    /** erf(k/4), high part. */
    private static final double[] ERF_HI = {
        0x1.6c1c9759d0e5fp-1,
        0x1.af767a741088bp-1,
        0x1.d8865d98abe01p-1,
        0x1.eea5557137ae0p-1,
        0x1.f92d077f8d56dp-1,
        0x1.fd9ae142795e3p-1,
        0x1.ff404760319b4p-1,
        0x1.ffcaa8f4c9beap-1,
        0x1.fff2cfb0453d9p-1,
        0x1.fffd1ac4135f9p-1,
        0x1.ffff6f9f67e55p-1,
        0x1.ffffe710d565ep-1,
        0x1.fffffc2f171e3p-1,
        0x1.ffffff7b91176p-1,
        0x1.fffffff01a8b6p-1,
        0x1.fffffffe4fa30p-1,
        0x1.ffffffffd759dp-1,
        0x1.fffffffffc9e8p-1,
        0x1.ffffffffffc05p-1,
        0x1.fffffffffffbep-1,
        0x1.ffffffffffffcp-1,
        0x1.0000000000000p+0
    };

    /** erf(k/4) - ERF_HI. */
    private static final double[] ERF_LO = {
        0x1.b1432f2cbc455p-55,
        -0x1.c97f778122797p-56,
        -0x1.fcec4afb974d9p-55,
        -0x1.385e445f2c96dp-55,
        0x1.8b55ef493fce7p-56,
        0x1.972801904b9a3p-56,
        0x1.f142071432025p-56,
        0x1.b0cee160116f9p-55,
        0x1.9a913686042a3p-55,
        0x1.eeafa1ecd6cefp-55,
        0x1.e1e4483ba034bp-55,
        0x1.c9ea52d76dc04p-55,
        0x1.85edd0395f475p-55,
        0x1.0b2865615db40p-56,
        0x1.23370eca5ca6ap-60,
        0x1.d166bcb681c7bp-57,
        0x1.f7bee7eb23420p-55,
        -0x1.a759f7738935fp-56,
        0x1.07ba96a6b2e1ap-55,
        -0x1.182b326b228dcp-55,
        0x1.8115fd1b12786p-56,
        -0x1.8cf81557d20b6p-56
    };

    /** 2/sqrt(pi) * exp(-(k/4)^2). */
    private static final double[] GAUSS = {
        0x1.492e42d78d2c5p-1,
        0x1.a911f096fbc26p-2,
        0x1.e4652fadcb6b2p-3,
        0x1.e723726b824a9p-4,
        0x1.b055303221015p-5,
        0x1.529b9e8cf9a1ep-6,
        0x1.d4143a9dfe965p-8,
        0x1.1d83170fbf6fbp-9,
        0x1.3360ccd23db3ap-11,
        0x1.2408e9ba3327fp-13,
        0x1.e9b5e8d00ce77p-16,
        0x1.6a597219a93dap-18,
        0x1.d9371e2ff7c35p-21,
        0x1.10b1488aeb235p-23,
        0x1.155a09065d4f7p-26,
        0x1.f1e3523b41d7dp-30,
        0x1.8a61745ec7d1dp-33,
        0x1.13af4f04f9998p-36,
        0x1.5422ef5d8949dp-40,
        0x1.7258610b3b233p-44,
        0x1.63daf8b4b1e0cp-48,
        0x1.2dc119095729fp-52
    };

    private static final int TERMS = 24;

    /** Maclaurin coefficients (-1)^n / (n! (2n+1)) for n = 1 ... 16. */
    private static final double[] SERIES = new double[17];

    static {
        double factorial = 1;
        for (int n = 1; n < SERIES.length; n++) {
            factorial *= n;
            SERIES[n] = ((n & 1) == 0 ? 1 : -1) / (factorial * (2 * n + 1));
        }
    }

    /** erf(x); odd, erf(±inf) = ±1, NaN stays NaN. */
    static double erf(double x) {
        double a = Math.abs(x);
        if (!(a < 0.625)) {
            if (a != a) {
                return x;
            }
            double r = a >= 6.125 ? 1.0 : tabulated(a);
            return x < 0 ? -r : r;
        }
        double z = x * x;
        double s = SERIES[SERIES.length - 1];
        for (int n = SERIES.length - 2; n >= 1; n--) {
            s = s * z + SERIES[n];
        }
        s *= z;
        return Math.fma(C_HI, x, C_LO * x + C_HI * (x * s));
    }

    private static double tabulated(double a) {
        int k = (int) Math.floor(a * 4 + 0.5);
        double x0 = k * 0.25;
        double h = a - x0;
        int i = k - FIRST;
        double g = GAUSS[i];
        // sum_n (-1)^n H_n(x0) h^(n+1)/(n+1)!, with p = (-1)^n h^(n+1)/(n+1)! and H by its recurrence.
        double hPrev = 1;
        double hCur = 2 * x0;
        double p = h;
        double sum = h;
        // |h| <= 1/8 makes the terms fall off like (2 x0 h)^n / (n+1)!: 24 terms leave under 1e-20 even
        // at x0 = 6. A fixed count avoids stopping early at a term that is small only because x0 is
        // near a root of H_n.
        for (int n = 1; n <= TERMS; n++) {
            p *= -h / (n + 1);
            sum += hCur * p;
            double next = 2 * x0 * hCur - 2 * n * hPrev;
            hPrev = hCur;
            hCur = next;
        }
        return ERF_HI[i] + (ERF_LO[i] + g * sum);
    }
}
