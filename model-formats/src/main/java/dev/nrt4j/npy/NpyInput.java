package dev.nrt4j.npy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Where a {@code .npy} is read from, with the one property the reader depends on: whether the
 * number of bytes left is known. When it is, sizes claimed by the header are checked against it
 * before anything is allocated; when it is not (a stream), data is read in growing chunks so that
 * memory follows the bytes that actually arrive, never the size a header claims.
 *
 * <p>Not thread-safe; one instance per read.
 */
abstract class NpyInput {
    /** First allocation for data of unknown availability; doubled as bytes keep arriving. */
    static final int FIRST_CHUNK = 1 << 16;

    final String source;
    private long consumed;

    NpyInput(String source) {
        this.source = source;
    }

    static NpyInput of(ByteBuffer buffer, String source) {
        ByteBuffer b = buffer.duplicate();
        return new NpyInput(source) {
            @Override
            long remaining() {
                return b.remaining();
            }

            @Override
            int readSome(byte[] into, int off, int len) {
                if (!b.hasRemaining()) {
                    return -1;
                }
                int n = Math.min(len, b.remaining());
                b.get(into, off, n);
                return n;
            }
        };
    }

    /** A stream; {@code knownSize} is the number of bytes it will deliver, or -1 if unknown. */
    static NpyInput of(InputStream in, String source, long knownSize) {
        return new NpyInput(source) {
            @Override
            long remaining() {
                return knownSize < 0 ? -1 : Math.max(0, knownSize - consumed());
            }

            @Override
            int readSome(byte[] into, int off, int len) throws IOException {
                return in.read(into, off, len);
            }
        };
    }

    /** Bytes left, or -1 when the input cannot tell. */
    abstract long remaining();

    /** As {@link InputStream#read(byte[], int, int)}: at least one byte, or -1 at the end. */
    abstract int readSome(byte[] into, int off, int len) throws IOException;

    /** Bytes consumed so far, which is the offset in the file. */
    final long consumed() {
        return consumed;
    }

    /**
     * Exactly {@code n} bytes of the part of the file called {@code what}. Callers bound {@code n}
     * (it is at most a header's size), so allocating it up front is safe.
     */
    final byte[] readExactly(int n, String what) {
        byte[] out = new byte[n];
        fill(out, 0, n, what);
        return out;
    }

    /**
     * The {@code n} data bytes. When the size left is known, callers have already checked that
     * {@code n} fits in it. When it is not, the buffer starts small and doubles only as data
     * arrives, so a header that lies about the size costs at most about twice the bytes really
     * present, never the size it claims.
     */
    final byte[] readData(int n) {
        long left = remaining();
        if (left >= 0 || n <= FIRST_CHUNK) {
            byte[] out = new byte[n];
            fill(out, 0, n, "data");
            return out;
        }
        byte[] out = new byte[FIRST_CHUNK];
        int have = 0;
        while (true) {
            fill(out, have, out.length - have, "data", n);
            have = out.length;
            if (have == n) {
                return out;
            }
            out = Arrays.copyOf(out, (int) Math.min(n, 2L * have));
        }
    }

    private void fill(byte[] out, int off, int len, String what) {
        fill(out, off, len, what, off + len);
    }

    private void fill(byte[] out, int off, int len, String what, long partSize) {
        long partStart = consumed - off;
        int end = off + len;
        while (off < end) {
            int got;
            try {
                got = readSome(out, off, end - off);
            } catch (IOException e) {
                throw NpyFailure.invalid(source, "could not read at byte " + consumed + ": " + e, e);
            }
            if (got < 0) {
                throw NpyFailure.invalid(
                        source,
                        "the input ends after " + consumed + " bytes, inside the " + what
                                + " (which needs " + partSize + " bytes from offset " + partStart
                                + "); the file is truncated"
                                + " or its header is wrong");
            }
            off += got;
            consumed += got;
        }
    }
}
