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

    /**
     * Available; {@code detail} says what was found, e.g. the library path and version.
     *
     * @param detail what was found, in one line a user can read; not null
     * @return an immutable "available" answer
     * @throws NullPointerException if {@code detail} is null
     */
    public static BackendAvailability available(String detail) {
        return new BackendAvailability(true, detail);
    }

    /**
     * Not available; {@code reason} says why and, where possible, what to install or set.
     *
     * @param reason why the backend cannot run here, in words a user can act on; not null
     * @return an immutable "unavailable" answer
     * @throws NullPointerException if {@code reason} is null
     */
    public static BackendAvailability unavailable(String reason) {
        return new BackendAvailability(false, reason);
    }

    /** {@return whether the backend can run here} */
    public boolean isAvailable() {
        return available;
    }

    /** {@return what was found, or why the backend is unavailable; never null} */
    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return (available ? "available: " : "unavailable: ") + detail;
    }
}
