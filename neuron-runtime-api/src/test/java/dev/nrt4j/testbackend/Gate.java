package dev.nrt4j.testbackend;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds executions of a gated program ({@code gate NAME add f32 4}) inside the backend until the test
 * opens it, so tests can act while an execution is provably in flight without sleeping.
 */
public final class Gate {
    /** Prefix of a tensor name whose free() waits at the gate named after it. */
    public static final String HOLD_FREE = MemoryTensor.HOLD_FREE;

    private static final Map<String, Gate> GATES = new ConcurrentHashMap<>();

    private final String name;
    private final AtomicInteger arrived = new AtomicInteger();
    private final CountDownLatch open = new CountDownLatch(1);

    private Gate(String name) {
        this.name = name;
    }

    /** A new closed gate; programs name it in their first line. */
    public static Gate create(String name) {
        Gate g = new Gate(name);
        if (GATES.putIfAbsent(name, g) != null) {
            throw new IllegalArgumentException("gate " + name + " exists");
        }
        return g;
    }

    static Gate named(String name) {
        Gate g = GATES.get(name);
        if (g == null) {
            throw new IllegalArgumentException("no gate " + name + "; create it before loading the program");
        }
        return g;
    }

    public String name() {
        return name;
    }

    /** Executions that have reached the gate so far. */
    public int arrivals() {
        return arrived.get();
    }

    /**
     * Waits until {@code count} executions have reached the gate.
     *
     * @return whether they did within the timeout
     */
    public boolean awaitArrivals(int count, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (this) {
            while (arrived.get() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        return true;
    }

    /** Lets every waiting and future execution through. */
    public void open() {
        open.countDown();
    }

    /** Called by an execution; returns whether the gate opened before the timeout. */
    boolean pass(long timeoutNanos) throws InterruptedException {
        synchronized (this) {
            arrived.incrementAndGet();
            notifyAll();
        }
        return open.await(timeoutNanos, TimeUnit.NANOSECONDS);
    }
}
