package dev.nrt4j.hlo.proto;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.HloModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes the {@link HloModule} IR as a serialized XLA {@code HloModuleProto}: the file
 * {@code neuronx-cc compile --framework=XLA} reads, and what {@link HloProtoReader} reads back into
 * the same module.
 *
 * <p>The module is written as XLA itself would load it: opcodes as HLO text spells them, every array
 * shape with its layout (row-major written out as the descending {@code minor_to_major} XLA uses),
 * literals in the typed field of their element type in the instruction's layout, ids unique in the
 * module, the entry's signature as {@code host_program_shape}, and, for more than one replica or
 * partition, a device assignment with XLA's default placement. XLA refuses a module that repeats an
 * instruction or computation name anywhere in it, while HLO text only keeps names apart within a
 * computation; so a name already used elsewhere in the module is written as {@code name.N} (the
 * first free N), and everything else keeps its name. Only what the IR holds is written: no metadata,
 * sharding, frontend attributes or precision config.
 *
 * <p>The IR is trusted, so nothing is validated beyond what the proto needs; but a value the proto
 * cannot hold, one that would read back as something else, is refused with an
 * {@link IllegalArgumentException} naming the instruction: a parameter without a number, a
 * get-tuple-element without an index, a reduce-precision without its widths, an rng-bit-generator
 * without its algorithm or an fft without its type (the proto's 0 would read as the first one), an
 * empty string attribute, a stride, dilation or group count of 0, a pred literal byte other than 0
 * or 1, an enum name XLA does not have, a literal whose shape is not its instruction's, constants
 * of more than {@link HloProtoReader#MAX_INPUT_BYTES} bytes in all, or more than 2<sup>20</sup>
 * replicas times partitions.
 *
 * <p>Stateless; all methods are thread-safe (the IR is immutable).
 */
public final class HloProtoWriter {
    private HloProtoWriter() {}

    /**
     * The module as a serialized {@code HloModuleProto} (plain, not gzipped, no framing).
     *
     * @throws IllegalArgumentException naming the instruction if the module holds something the proto cannot
     */
    public static byte[] write(HloModule module) {
        Objects.requireNonNull(module, "module");
        return new ModuleWriter().write(module).toByteArray();
    }

    /**
     * Writes the module to a file, replacing any file there.
     *
     * @throws IllegalArgumentException as {@link #write(HloModule)}, before anything is written
     * @throws NeuronException {@link Status#FAILURE} if the file cannot be written
     */
    public static void write(HloModule module, Path file) {
        Objects.requireNonNull(file, "file");
        byte[] bytes = write(module);
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new NeuronException(Status.FAILURE, "write HLO " + file, "could not write the file: " + e, e);
        }
    }
}
