package dev.nrt4j.device;

/**
 * A {@code NEURON_RT_VISIBLE_CORES} or {@code NEURON_RT_NUM_CORES} value that selects no valid
 * set of cores. The message states the variable and its value, the rule it breaks and the valid
 * core ids; {@link #reason()} classifies the fault.
 *
 * <p>Immutable and thread-safe.
 */
public final class CoreSelectionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Why a selection failed. This classification is a contract: the API maps {@link #MALFORMED}
     * and {@link #NOT_CONTIGUOUS} to status {@code INVALID}, and {@link #OUT_OF_RANGE} and
     * {@link #NOT_ENOUGH_CORES} to {@code RESOURCE}.
     */
    public enum Reason {
        /** The text is not a core list or count: empty, not a number, negative, a backwards range. */
        MALFORMED,
        /** The ids are valid numbers but not one increasing run: a gap, a repeat, or a decrease. */
        NOT_CONTIGUOUS,
        /** An id is at or beyond the number of logical cores the instance has. */
        OUT_OF_RANGE,
        /** More cores are asked for than exist or are free. */
        NOT_ENOUGH_CORES
    }

    /** The class of fault, which callers map to a status. */
    private final Reason reason;
    /** The environment variable whose value failed. */
    private final String variable;
    /** The value as given, or null when the variable was unset. */
    private final String input;
    /** The logical core count the value was checked against. */
    private final int totalCores;

    CoreSelectionException(Reason reason, String variable, String input, int totalCores, String problem) {
        super((input == null ? variable + " is unset, which means all cores, and" : variable + "=\"" + input + "\"")
                + " " + problem + "; valid core ids are 0-" + (totalCores - 1)
                + " (" + totalCores + " logical core" + (totalCores == 1 ? "" : "s") + ")");
        this.reason = reason;
        this.variable = variable;
        this.input = input;
        this.totalCores = totalCores;
    }

    /** {@return the class of fault, which decides the status the API reports} */
    public Reason reason() {
        return reason;
    }

    /** {@return the variable whose value failed: {@code NEURON_RT_VISIBLE_CORES} or {@code NEURON_RT_NUM_CORES}} */
    public String variable() {
        return variable;
    }

    /**
     * {@return the value exactly as given, or null when the variable was unset and its default (all
     * cores) could not be met}
     */
    public String input() {
        return input;
    }

    /** {@return the number of logical cores it was checked against} */
    public int totalCores() {
        return totalCores;
    }
}
