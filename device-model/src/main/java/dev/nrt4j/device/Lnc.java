package dev.nrt4j.device;

/**
 * Resolves the logical NeuronCore (LNC) size, the number of physical cores grouped into one
 * logical core, as libnrt does from {@code NEURON_LOGICAL_NC_CONFIG}: unset means the chip's
 * default (2 on Trainium2/3, 1 elsewhere); only 1 and 2 exist, and only Trainium2/3 accept 2.
 *
 * <p>Stateless and thread-safe.
 */
public final class Lnc {
    /** The environment variable libnrt reads the LNC size from. */
    public static final String ENV_VAR = "NEURON_LOGICAL_NC_CONFIG";

    private Lnc() {}

    /**
     * The LNC size to use on {@code chip}: {@code requested}, or the chip's default when it is null.
     *
     * @param chip the chip the cores are on; not null
     * @param requested physical cores per logical core, or null for the chip's default
     * @return the LNC size in force: 1 or 2
     * @throws InvalidLncException if the chip does not accept {@code requested}
     */
    public static int resolve(NeuronChip chip, Integer requested) {
        if (requested == null) {
            return chip.defaultLnc();
        }
        if (!chip.acceptsLnc(requested)) {
            throw new InvalidLncException(chip, requested.toString(), "LNC=" + requested + " is not supported");
        }
        return requested;
    }

    /**
     * The LNC size to use on {@code chip} given the text of {@value #ENV_VAR}: null or blank means
     * unset (the chip's default); otherwise a decimal integer, surrounding whitespace ignored.
     *
     * @param chip the chip the cores are on; not null
     * @param value the variable's text as read from the environment, or null if unset
     * @return the LNC size in force: 1 or 2
     * @throws InvalidLncException if the text is not an integer or the chip does not accept it
     */
    public static int parse(NeuronChip chip, String value) {
        if (value == null || value.isBlank()) {
            return chip.defaultLnc();
        }
        String text = value.strip();
        if (!text.matches("[0-9]+")) {
            throw new InvalidLncException(chip, value, ENV_VAR + "=\"" + value + "\" is not a number");
        }
        int lnc = text.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(text);
        if (!chip.acceptsLnc(lnc)) {
            throw new InvalidLncException(chip, value, ENV_VAR + "=\"" + value + "\" is not supported");
        }
        return lnc;
    }
}
