package dev.nrt4j.npy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Builds .npy files byte by byte, independently of {@link NpyWriter}, so that reader tests do not
 * just check the writer against itself.
 */
final class HandMadeNpy {
    private HandMadeNpy() {}

    /** A file of format {@code major}.0 with this header text, padded to {@code align}, then {@code data}. */
    static byte[] file(int major, String header, int align, byte[] data) {
        byte[] text = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int prefix = major == 1 ? 10 : 12;
        int unpadded = prefix + text.length + 1;
        int pad = (align - unpadded % align) % align;
        int headerLength = text.length + pad + 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x93);
        out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
        out.write(major);
        out.write(0);
        out.write(headerLength & 0xFF);
        out.write((headerLength >>> 8) & 0xFF);
        if (major != 1) {
            out.write((headerLength >>> 16) & 0xFF);
            out.write((headerLength >>> 24) & 0xFF);
        }
        out.writeBytes(text);
        for (int i = 0; i < pad; i++) {
            out.write(' ');
        }
        out.write('\n');
        out.writeBytes(data);
        return out.toByteArray();
    }

    /** A version 1.0 file aligned to 64 bytes. */
    static byte[] file(String header, byte[] data) {
        return file(1, header, 64, data);
    }

    /** The standard header text NumPy would write for these fields. */
    static String header(String descr, boolean fortran, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape
                + ", }";
    }

    /** The integers {@code values}, each {@code size} bytes, in the given byte order. */
    static byte[] ints(int size, ByteOrder order, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * size).order(order);
        for (long v : values) {
            switch (size) {
                case 1:
                    b.put((byte) v);
                    break;
                case 2:
                    b.putShort((short) v);
                    break;
                case 4:
                    b.putInt((int) v);
                    break;
                case 8:
                    b.putLong(v);
                    break;
                default:
                    throw new IllegalArgumentException("size " + size);
            }
        }
        return b.array();
    }

    static byte[] floats(ByteOrder order, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(order);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static byte[] doubles(ByteOrder order, double... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(order);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }
}
