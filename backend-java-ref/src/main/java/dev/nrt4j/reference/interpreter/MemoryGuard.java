package dev.nrt4j.reference.interpreter;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Whether an intermediate value of a given size can be held, asked before it is allocated: it must
 * fit the core's simulated device memory (an intermediate larger than the core's HBM could not exist
 * on hardware either) and the JVM's free heap. Without the check, a program that makes one huge value
 * (an {@code s32[1000000000] iota}) runs the JVM out of memory after minutes of paging, and the
 * {@link OutOfMemoryError} may strike another thread; with it the execution fails at once with
 * {@link Status#RESOURCE}. Immutable; thread-safe.
 */
public final class MemoryGuard {
    /** No device limit: only the heap is checked. */
    public static final MemoryGuard HEAP_ONLY = new MemoryGuard(Long.MAX_VALUE);

    /**
     * Values smaller than this are not checked: they cannot exhaust a heap on their own, and skipping
     * them keeps the check off the path of the many small values a program makes.
     */
    static final long CHECKED_FROM_BYTES = 16L << 20;

    /** What {@link #heapRoom} may drop when the heap looks short: caches that can be rebuilt. */
    private static final List<Runnable> RELEASERS = new CopyOnWriteArrayList<>();

    private final long deviceBytes;

    /** @param deviceBytes the memory of the core the program runs on, in bytes */
    public MemoryGuard(long deviceBytes) {
        if (deviceBytes <= 0) {
            throw new IllegalArgumentException("deviceBytes must be positive, got " + deviceBytes);
        }
        this.deviceBytes = deviceBytes;
    }

    /**
     * @param what the value, for the message (e.g. {@code iota.3 (s32[1000000000])})
     * @throws NeuronException {@link Status#RESOURCE} when {@code bytes} exceed the core's memory or the free heap
     */
    void check(String what, long bytes) {
        if (bytes < CHECKED_FROM_BYTES) {
            return;
        }
        if (bytes > deviceBytes) {
            throw new NeuronException(
                    Status.RESOURCE,
                    "execute " + what + " on the reference device",
                    "the value needs " + bytes + " bytes, more than the core's " + deviceBytes
                            + " bytes of device memory; use smaller shapes or split the computation");
        }
        checkHeap(what, bytes);
    }

    /**
     * Checks {@code bytes} against the JVM heap only.
     *
     * @throws NeuronException {@link Status#RESOURCE} with a hint to raise {@code -Xmx}
     */
    static void checkHeap(String what, long bytes) {
        if (bytes < CHECKED_FROM_BYTES) {
            return;
        }
        long max = Runtime.getRuntime().maxMemory();
        long margin = margin(max);
        if (bytes > max - margin) {
            throw heapExhausted(what, bytes, max, max - margin);
        }
        long room = heapRoom(bytes);
        if (bytes > room) {
            throw heapExhausted(what, bytes, max, room);
        }
    }

    /**
     * Bytes the Java heap can still give, less a margin for everything else the process holds. When
     * that looks short of {@code bytes}, garbage is collected once first: what looks used may be garbage,
     * and only a collection tells.
     *
     * @param bytes what the caller is about to allocate
     * @return the bytes to spare; may be negative
     */
    public static long heapRoom(long bytes) {
        Runtime rt = Runtime.getRuntime();
        long margin = margin(rt.maxMemory());
        long room = free(rt) - margin;
        if (bytes > room) {
            System.gc();
            room = free(rt) - margin;
        }
        if (bytes > room && !RELEASERS.isEmpty()) {
            // A cache must never be why a value is refused: drop them all, then look again.
            RELEASERS.forEach(Runnable::run);
            System.gc();
            room = free(rt) - margin;
        }
        return room;
    }

    /**
     * Registers {@code release}, which drops a cache of rebuildable values, to run when {@link #heapRoom} finds the
     * heap short, before it reports so. Thread-safe; {@code release} may run on any thread, any number of times.
     */
    public static void releaseWhenShort(Runnable release) {
        RELEASERS.add(release);
    }

    /** A margin for the kernel's own temporaries and for everything else the process holds. */
    private static long margin(long max) {
        return Math.max(32L << 20, max / 16);
    }

    private static long free(Runtime rt) {
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    private static NeuronException heapExhausted(String what, long bytes, long max, long available) {
        long suggestMiB = ((bytes + (max - Math.max(0, available))) >> 20) * 2;
        return new NeuronException(
                Status.RESOURCE,
                "execute " + what + " on the reference device",
                "the value needs " + bytes + " bytes and the Java heap has " + Math.max(0, available) + " to spare (of "
                        + max + "); give the JVM more memory, e.g. NRT4J_JAVA_OPTS=-Xmx"
                        + Math.max(1, (suggestMiB + 1023) / 1024)
                        + "g, or use smaller shapes");
    }
}
