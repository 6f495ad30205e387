package dev.nrt4j.hlo;

/**
 * Where in a module's graph {@link HloModuleAssembler} found a defect, in the reader's own keys, so
 * that a reader can point at its input (the text reader gives the line and column). Immutable.
 *
 * @param computation the computation's key, or null for the module as a whole
 * @param instruction the instruction's key, or null for the computation as a whole
 * @param part which part of the instruction is at fault
 * @param index the operand or callee position for {@link Part#OPERAND} and {@link Part#CALLEE}, else -1
 */
public record GraphSite(String computation, String instruction, Part part, int index) {
    /** Which part of the module a site names. */
    public enum Part {
        /** The module as a whole. */
        MODULE,
        /** A computation (its name). */
        COMPUTATION,
        /** An instruction (its name). */
        INSTRUCTION,
        /** One operand reference of an instruction. */
        OPERAND,
        /** One called-computation reference of an instruction. */
        CALLEE
    }

    static GraphSite module() {
        return new GraphSite(null, null, Part.MODULE, -1);
    }

    static GraphSite computation(String computation) {
        return new GraphSite(computation, null, Part.COMPUTATION, -1);
    }

    static GraphSite instruction(String computation, String instruction) {
        return new GraphSite(computation, instruction, Part.INSTRUCTION, -1);
    }

    static GraphSite operand(String computation, String instruction, int index) {
        return new GraphSite(computation, instruction, Part.OPERAND, index);
    }

    static GraphSite callee(String computation, String instruction, int index) {
        return new GraphSite(computation, instruction, Part.CALLEE, index);
    }
}
