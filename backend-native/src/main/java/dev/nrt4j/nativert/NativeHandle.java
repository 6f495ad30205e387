package dev.nrt4j.nativert;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A libnrt pointer that is handed out only while it is live. libnrt does not check handles: a freed
 * or foreign pointer crashes the process. This guard makes such misuse a {@link NeuronException}
 * instead ({@link Status#INVALID_HANDLE} after release; the runtime's own check reports
 * {@link Status#CLOSED} once it has closed). It catches sequential misuse; the API layer serialises a
 * release against concurrent uses.
 * Thread-safe.
 */
final class NativeHandle {
    private final AtomicLong address;
    private final String what;

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

    private NeuronException dead(String operation) {
        return new NeuronException(
                Status.INVALID_HANDLE, operation, what + " was already released; it cannot be used or released again");
    }

    @Override
    public String toString() {
        return what;
    }
}
