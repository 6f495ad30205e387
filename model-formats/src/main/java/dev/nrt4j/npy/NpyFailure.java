package dev.nrt4j.npy;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;

/** The exceptions this package throws, so that every message has the same shape. */
final class NpyFailure {
    private NpyFailure() {
    }

    /** A bad or unreadable input: {@code read <source> failed [INVALID]: <detail>}. */
    static NeuronException invalid(String source, String detail) {
        return new NeuronException(Status.INVALID, "read " + source, detail);
    }

    static NeuronException invalid(String source, String detail, Throwable cause) {
        return new NeuronException(Status.INVALID, "read " + source, detail, cause);
    }
}
