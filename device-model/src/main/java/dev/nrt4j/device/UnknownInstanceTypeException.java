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

    /** The name as asked for ({@code "null"} for a null name). */
    private final String requested;
    /** The catalog's names when the exception was made. */
    private final List<String> known;

    UnknownInstanceTypeException(String requested, List<String> known) {
        super("unknown instance type \"" + requested + "\"; known instance types: " + String.join(", ", known));
        this.requested = requested;
        this.known = List.copyOf(known);
    }

    /** {@return the name as it was asked for, unnormalised; {@code "null"} for a null name} */
    public String requested() {
        return requested;
    }

    /** {@return every name the catalog knows, in catalog order; unmodifiable} */
    public List<String> known() {
        return known;
    }
}
