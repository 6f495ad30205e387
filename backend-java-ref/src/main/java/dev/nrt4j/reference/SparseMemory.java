package dev.nrt4j.reference;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.reference.interpreter.Array;
import dev.nrt4j.reference.interpreter.MemoryGuard;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The bytes of one simulated tensor, in pages that exist only once written: a tensor as large as
 * the simulated HBM costs the host nothing until its data is written, and unwritten bytes read as
 * zero (device allocations are zeroed). A page the Java heap has no room for is refused with
 * {@code RESOURCE}. Writers of different pages never contend; page creation is atomic. Thread-safe.
 */
final class SparseMemory {
    static final int PAGE_SIZE = 1 << 20;
    private static final byte[] ZEROS = new byte[PAGE_SIZE];

    private final long size;
    private final AtomicReferenceArray<byte[]> pages;

    SparseMemory(long size) {
        this.size = size;
        long pageCount = (size + PAGE_SIZE - 1) / PAGE_SIZE;
        if (pageCount > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "tensor of " + size + " bytes is larger than the reference device can page");
        }
        this.pages = new AtomicReferenceArray<>((int) pageCount);
    }

    long size() {
        return size;
    }

    /** Bytes of host memory the pages written so far take. */
    long residentBytes() {
        long total = 0;
        for (int i = 0; i < pages.length(); i++) {
            byte[] p = pages.get(i);
            total += p == null ? 0 : p.length;
        }
        return total;
    }

    void read(long offset, ByteBuffer dst) {
        while (dst.hasRemaining()) {
            int page = (int) (offset / PAGE_SIZE);
            int inPage = (int) (offset % PAGE_SIZE);
            int n = Math.min(dst.remaining(), pageLength(page) - inPage);
            byte[] p = pages.get(page);
            dst.put(p == null ? ZEROS : p, p == null ? 0 : inPage, n);
            offset += n;
        }
    }

    /**
     * The first bytes as an interpreter value of this type and shape, copied page by page into its storage: no
     * buffer of the whole value in between, and unwritten pages are left as the fresh array's zeros.
     *
     * @throws IllegalArgumentException if the value needs more bytes than the memory has
     */
    Array readArray(ElementType type, long[] dims) {
        Array a = Array.allocate(type, dims);
        long length = (long) a.size() * type.byteSize();
        if (length > size) {
            throw new IllegalArgumentException("a " + a + " value needs " + length + " bytes, the tensor has " + size);
        }
        // Pages are a whole number of elements of every storage width, so each piece starts on an element.
        for (long offset = 0; offset < length; ) {
            int page = (int) (offset / PAGE_SIZE);
            int inPage = (int) (offset % PAGE_SIZE);
            int n = (int) Math.min(length - offset, pageLength(page) - inPage);
            byte[] p = pages.get(page);
            if (p != null) {
                a.load(offset, ByteBuffer.wrap(p, inPage, n));
            }
            offset += n;
        }
        return a;
    }

    void write(long offset, ByteBuffer src) {
        while (src.hasRemaining()) {
            int page = (int) (offset / PAGE_SIZE);
            int inPage = (int) (offset % PAGE_SIZE);
            int n = Math.min(src.remaining(), pageLength(page) - inPage);
            src.get(page(page), inPage, n);
            offset += n;
        }
    }

    void fill(long offset, long length, byte value) {
        long end = offset + length;
        while (offset < end) {
            int page = (int) (offset / PAGE_SIZE);
            int inPage = (int) (offset % PAGE_SIZE);
            int n = (int) Math.min(end - offset, pageLength(page) - inPage);
            byte[] p = pages.get(page);
            // Zeroing an unwritten page changes nothing; do not make it resident.
            if (p != null || value != 0) {
                Arrays.fill(page(page), inPage, inPage + n, value);
            }
            offset += n;
        }
    }

    /** Releases the pages; reads after this see zeros. */
    void clear() {
        for (int i = 0; i < pages.length(); i++) {
            pages.set(i, null);
        }
    }

    private int pageLength(int page) {
        return (int) Math.min(PAGE_SIZE, size - (long) page * PAGE_SIZE);
    }

    private byte[] page(int page) {
        byte[] p = pages.get(page);
        if (p == null) {
            int length = pageLength(page);
            long room = MemoryGuard.heapRoom(length);
            if (length > room) {
                // Said now, as RESOURCE, rather than by an OutOfMemoryError that may strike another thread.
                long max = Runtime.getRuntime().maxMemory();
                throw new NeuronException(
                        Status.RESOURCE,
                        "write tensor on the reference device",
                        "its written bytes live on the Java heap, which has " + Math.max(0, room)
                                + " bytes to spare (of " + max
                                + "); give the JVM more memory, e.g. NRT4J_JAVA_OPTS=-Xmx" + ((max >> 30) + 2)
                                + "g, or write less");
            }
            byte[] fresh = new byte[length];
            p = pages.compareAndSet(page, null, fresh) ? fresh : pages.get(page);
        }
        return p;
    }
}
