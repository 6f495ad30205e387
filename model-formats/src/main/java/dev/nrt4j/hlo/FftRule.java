package dev.nrt4j.hlo;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The {@link HloTypeChecker} rule for {@code fft}: {@code fft_length} names the sizes of the minor
 * one to three dimensions. FFT and IFFT map complex to complex of one shape; RFFT maps real to complex,
 * keeping {@code n/2+1} elements of the minor dimension; IRFFT maps those back to {@code n} reals.
 */
final class FftRule {
    private FftRule() {}

    static void register(Map<HloOpcode, BiConsumer<CheckSite, HloInstruction>> r) {
        r.put(HloOpcode.FFT, FftRule::fft);
    }

    private static void fft(CheckSite x, HloInstruction i) {
        x.operands(1);
        HloShape a = x.array(0);
        String type = i.fftType().orElse("FFT");
        List<Long> len = i.fftLength();
        if (len.isEmpty() || len.size() > 3 || len.size() > a.rank()) {
            throw x.invalid("fft_length=" + len + " must name 1 to 3 minor dimensions of operand 0 " + a);
        }
        ElementType t = a.elementType();
        boolean real = type.equals("RFFT");
        boolean wantInput =
                real ? t == ElementType.F32 || t == ElementType.F64 : t == ElementType.C64 || t == ElementType.C128;
        if (!wantInput) {
            throw x.invalid(
                    "operand 0 is " + a + ", expected " + (real ? "f32 or f64" : "c64 or c128") + " for " + type);
        }
        long[] dims = a.dims();
        int first = a.rank() - len.size();
        for (int k = 0; k < len.size(); k++) {
            long n = len.get(k);
            boolean minor = k == len.size() - 1;
            long expected = minor && type.equals("IRFFT") ? n / 2 + 1 : n;
            if (n < 0 || dims[first + k] != expected) {
                throw x.invalid(
                        "fft_length=" + len + " does not match dimension " + (first + k) + " of operand 0 " + a);
            }
            if (minor && real) {
                dims[first + k] = n / 2 + 1;
            } else if (minor && type.equals("IRFFT")) {
                dims[first + k] = n;
            }
        }
        ElementType out = switch (type) {
            case "RFFT" -> t == ElementType.F32 ? ElementType.C64 : ElementType.C128;
            case "IRFFT" -> t == ElementType.C64 ? ElementType.F32 : ElementType.F64;
            default -> t;
        };
        x.result(HloTypeChecker.inferred(x, out, dims)); // an IRFFT's length may exceed any array
    }
}
