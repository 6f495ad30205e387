package dev.nrt4j.reference.interpreter;

/**
 * Reorders a row-major operand (already converted to its accumulation representation) so that a
 * kernel reads it contiguously: {@code packed[i] = source[index[i]]}, where the index walks the operand's
 * dimensions in a permuted order. Used by dot and convolution to bring the summed dimensions innermost.
 */
final class Packing {
    private Packing() {}

    /**
     * The source position of every element of the permuted operand whose dimension {@code i} is the
     * source's dimension {@code permutation[i]}; {@code null} when the permutation is the identity (no
     * reordering needed).
     */
    static int[] gatherIndex(long[] dims, int[] permutation) {
        boolean identity = true;
        for (int i = 0; i < permutation.length; i++) {
            identity &= permutation[i] == i;
        }
        if (identity) {
            return null;
        }
        int rank = dims.length;
        long[] strides = new long[rank];
        long size = 1;
        for (int i = rank - 1; i >= 0; i--) {
            strides[i] = size;
            size *= dims[i];
        }
        int[] pd = new int[rank];
        long[] ps = new long[rank];
        for (int i = 0; i < rank; i++) {
            pd[i] = (int) dims[permutation[i]];
            ps[i] = strides[permutation[i]];
        }
        int[] index = new int[(int) size];
        if (size == 0) {
            return index;
        }
        // Odometer over the permuted dimensions, innermost in a plain loop.
        int[] counter = new int[rank];
        int inner = rank - 1;
        int innerSize = pd[inner];
        int innerStride = (int) ps[inner];
        long base = 0;
        int out = 0;
        while (true) {
            int src = (int) base;
            for (int j = 0; j < innerSize; j++) {
                index[out++] = src;
                src += innerStride;
            }
            int d = inner - 1;
            while (d >= 0) {
                counter[d]++;
                base += ps[d];
                if (counter[d] < pd[d]) {
                    break;
                }
                base -= ps[d] * pd[d];
                counter[d] = 0;
                d--;
            }
            if (d < 0) {
                return index;
            }
        }
    }

    static float[] gather(float[] src, int[] index) {
        if (index == null) {
            return src;
        }
        float[] out = new float[index.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = src[index[i]];
        }
        return out;
    }

    static double[] gather(double[] src, int[] index) {
        if (index == null) {
            return src;
        }
        double[] out = new double[index.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = src[index[i]];
        }
        return out;
    }

    static long[] gather(long[] src, int[] index) {
        if (index == null) {
            return src;
        }
        long[] out = new long[index.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = src[index[i]];
        }
        return out;
    }

    /** {@link #gather(float[], int[])} for interleaved complex pairs. */
    static float[] gatherPairs(float[] src, int[] index) {
        if (index == null) {
            return src;
        }
        float[] out = new float[2 * index.length];
        for (int i = 0; i < index.length; i++) {
            out[2 * i] = src[2 * index[i]];
            out[2 * i + 1] = src[2 * index[i] + 1];
        }
        return out;
    }

    /** {@link #gather(double[], int[])} for interleaved complex pairs. */
    static double[] gatherPairs(double[] src, int[] index) {
        if (index == null) {
            return src;
        }
        double[] out = new double[2 * index.length];
        for (int i = 0; i < index.length; i++) {
            out[2 * i] = src[2 * index[i]];
            out[2 * i + 1] = src[2 * index[i] + 1];
        }
        return out;
    }
}
