package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Caches registered with {@link MemoryGuard#releaseWhenShort} are dropped when the heap looks short, and only then. */
class MemoryGuardReleaseTest {
    @Test
    void aShortHeapReleasesRegisteredCachesAndAnAmpleOneDoesNot() {
        AtomicInteger released = new AtomicInteger();
        MemoryGuard.releaseWhenShort(released::incrementAndGet);

        MemoryGuard.heapRoom(1);
        assertThat(released).as("one byte never looks short").hasValue(0);

        long room = MemoryGuard.heapRoom(Long.MAX_VALUE);
        assertThat(room).isLessThan(Long.MAX_VALUE);
        assertThat(released).as("released before the heap is reported short").hasValue(1);
    }
}
