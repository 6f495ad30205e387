package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.HloInstruction;
import java.util.List;

/**
 * Computes one opcode: given the instruction (its shape and attributes) and its operands' values,
 * returns a new value. Handlers are stateless and thread-safe; they never change their operands.
 * A malformed instruction (attributes that do not fit the operands) is reported by throwing
 * {@link IllegalArgumentException}; the evaluator turns it into an INVALID status naming the instruction.
 */
@FunctionalInterface
public interface OpHandler {
    Value apply(HloInstruction instruction, List<Value> operands, EvaluationContext context);
}
