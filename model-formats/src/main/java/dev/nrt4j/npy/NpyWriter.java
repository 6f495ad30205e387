package dev.nrt4j.npy;

import dev.nrt4j.DType;
import dev.nrt4j.Shape;
import java.nio.charset.StandardCharsets;

/**
 * Builds the header NumPy writes for an array: the dict in NumPy's key order, padded with spaces and
 * a newline so that the data starts at a multiple of {@value #ALIGN} bytes.
 *
 * <p>Stateless and thread-safe.
 */
final class NpyWriter {
    /** NumPy aligns data to 64 bytes so that it can be memory-mapped and read with aligned loads. */
    static final int ALIGN = 64;

    private NpyWriter() {}

    static byte[] header(DType dtype, Shape shape) {
        StringBuilder dict = new StringBuilder()
                .append("{'descr': '")
                .append(NpyDescr.forWriting(dtype))
                .append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.rank(); i++) {
            dict.append(i == 0 ? "" : ", ").append(shape.dim(i));
        }
        dict.append(shape.rank() == 1 ? ",), }" : "), }");
        byte[] text = dict.toString().getBytes(StandardCharsets.US_ASCII);
        // Version 1.0 has a 2-byte length field; only a header beyond 64 KiB needs 2.0's four bytes.
        int prefix = 10;
        long total = align(prefix + text.length + 1L);
        if (total - prefix > 0xFFFF) {
            prefix = 12;
            total = align(prefix + text.length + 1L);
        }
        int headerLength = (int) (total - prefix);
        byte[] out = new byte[(int) total];
        out[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, out, 1, 5);
        out[6] = (byte) (prefix == 10 ? 1 : 2);
        out[7] = 0;
        out[8] = (byte) headerLength;
        out[9] = (byte) (headerLength >>> 8);
        if (prefix == 12) {
            out[10] = (byte) (headerLength >>> 16);
            out[11] = (byte) (headerLength >>> 24);
        }
        System.arraycopy(text, 0, out, prefix, text.length);
        for (int i = prefix + text.length; i < out.length - 1; i++) {
            out[i] = ' ';
        }
        out[out.length - 1] = '\n';
        return out;
    }

    private static long align(long n) {
        return (n + ALIGN - 1) / ALIGN * ALIGN;
    }
}
