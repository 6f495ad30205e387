package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.text.HloTextParser;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Typed reductions (sums four outputs at a time, the others one by one, split over threads by output) against
 * the evaluator's definition written out here: every output folds its inputs one at a time in row-major order of
 * the reduced dimensions from the init value, in its own type. Bit for bit, on data with NaNs, infinities, signed
 * zeros and subnormals, over the last, a middle and two dimensions, with output counts that leave every remainder
 * after groups of four, large enough to run on two threads.
 */
class ReduceFoldOrderTest {
    @ParameterizedTest
    @CsvSource({
        "f32, add, 2",
        "f32, add, 1",
        "f32, add, '0,2'",
        "f32, maximum, 2",
        "f32, minimum, 1",
        "f32, multiply, 2",
        "f64, add, 2",
        "f64, add, 1",
        "f64, maximum, '1,2'",
        "f64, multiply, 1"
    })
    void everyOutputFoldsItsInputsInOrder(String type, String op, String reduced) {
        ElementType t = ElementType.fromTextName(type).orElseThrow();
        long[] in = {3, 257, 131};
        boolean[] isReduced = new boolean[3];
        for (String d : reduced.split(",")) {
            isReduced[Integer.parseInt(d)] = true;
        }
        StringBuilder outDims = new StringBuilder();
        for (int d = 0; d < 3; d++) {
            if (!isReduced[d]) {
                outDims.append(outDims.length() == 0 ? "" : ",").append(in[d]);
            }
        }
        String module = "HloModule r\n\nf {\n  p = " + type + "[] parameter(0)\n  q = " + type + "[] parameter(1)\n"
                + "  ROOT o = " + type + "[] " + op + "(p, q)\n}\n\nENTRY e {\n  x = " + type
                + "[3,257,131] parameter(0)\n"
                + "  i = " + type + "[] parameter(1)\n  ROOT r = " + type + "[" + outDims
                + "] reduce(x, i), dimensions={"
                + reduced + "}, to_apply=f\n}\n";
        HloModule m = HloTextParser.parse(module, "reduce test");
        SplittableRandom rnd = new SplittableRandom(op.hashCode() + reduced.hashCode());
        Array x = Array.allocate(t, in);
        for (int i = 0; i < x.size(); i++) {
            double v = value(rnd);
            if (t == ElementType.F32) {
                x.floats()[i] = (float) v;
            } else {
                x.doubles()[i] = v;
            }
        }
        Array init = Array.allocate(t);
        double start = op.equals("multiply") ? 1 : op.equals("add") ? -0.0 : Double.NaN;
        if (op.equals("maximum") || op.equals("minimum")) {
            start = op.equals("maximum") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (t == ElementType.F32) {
            init.floats()[0] = (float) start;
        } else {
            init.doubles()[0] = start;
        }
        Array got = new Evaluator(m, OpRegistry.standard(), 2)
                .run(List.of(x, init), Long.MAX_VALUE, 0, 1)
                .asArray();
        Array want = naive(x, init, isReduced, op);
        assertThat(FloatArrays.bitsNanAsOne(got)).isEqualTo(FloatArrays.bitsNanAsOne(want));
    }

    /** Mostly within [-4, 4); one in 40 special; products stay finite for a while at most. */
    private static double value(SplittableRandom rnd) {
        if (rnd.nextInt(40) == 0) {
            double[] special = {
                Double.NaN,
                0.0,
                -0.0,
                Float.MIN_VALUE,
                -Float.MIN_VALUE,
                Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY,
                1e30,
                -1e30
            };
            return special[rnd.nextInt(special.length)];
        }
        return rnd.nextDouble() * 2 - 1 + (rnd.nextBoolean() ? 0.5 : -0.5);
    }

    /** The definition: per output in row-major order, a sequential fold over the reduced indices in row-major order. */
    private static Array naive(Array x, Array init, boolean[] isReduced, String op) {
        long[] d = x.dims();
        int[] s = x.strides();
        int[] lim = new int[3];
        for (int k = 0; k < 3; k++) {
            lim[k] = (int) d[k];
        }
        boolean f32 = x.type() == ElementType.F32;
        Array out = Array.allocate(x.type(), keptDims(d, isReduced));
        int o = 0;
        for (int a = 0; a < (isReduced[0] ? 1 : lim[0]); a++) {
            for (int b = 0; b < (isReduced[1] ? 1 : lim[1]); b++) {
                for (int c = 0; c < (isReduced[2] ? 1 : lim[2]); c++) {
                    float accF = f32 ? init.floats()[0] : 0;
                    double accD = f32 ? 0 : init.doubles()[0];
                    for (int ra = 0; ra < (isReduced[0] ? lim[0] : 1); ra++) {
                        for (int rb = 0; rb < (isReduced[1] ? lim[1] : 1); rb++) {
                            for (int rc = 0; rc < (isReduced[2] ? lim[2] : 1); rc++) {
                                int idx = (a + ra) * s[0] + (b + rb) * s[1] + (c + rc) * s[2];
                                if (f32) {
                                    accF = stepF(op, accF, x.floats()[idx]);
                                } else {
                                    accD = stepD(op, accD, x.doubles()[idx]);
                                }
                            }
                        }
                    }
                    if (f32) {
                        out.floats()[o++] = accF;
                    } else {
                        out.doubles()[o++] = accD;
                    }
                }
            }
        }
        return out;
    }

    private static long[] keptDims(long[] d, boolean[] isReduced) {
        return java.util.stream.IntStream.range(0, 3)
                .filter(k -> !isReduced[k])
                .mapToLong(k -> d[k])
                .toArray();
    }

    /**
     * One f32 step, computed in double and rounded once: exact for a sum or product of two floats (a double holds
     * more than twice their precision), and max/min pick an operand.
     */
    private static float stepF(String op, float acc, float x) {
        return (float) stepD(op, acc, x);
    }

    /** XLA's maximum/minimum: NaN propagates (the first NaN), else std::max/min of (acc, x). */
    private static double stepD(String op, double acc, double x) {
        switch (op) {
            case "add":
                return acc + x;
            case "multiply":
                return acc * x;
            case "maximum":
                return acc != acc ? acc : x != x ? x : acc < x ? x : acc;
            default:
                return acc != acc ? acc : x != x ? x : x < acc ? x : acc;
        }
    }
}
