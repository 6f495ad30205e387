package dev.nrt4j.samples;

import dev.nrt4j.samples.models.MlpModel;

/** The samples' MLP computed on the host with plain loops, the yardstick for what the device returns. */
public final class PlainMlp {
    private PlainMlp() {}

    /** relu(x·W1 + b1)·W2 + b2 in double precision. */
    public static double[] output(MlpModel m, float[] x, int batch) {
        float[] w1 = m.w1();
        float[] b1 = m.b1();
        float[] w2 = m.w2();
        float[] b2 = m.b2();
        double[] y = new double[batch * m.outputs()];
        for (int b = 0; b < batch; b++) {
            double[] h = new double[m.hidden()];
            for (int j = 0; j < m.hidden(); j++) {
                double s = b1[j];
                for (int k = 0; k < m.inputs(); k++) {
                    s += (double) x[b * m.inputs() + k] * w1[k * m.hidden() + j];
                }
                h[j] = Math.max(0, s);
            }
            for (int o = 0; o < m.outputs(); o++) {
                double s = b2[o];
                for (int j = 0; j < m.hidden(); j++) {
                    s += h[j] * w2[j * m.outputs() + o];
                }
                y[b * m.outputs() + o] = s;
            }
        }
        return y;
    }
}
