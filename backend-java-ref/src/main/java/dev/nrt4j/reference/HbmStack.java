package dev.nrt4j.reference;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The capacity accounting of one simulated HBM stack: every tensor on a core that allocates from this
 * stack reserves its size here first, so a full stack refuses with {@link Status#RESOURCE} before
 * any host memory is touched. Thread-safe.
 */
final class HbmStack {
    private final String name;
    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    HbmStack(String name, long capacity) {
        this.name = name;
        this.capacity = capacity;
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
        while (true) {
            long now = used.get();
            if (bytes > capacity - now) {
                throw new NeuronException(Status.RESOURCE, operation,
                        name + " has " + (capacity - now) + " of " + capacity + " bytes free, " + bytes
                                + " were asked for; free tensors or unload models on the cores that share it");
            }
            if (used.compareAndSet(now, now + bytes)) {
                return;
            }
        }
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }
}
