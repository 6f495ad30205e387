package dev.nrt4j;

import java.util.Objects;

/**
 * One line of {@link NeuronRuntime#describeBackends()}: a backend found on the class path, whether it
 * could run here and why, and whether it would be chosen. Immutable and thread-safe.
 */
public final class BackendDescription {
    private final String name;
    private final int priority;
    private final boolean available;
    private final boolean selected;
    private final String detail;

    BackendDescription(String name, int priority, boolean available, boolean selected, String detail) {
        this.name = Objects.requireNonNull(name);
        this.priority = priority;
        this.available = available;
        this.selected = selected;
        this.detail = Objects.requireNonNull(detail);
    }

    /** {@return the backend's name, e.g. {@code reference}} */
    public String name() {
        return name;
    }

    /** {@return the preference among available backends when none is named; higher wins} */
    public int priority() {
        return priority;
    }

    /** {@return whether the backend could open here with the options it was asked about} */
    public boolean isAvailable() {
        return available;
    }

    /** {@return whether {@link NeuronRuntime#open(RuntimeOptions)} with the same options would choose it} */
    public boolean isSelected() {
        return selected;
    }

    /** {@return what was found, or why it is unavailable} */
    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return (selected ? "* " : "  ") + name + ": " + (available ? "available" : "unavailable") + " (" + detail + ")";
    }
}
