package dev.nrt4j.device;

import java.util.List;

/**
 * An instance type name that the catalog does not hold. The message repeats the name and lists
 * every known name.
 *
 * <p>Immutable and thread-safe.
 */
public final class UnknownInstanceTypeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String requested;
    private final List<String> known;

    UnknownInstanceTypeException(String requested, List<String> known) {
        super("unknown instance type \"" + requested + "\"; known instance types: " + String.join(", ", known));
        this.requested = requested;
        this.known = List.copyOf(known);
    }

    /** The name as it was asked for. */
    public String requested() {
        return requested;
    }

    /** Every name the catalog knows, in catalog order; unmodifiable. */
    public List<String> known() {
        return known;
    }
}
