package dev.nrt4j.neff;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** The two streams the reader needs: an exact slice of a file, and a byte counter with a cap. */
final class BoundedInput {
    private BoundedInput() {}

    /**
     * Exactly {@code length} bytes of {@code channel} from {@code position}, read with positional reads
     * so that nothing before or after the slice is ever seen (GZIPInputStream would otherwise read on
     * past the gzip member). Not thread-safe.
     */
    static InputStream slice(FileChannel channel, long position, long length) {
        return new InputStream() {
            private long offset;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (offset >= length) {
                    return -1;
                }
                ByteBuffer into = ByteBuffer.wrap(b, off, (int) Math.min(len, length - offset));
                int n = channel.read(into, position + offset);
                if (n < 0) {
                    // The file shrank after its size was checked.
                    return -1;
                }
                offset += n;
                return n;
            }
        };
    }

    /**
     * Counts what {@code in} delivers and fails once it passes {@code max}: the decompression-bomb
     * guard, which works whatever the sizes in the tar headers claim. Not thread-safe.
     */
    static InputStream capped(InputStream in, long max, String source) {
        return new InputStream() {
            private long count;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                // One byte more than the cap allows, so that passing it is seen without reading further.
                long room = max - count;
                int n = in.read(b, off, room >= len ? len : (int) room + 1);
                if (n > 0) {
                    count += n;
                    if (count > max) {
                        throw NeffFailure.invalid(
                                source,
                                "the payload inflates to more than " + max
                                        + " bytes (maxInflatedBytes); refusing it as a possible decompression bomb");
                    }
                }
                return n;
            }
        };
    }
}
