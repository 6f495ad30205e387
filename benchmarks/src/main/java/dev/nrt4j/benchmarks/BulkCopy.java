package dev.nrt4j.benchmarks;

/**
 * The yardsticks for {@code Tensor.write}: a plain copy of the same bytes between two native buffers,
 * {@code MemorySegment.copy} or the C library's {@code memcpy}, on Java 22+ ({@code SegmentBulkCopy} and
 * {@code LibcBulkCopy}, in the jar's {@code META-INF/versions/22}). On older JDKs there is none, and the
 * benchmark says so.
 */
interface BulkCopy {
    /** Copies all of one native buffer into the other, both of {@code bytes} bytes. */
    void copy();

    /** A copier of {@code bytes} bytes between two buffers it owns, with {@code MemorySegment.copy}. */
    static BulkCopy of(int bytes) {
        return make("SegmentBulkCopy", bytes);
    }

    /**
     * A copier of {@code bytes} bytes between two buffers it owns, with the C library's {@code memcpy}
     * called through FFM: how fast this machine's {@code memcpy} is, beside the JVM's own copy.
     */
    static BulkCopy libcMemcpy(int bytes) {
        return make("LibcBulkCopy", bytes);
    }

    private static BulkCopy make(String className, int bytes) {
        try {
            return (BulkCopy) Class.forName("dev.nrt4j.benchmarks." + className)
                    .getDeclaredConstructor(int.class)
                    .newInstance(bytes);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "the MemorySegment.copy baseline needs the benchmark jar built and run on" + " JDK 22 or newer", e);
        }
    }
}
