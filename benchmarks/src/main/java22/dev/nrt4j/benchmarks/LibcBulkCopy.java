package dev.nrt4j.benchmarks;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** {@link BulkCopy} as the C library's {@code memcpy} between two native segments of an arena that lives as long as it. */
// A downcall is a restricted method by design: this yardstick is the C library's own copy.
@SuppressWarnings("restricted")
final class LibcBulkCopy implements BulkCopy {
    private static final MethodHandle MEMCPY = Linker.nativeLinker()
            .downcallHandle(
                    Linker.nativeLinker().defaultLookup().find("memcpy").orElseThrow(),
                    FunctionDescriptor.of(
                            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));

    private final MemorySegment from;
    private final MemorySegment to;

    LibcBulkCopy(int bytes) {
        Arena arena = Arena.ofAuto();
        from = arena.allocate(bytes, 64);
        to = arena.allocate(bytes, 64);
    }

    @Override
    public void copy() {
        try {
            MemorySegment unused = (MemorySegment) MEMCPY.invokeExact(to, from, from.byteSize());
        } catch (Throwable t) {
            throw new IllegalStateException("memcpy through FFM failed", t);
        }
    }
}
