package dev.nrt4j.nativert;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A libnrt pointer that is handed out only while it is live. libnrt does not check handles: a freed
 * or foreign pointer crashes the process. This guard makes such misuse a {@link NeuronException}
 * instead ({@link Status#INVALID_HANDLE} after release, {@link Status#CLOSED} once the runtime has
 * closed). It catches sequential misuse; the API layer serialises a release against concurrent uses.
 * Thread-safe.
 */
final class NativeHandle {
    private final AtomicLong address;
    private final String what;
    private volatile boolean runtimeClosed;

    NativeHandle(long address, String what) {
        if (address == 0) {
            throw new NeuronException(Status.FAILURE, what, "libnrt returned a NULL handle");
        }
        this.address = new AtomicLong(address);
        this.what = what;
    }

    /** The live address, for one call. */
    long get(String operation) {
        long a = address.get();
        if (a == 0) {
            throw dead(operation);
        }
        return a;
    }

    /** Marks the handle released and returns the address to free; throws when it already was. */
    long release(String operation) {
        long a = address.getAndSet(0);
        if (a == 0) {
            throw dead(operation);
        }
        return a;
    }

    /** Whether it is still live. */
    boolean isLive() {
        return address.get() != 0;
    }

    /** Invalidates it because the runtime closed (after the runtime freed it). */
    void invalidateOnClose() {
        runtimeClosed = true;
        address.set(0);
    }

    private NeuronException dead(String operation) {
        return runtimeClosed
                ? new NeuronException(Status.CLOSED, operation, what + " belonged to a native runtime that is closed")
                : new NeuronException(Status.INVALID_HANDLE, operation, what + " was already released; it cannot be used or released again");
    }

    @Override
    public String toString() {
        return what;
    }
}
