package dev.nrt4j.hlo;

import dev.nrt4j.NeuronException;

/**
 * How a reader words the graph defects {@link HloModuleAssembler} finds. The assembler writes the
 * detail (which check failed, naming the instruction and computation); the reader says where in its
 * input that is and how its input names things. Implementations need not be thread-safe: an
 * assembler is used by one thread.
 */
public interface GraphDefects {
    /**
     * The failure to throw.
     *
     * @param site where the defect is, in the reader's keys
     * @param detail what is wrong, naming the instruction and computation
     * @return the exception, of status {@link dev.nrt4j.Status#INVALID}
     */
    NeuronException refuse(GraphSite site, String detail);

    /**
     * A name from the input as a message shows it; by default in single quotes. A reader of
     * untrusted binary input shortens it and masks control characters.
     *
     * @param name an instruction's or computation's name
     * @return the name as printed
     */
    default String name(String name) {
        return "'" + name + "'";
    }

    /**
     * An operand, callee or root reference that names nothing, as the input wrote it: by default
     * the key in quotes (the text's keys are its names); the proto reader says {@code id N}.
     *
     * @param key the key that was not found
     * @return the reference as printed
     */
    default String reference(String key) {
        return "'" + key + "'";
    }
}
