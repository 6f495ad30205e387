package dev.nrt4j.reference.interpreter;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ExpKernels}' vector loop: the operands widened to double, {@code exp} of a whole vector of doubles (the
 * Vector API holds it to {@link Math#exp}'s accuracy, within an ulp), then each lane settled by
 * {@link CheckedFastMath#settle}: taken when its float rounding cannot differ from {@link StrictMath#exp}'s, else
 * recomputed with it. So every result is {@code (float) StrictMath.exp(x)}, bit for bit. Works through two small
 * double buffers per call, so the widening and the settling run as plain loops the JIT vectorizes.
 */
final class VectorExp implements ExpKernels.Kernel {
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    /** Elements per pass through the buffers. */
    private static final int CHUNK = 512;

    VectorExp() {}

    @Override
    public void exp(float[] a, float[] r, int from, int to) {
        double[] x = new double[CHUNK];
        double[] e = new double[CHUNK];
        for (int s = from; s < to; s += CHUNK) {
            int n = Math.min(CHUNK, to - s);
            for (int i = 0; i < n; i++) {
                x[i] = a[s + i];
            }
            int end = DS.loopBound(n);
            for (int i = 0; i < end; i += DS.length()) {
                DoubleVector.fromArray(DS, x, i).lanewise(VectorOperators.EXP).intoArray(e, i);
            }
            for (int i = end; i < n; i++) {
                e[i] = Math.exp(x[i]);
            }
            for (int i = 0; i < n; i++) {
                r[s + i] = CheckedFastMath.settle(e[i], a[s + i], StrictMath::exp);
            }
        }
    }
}
