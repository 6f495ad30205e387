package dev.nrt4j.benchmarks;

/**
 * The yardstick for {@code Tensor.write}: a plain copy of the same bytes between two native buffers,
 * {@code MemorySegment.copy} on Java 22+ ({@code SegmentBulkCopy}, in the jar's
 * {@code META-INF/versions/22}). On older JDKs there is none, and the benchmark says so.
 */
interface BulkCopy {
    /** Copies all of one native buffer into the other, both of {@code bytes} bytes. */
    void copy();

    /** A copier of {@code bytes} bytes between two buffers it owns. */
    static BulkCopy of(int bytes) {
        try {
            return (BulkCopy) Class.forName("dev.nrt4j.benchmarks.SegmentBulkCopy")
                    .getDeclaredConstructor(int.class)
                    .newInstance(bytes);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "the MemorySegment.copy baseline needs the benchmark jar built and run on" + " JDK 22 or newer", e);
        }
    }
}
