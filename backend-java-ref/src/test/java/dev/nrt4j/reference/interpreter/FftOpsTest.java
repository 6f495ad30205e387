package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nrt4j.NeuronException;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FftOpsTest {
    private static HloInstruction.Builder fft(String type, HloShape shape, Long... lengths) {
        return HloInstruction.builder("f", "f", HloOpcode.FFT, shape)
                .fftType(type)
                .fftLength(List.of(lengths));
    }

    /** The definition: X[k] = sum_j x[j] exp(sign 2 pi i j k / n), in double. */
    private static double[] dft(double[] x, int n, int sign) {
        double[] out = new double[2 * n];
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < n; j++) {
                double angle = sign * 2 * Math.PI * ((long) j * k % n) / n;
                out[2 * k] += x[2 * j] * Math.cos(angle) - x[2 * j + 1] * Math.sin(angle);
                out[2 * k + 1] += x[2 * j] * Math.sin(angle) + x[2 * j + 1] * Math.cos(angle);
            }
        }
        return out;
    }

    private static double[] random(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = r.nextDouble() * 2 - 1;
        }
        return d;
    }

    private static void assertClose(double[] actual, double[] expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).as("[%d]", i).isCloseTo(expected[i], within(1e-12));
        }
    }

    @Test
    void smallTransformByHand() {
        Array x = Array.wrap(ElementType.C64, new long[] {4}, new float[] {1, 0, 2, 0, 3, 0, 4, 0});
        Array y = DotConvPrograms.run(fft("FFT", HloShape.array(ElementType.C64, 4), 4L), x);
        assertThat(y.floats()).containsExactly(10, 0, -2, 2, -2, 0, -2, -2);
    }

    @Test
    void forwardMatchesTheDefinitionForPowerOfTwoAndOtherLengths() {
        for (int n : new int[] {1, 2, 3, 8, 12, 15, 64}) {
            double[] x = random(n, 2 * 2 * n);
            Array y = DotConvPrograms.run(
                    fft("FFT", HloShape.array(ElementType.C128, 2, n), (long) n),
                    Array.wrap(ElementType.C128, new long[] {2, n}, x));
            for (int row = 0; row < 2; row++) {
                double[] line = java.util.Arrays.copyOfRange(x, 2 * row * n, 2 * (row + 1) * n);
                assertClose(
                        java.util.Arrays.copyOfRange(y.doubles(), 2 * row * n, 2 * (row + 1) * n), dft(line, n, -1));
            }
        }
    }

    @Test
    void twoDimensionalInverseIsScaledAndUndoesForward() {
        double[] x = random(3, 2 * 6 * 8);
        HloShape s = HloShape.array(ElementType.C128, 6, 8);
        Array f = DotConvPrograms.run(fft("FFT", s, 6L, 8L), Array.wrap(ElementType.C128, new long[] {6, 8}, x));
        // Forward 2-D = 1-D along rows, then along columns, by the definition.
        double[] rows = new double[x.length];
        for (int r = 0; r < 6; r++) {
            System.arraycopy(dft(java.util.Arrays.copyOfRange(x, 16 * r, 16 * r + 16), 8, -1), 0, rows, 16 * r, 16);
        }
        double[] both = new double[x.length];
        for (int c = 0; c < 8; c++) {
            double[] col = new double[12];
            for (int r = 0; r < 6; r++) {
                col[2 * r] = rows[2 * (r * 8 + c)];
                col[2 * r + 1] = rows[2 * (r * 8 + c) + 1];
            }
            double[] t = dft(col, 6, -1);
            for (int r = 0; r < 6; r++) {
                both[2 * (r * 8 + c)] = t[2 * r];
                both[2 * (r * 8 + c) + 1] = t[2 * r + 1];
            }
        }
        assertClose(f.doubles(), both);
        Array back = DotConvPrograms.run(fft("IFFT", s, 6L, 8L), f);
        assertClose(back.doubles(), x);
    }

    @Test
    void realTransformsKeepTheNonNegativeFrequenciesAndInvert() {
        for (int n : new int[] {6, 7, 16}) {
            double[] real = random(n + 100, n);
            Array r = DotConvPrograms.run(
                    fft("RFFT", HloShape.array(ElementType.C128, 1, n / 2 + 1), (long) n),
                    Array.wrap(ElementType.F64, new long[] {1, n}, real));
            double[] asComplex = new double[2 * n];
            for (int i = 0; i < n; i++) {
                asComplex[2 * i] = real[i];
            }
            assertClose(r.doubles(), java.util.Arrays.copyOf(dft(asComplex, n, -1), 2 * (n / 2 + 1)));
            Array back = DotConvPrograms.run(fft("IRFFT", HloShape.array(ElementType.F64, 1, n), (long) n), r);
            assertClose(back.doubles(), real);
        }
    }

    @Test
    void irfftIgnoresTheImaginaryPartOfTheZeroFrequency() {
        Array spectrum = Array.wrap(ElementType.C64, new long[] {3}, new float[] {4, 7, 0, 0, 0, 0});
        Array x = DotConvPrograms.run(fft("IRFFT", HloShape.array(ElementType.F32, 4), 4L), spectrum);
        assertThat(x.floats()).containsExactly(1, 1, 1, 1);
    }

    @Test
    void mismatchedLengthsAreInvalid() {
        Array x = Array.allocate(ElementType.C64, 5);
        assertThatThrownBy(() -> DotConvPrograms.run(fft("FFT", HloShape.array(ElementType.C64, 5), 4L), x))
                .isInstanceOf(NeuronException.class)
                .hasMessageContaining("fft_length=[4] does not match dimension 0 of operand 0 c64[5]");
    }
}
