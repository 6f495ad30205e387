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
 * Each loop names its comparison as a constant: C2 compiles a Vector API call to vector instructions only when
 * the operator is one (passed in as an argument, the loops ran four times slower than the scalar ones).
 */
final class VectorMinMax implements MinMaxKernels.Kernel {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;

    VectorMinMax() {}

    @Override
    public void max(float[] a, float[] b, float[] r, int from, int to) {
        int end = from + FS.loopBound(to - from);
        for (int i = from; i < end; i += FS.length()) {
            FloatVector x = FloatVector.fromArray(FS, a, i);
            FloatVector y = FloatVector.fromArray(FS, b, i);
            y.blend(x, x.compare(VectorOperators.GE, y).or(isNaN(x))).intoArray(r, i);
        }
        for (int i = end; i < to; i++) {
            r[i] = ElementwiseOps.max(a[i], b[i]);
        }
    }

    @Override
    public void min(float[] a, float[] b, float[] r, int from, int to) {
        int end = from + FS.loopBound(to - from);
        for (int i = from; i < end; i += FS.length()) {
            FloatVector x = FloatVector.fromArray(FS, a, i);
            FloatVector y = FloatVector.fromArray(FS, b, i);
            y.blend(x, x.compare(VectorOperators.LE, y).or(isNaN(x))).intoArray(r, i);
        }
        for (int i = end; i < to; i++) {
            r[i] = ElementwiseOps.min(a[i], b[i]);
        }
    }

    @Override
    public void max(double[] a, double[] b, double[] r, int from, int to) {
        int end = from + DS.loopBound(to - from);
        for (int i = from; i < end; i += DS.length()) {
            DoubleVector x = DoubleVector.fromArray(DS, a, i);
            DoubleVector y = DoubleVector.fromArray(DS, b, i);
            y.blend(x, x.compare(VectorOperators.GE, y).or(isNaN(x))).intoArray(r, i);
        }
        for (int i = end; i < to; i++) {
            r[i] = ElementwiseOps.max(a[i], b[i]);
        }
    }

    @Override
    public void min(double[] a, double[] b, double[] r, int from, int to) {
        int end = from + DS.loopBound(to - from);
        for (int i = from; i < end; i += DS.length()) {
            DoubleVector x = DoubleVector.fromArray(DS, a, i);
            DoubleVector y = DoubleVector.fromArray(DS, b, i);
            y.blend(x, x.compare(VectorOperators.LE, y).or(isNaN(x))).intoArray(r, i);
        }
        for (int i = end; i < to; i++) {
            r[i] = ElementwiseOps.min(a[i], b[i]);
        }
    }

    /** NaN lanes, as {@code x != x}. */
    private static VectorMask<Float> isNaN(FloatVector x) {
        return x.compare(VectorOperators.NE, x);
    }

    private static VectorMask<Double> isNaN(DoubleVector x) {
        return x.compare(VectorOperators.NE, x);
    }
}
