package dev.nrt4j.benchmarks;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** {@link BulkCopy} as {@code MemorySegment.copy} between two native segments of an arena that lives as long as it. */
final class SegmentBulkCopy implements BulkCopy {
    private final MemorySegment from;
    private final MemorySegment to;

    SegmentBulkCopy(int bytes) {
        Arena arena = Arena.ofAuto();
        from = arena.allocate(bytes, 64);
        to = arena.allocate(bytes, 64);
    }

    @Override
    public void copy() {
        MemorySegment.copy(from, 0, to, 0, from.byteSize());
    }
}
