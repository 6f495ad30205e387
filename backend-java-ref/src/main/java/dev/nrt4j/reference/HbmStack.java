package dev.nrt4j.reference;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The capacity accounting of one simulated HBM stack: every tensor on a core that allocates from this
 * stack reserves its size here first, so a full stack refuses with {@link Status#RESOURCE} before
 * any host memory is touched. What other processes hold on the stack's other cores (trn2 at LNC=1
 * puts two cores on one stack) counts too, as their sysfs counters show it. Thread-safe.
 */
final class HbmStack {
    private final String name;
    private final long capacity;
    private final AtomicLong used = new AtomicLong();
    private final LongSupplier otherProcesses;
    /** Other processes publish their use every 100 ms, so reading it more often than that only costs file reads on every allocation. */
    private static final long OTHERS_FRESH_NANOS = 100_000_000L;

    private long othersValue;
    private long othersReadAt = Long.MIN_VALUE;

    HbmStack(String name, long capacity, LongSupplier otherProcesses) {
        this.name = name;
        this.capacity = capacity;
        this.otherProcesses = otherProcesses;
    }

    long capacity() {
        return capacity;
    }

    long used() {
        return used.get();
    }

    /**
     * @throws NeuronException {@link Status#RESOURCE} if fewer than {@code bytes} are free
     */
    void reserve(long bytes, String operation) {
        long others = othersNow();
        while (true) {
            long now = used.get();
            if (bytes > capacity - now - others) {
                throw new NeuronException(
                        Status.RESOURCE,
                        operation,
                        name + " has " + (capacity - now - others) + " of " + capacity + " bytes free"
                                + (others > 0 ? " (other processes hold " + others + ")" : "") + ", " + bytes
                                + " were asked for; free tensors or unload models on the cores that share it");
            }
            if (used.compareAndSet(now, now + bytes)) {
                return;
            }
        }
    }

    private synchronized long othersNow() {
        long now = System.nanoTime();
        if (othersReadAt == Long.MIN_VALUE || now - othersReadAt > OTHERS_FRESH_NANOS) {
            othersValue = otherProcesses.getAsLong();
            othersReadAt = now;
        }
        return othersValue;
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }
}
