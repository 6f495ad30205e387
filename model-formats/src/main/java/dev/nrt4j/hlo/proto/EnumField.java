package dev.nrt4j.hlo.proto;

import dev.nrt4j.hlo.HloOpcode;

/**
 * The instruction fields that XLA stores as enum numbers and the IR keeps as names: which opcode
 * reads the field, and the name of each number. Reader and writer both translate through here, so
 * the two directions cannot drift apart.
 */
enum EnumField {
    /** XLA's {@code RandomDistribution}; 0 (invalid) means none. */
    DISTRIBUTION(HloOpcode.RNG, "distribution", null, "rng_uniform", "rng_normal"),
    /** XLA's {@code RandomAlgorithm}. */
    RNG_ALGORITHM(HloOpcode.RNG_BIT_GENERATOR, "rng_algorithm", "rng_default", "rng_three_fry", "rng_philox"),
    /** XLA's {@code FftType}. */
    FFT_TYPE(HloOpcode.FFT, "fft_type", "FFT", "IFFT", "RFFT", "IRFFT"),
    /** XLA's {@code TriangularSolveOptions.Transpose}. */
    TRANSPOSE_A(HloOpcode.TRIANGULAR_SOLVE, "transpose_a", "TRANSPOSE_INVALID", "NO_TRANSPOSE", "TRANSPOSE", "ADJOINT");

    /** How the reader names a number it does not know, so that the interpreter can refuse it visibly. */
    private static final String UNKNOWN = "unknown(";

    private final HloOpcode opcode;
    private final String field;
    private final String[] names;

    EnumField(HloOpcode opcode, String field, String... names) {
        this.opcode = opcode;
        this.field = field;
        this.names = names;
    }

    /** The opcode whose instructions carry the field. */
    HloOpcode opcode() {
        return opcode;
    }

    /** The proto field's name, for messages. */
    String field() {
        return field;
    }

    /** The IR's name for a number: null where the number means "none", {@code unknown(n)} for a number XLA added later. */
    String name(int number) {
        if (number >= 0 && number < names.length) {
            return names[number];
        }
        return UNKNOWN + number + ")";
    }

    /** Whether the proto's default 0 reads as "none", so an absent IR value can be written by leaving the field out. */
    boolean zeroMeansNone() {
        return names[0] == null;
    }

    /**
     * The number of an IR name, including the {@code unknown(n)} names {@link #name} gives.
     *
     * @throws IllegalArgumentException if the name is none of them
     */
    int number(String name) {
        for (int i = 0; i < names.length; i++) {
            if (name.equals(names[i])) {
                return i;
            }
        }
        if (name.startsWith(UNKNOWN) && name.endsWith(")")) {
            try {
                return Integer.parseInt(name.substring(UNKNOWN.length(), name.length() - 1));
            } catch (NumberFormatException e) {
                // Falls through to the message below.
            }
        }
        throw new IllegalArgumentException(field + " '" + name + "' is not one of XLA's names for it");
    }
}
