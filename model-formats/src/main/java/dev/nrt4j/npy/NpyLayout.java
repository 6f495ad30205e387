package dev.nrt4j.npy;

/**
 * Rewrites {@code .npy} data into the layout of a {@link dev.nrt4j.HostTensor}: little-endian
 * elements in C (row-major) order, and booleans as exactly 0 or 1.
 *
 * <p>Stateless and thread-safe; the arrays passed in belong to the caller.
 */
final class NpyLayout {
    private NpyLayout() {}

    /** Reverses the bytes of every {@code size}-byte element, in place. */
    static void swapBytes(byte[] data, int size) {
        for (int at = 0; at + size <= data.length; at += size) {
            for (int i = 0, j = at + size - 1, k = at; i < size / 2; i++, j--, k++) {
                byte t = data[k];
                data[k] = data[j];
                data[j] = t;
            }
        }
    }

    /**
     * NumPy treats any non-zero byte of a bool array as True; a pred tensor holds exactly 0 or 1, so
     * other values are folded to 1 rather than carried along as a value no kernel expects.
     */
    static void normalizeBools(byte[] data) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] != 0) {
                data[i] = 1;
            }
        }
    }

    /**
     * The elements of a column-major (Fortran order) array of shape {@code dims}, rearranged into
     * row-major order. The shape stays the same; only the order of the elements in memory changes.
     */
    static byte[] fortranToC(byte[] src, long[] dims, int size) {
        int rank = dims.length;
        if (rank < 2 || src.length == 0) {
            return src;
        }
        // Column-major strides, in elements: the first index moves fastest.
        long[] stride = new long[rank];
        stride[0] = 1;
        for (int k = 1; k < rank; k++) {
            stride[k] = stride[k - 1] * dims[k - 1];
        }
        byte[] out = new byte[src.length];
        long[] index = new long[rank];
        long from = 0;
        int elements = src.length / size;
        for (int to = 0; to < elements; to++) {
            System.arraycopy(src, (int) (from * size), out, to * size, size);
            // Advance the row-major index (last dimension fastest) and track the column-major offset.
            for (int k = rank - 1; k >= 0; k--) {
                index[k]++;
                from += stride[k];
                if (index[k] < dims[k]) {
                    break;
                }
                from -= index[k] * stride[k];
                index[k] = 0;
            }
        }
        return out;
    }
}
