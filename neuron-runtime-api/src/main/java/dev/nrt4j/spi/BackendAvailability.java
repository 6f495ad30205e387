package dev.nrt4j.spi;

import java.util.Objects;

/**
 * A backend's answer to "could you run here?": yes, or no with the reason in words a user can act on.
 * Immutable and thread-safe.
 */
public final class BackendAvailability {
    private final boolean available;
    private final String detail;

    private BackendAvailability(boolean available, String detail) {
        this.available = available;
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    /** Available; {@code detail} says what was found, e.g. the library path and version. */
    public static BackendAvailability available(String detail) {
        return new BackendAvailability(true, detail);
    }

    /** Not available; {@code reason} says why and, where possible, what to install or set. */
    public static BackendAvailability unavailable(String reason) {
        return new BackendAvailability(false, reason);
    }

    /** Whether the backend can run here. */
    public boolean isAvailable() {
        return available;
    }

    /** What was found, or why the backend is unavailable. */
    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return (available ? "available: " : "unavailable: ") + detail;
    }
}
