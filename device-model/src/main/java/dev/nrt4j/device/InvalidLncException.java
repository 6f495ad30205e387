package dev.nrt4j.device;

import java.util.List;

/**
 * A logical NeuronCore (LNC) size that is not an integer, or that the chip does not accept
 * (e.g. 2 on Trainium, or 3 anywhere). The message names the value, the chip, the sizes it
 * accepts and its default.
 *
 * <p>Immutable and thread-safe.
 */
public final class InvalidLncException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The chip whose rules the value broke. */
    private final NeuronChip chip;
    /** The value as given, before parsing. */
    private final String requested;

    InvalidLncException(NeuronChip chip, String requested, String problem) {
        super(problem + "; " + chip.displayName() + " accepts LNC " + join(chip.allowedLnc())
                + " (default " + chip.defaultLnc() + ")"
                + (chip.acceptsLnc(2) ? "" : "; only Trainium2 and Trainium3 accept 2"));
        this.chip = chip;
        this.requested = requested;
    }

    private static String join(List<Integer> values) {
        return values.size() == 1 ? values.get(0).toString() : values.get(0) + " or " + values.get(1);
    }

    /** {@return the chip the value was checked against} */
    public NeuronChip chip() {
        return chip;
    }

    /** {@return the value as it was given (a number or the raw environment string)} */
    public String requested() {
        return requested;
    }

    /** {@return the LNC sizes the chip accepts, in increasing order; unmodifiable} */
    public List<Integer> allowed() {
        return chip.allowedLnc();
    }
}
