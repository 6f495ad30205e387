package dev.nrt4j.reference.interpreter;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link MinMaxKernels}' loops on {@code jdk.incubator.vector}. Per lane, {@code max} takes the first operand where
 * it is {@code >=} the second or is NaN, else the second: exactly {@link ElementwiseOps#max(float, float)}'s
 * cases (a NaN first operand is returned; a NaN second one fails the comparison and is returned; ties keep the
 * first), and {@code min} the same with {@code <=}. A blend picks whole lanes, so each result is one of the
 * operands bit for bit, NaN payloads and zero signs included. The tail past whole vectors runs the scalar rule.
 */
final class VectorMinMax implements MinMaxKernels.Kernel {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;

    VectorMinMax() {
    }

    @Override
    public void max(float[] a, float[] b, float[] r, int from, int to) {
        pick(a, b, r, from, to, VectorOperators.GE);
        for (int i = from + FS.loopBound(to - from); i < to; i++) {
            r[i] = ElementwiseOps.max(a[i], b[i]);
        }
    }

    @Override
    public void min(float[] a, float[] b, float[] r, int from, int to) {
        pick(a, b, r, from, to, VectorOperators.LE);
        for (int i = from + FS.loopBound(to - from); i < to; i++) {
            r[i] = ElementwiseOps.min(a[i], b[i]);
        }
    }

    @Override
    public void max(double[] a, double[] b, double[] r, int from, int to) {
        pick(a, b, r, from, to, VectorOperators.GE);
        for (int i = from + DS.loopBound(to - from); i < to; i++) {
            r[i] = ElementwiseOps.max(a[i], b[i]);
        }
    }

    @Override
    public void min(double[] a, double[] b, double[] r, int from, int to) {
        pick(a, b, r, from, to, VectorOperators.LE);
        for (int i = from + DS.loopBound(to - from); i < to; i++) {
            r[i] = ElementwiseOps.min(a[i], b[i]);
        }
    }

    /** Whole vectors of {@code [from, to)}: {@code a} where {@code a cmp b} holds or {@code a} is NaN, else {@code b}. */
    private static void pick(float[] a, float[] b, float[] r, int from, int to, VectorOperators.Comparison cmp) {
        int end = from + FS.loopBound(to - from);
        for (int i = from; i < end; i += FS.length()) {
            FloatVector x = FloatVector.fromArray(FS, a, i);
            FloatVector y = FloatVector.fromArray(FS, b, i);
            VectorMask<Float> first = x.compare(cmp, y).or(x.test(VectorOperators.IS_NAN));
            y.blend(x, first).intoArray(r, i);
        }
    }

    private static void pick(double[] a, double[] b, double[] r, int from, int to, VectorOperators.Comparison cmp) {
        int end = from + DS.loopBound(to - from);
        for (int i = from; i < end; i += DS.length()) {
            DoubleVector x = DoubleVector.fromArray(DS, a, i);
            DoubleVector y = DoubleVector.fromArray(DS, b, i);
            VectorMask<Double> first = x.compare(cmp, y).or(x.test(VectorOperators.IS_NAN));
            y.blend(x, first).intoArray(r, i);
        }
    }
}
