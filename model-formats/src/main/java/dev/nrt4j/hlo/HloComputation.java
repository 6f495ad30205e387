package dev.nrt4j.hlo;

import java.util.List;
import java.util.Objects;

/**
 * A computation: instructions in an order where operands come before their users, a root whose
 * value is the result, and parameters numbered from 0. Immutable and thread-safe.
 */
public final class HloComputation {
    private final String name;
    private final List<HloInstruction> instructions;
    private final HloInstruction root;
    private final List<HloInstruction> parameters;

    HloComputation(
            String name, List<HloInstruction> instructions, HloInstruction root, List<HloInstruction> parameters) {
        this.name = Objects.requireNonNull(name);
        this.instructions = List.copyOf(instructions);
        this.root = Objects.requireNonNull(root);
        this.parameters = List.copyOf(parameters);
    }

    /** The computation's name. */
    public String name() {
        return name;
    }

    /** All instructions; every operand comes before its users. */
    public List<HloInstruction> instructions() {
        return instructions;
    }

    /** The instruction whose value the computation returns. */
    public HloInstruction root() {
        return root;
    }

    /** The {@code parameter} instructions, ordered by parameter number (0, 1, …). */
    public List<HloInstruction> parameters() {
        return parameters;
    }

    /** The result shape (the root's). */
    public HloShape resultShape() {
        return root.shape();
    }

    @Override
    public String toString() {
        return "computation " + name + " (" + instructions.size() + " instructions)";
    }
}
