package dev.nrt4j.hlo.proto;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.HloModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads a serialized XLA HLO module into the immutable {@link HloModule} IR.
 *
 * <p>Accepted input: a raw {@code HloModuleProto} (what Neuron's compiler receives, e.g.
 * {@code model.hlo_module.pb}), XLA's {@code HloProto} dump wrapper, or an {@code HloSnapshot}; each
 * either plain or gzip-compressed (recognised by its magic bytes, not by the file name). Fields the
 * reader does not know are skipped, so modules from newer producers read as long as the fields an
 * interpreter needs keep their numbers (XLA guarantees that). Opcodes must be XLA's
 * ({@link dev.nrt4j.hlo.HloOpcode}); whether one can run is the interpreter's question, not the reader's.
 *
 * <p>Every malformed input fails with a {@link NeuronException} of {@link Status#INVALID} whose
 * operation is {@code "read HLO <source>"} and whose detail names the problem: bytes that are not a
 * protobuf message, truncation, nesting deeper than {@link #MAX_NESTING}, input or inflated data
 * larger than {@link #MAX_INPUT_BYTES}, more than {@link #MAX_INSTRUCTIONS} instructions, undefined or
 * cyclic operands, calls that recurse, unknown opcodes (naming the instruction), unknown element types,
 * shapes whose element count overflows, literals whose data does not match their shape, and replica-group
 * lists beyond the limits of {@link dev.nrt4j.hlo.ReplicaGroups} (the text reader's too). Sizes are checked
 * against the input before
 * anything is allocated for them, so absurd declared sizes cannot exhaust memory, and no step
 * recurses deeper than the protobuf nesting limit.
 *
 * <p>Stateless; all methods are thread-safe.
 */
public final class HloProtoReader {
    /**
     * Largest file, and largest gzip-inflated content, read: {@value} bytes (just under 2 GiB, what one
     * Java array holds). Modules with weights larger than that need an external-data format XLA does
     * not have.
     */
    public static final int MAX_INPUT_BYTES = Integer.MAX_VALUE - 8;

    /** Deepest message nesting accepted (XLA modules nest about ten levels; tuples add a few). */
    public static final int MAX_NESTING = 64;

    /** Most instructions, over all computations, in one module. */
    public static final int MAX_INSTRUCTIONS = 8_000_000;

    /** Highest array rank accepted; XLA itself has no limit, but no real program comes near. */
    public static final int MAX_RANK = 1024;

    private HloProtoReader() {}

    /**
     * Reads the module in a file.
     *
     * @throws NeuronException {@link Status#INVALID} if the file cannot be read or is not a valid module
     */
    public static HloModule read(Path file) {
        Objects.requireNonNull(file, "file");
        String source = file.toString();
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_INPUT_BYTES) {
                throw ProtoFailure.invalid(
                        source, "the file has " + size + " bytes; at most " + MAX_INPUT_BYTES + " are read");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw ProtoFailure.invalid(source, "no such file", e);
        } catch (IOException e) {
            throw ProtoFailure.invalid(source, "could not read the file: " + e, e);
        }
        return read(bytes, source);
    }

    /**
     * Reads a module from bytes.
     *
     * @param bytes the serialized message (not modified, not kept)
     * @param source what the bytes are, for messages (e.g. a file name)
     * @throws NeuronException {@link Status#INVALID} if the bytes are not a valid module
     */
    public static HloModule read(byte[] bytes, String source) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(source, "source");
        byte[] plain = ProtoInput.gunzipIfCompressed(bytes, source);
        return new ModuleConverter(source).convert(ProtoInput.parseModule(plain, source));
    }
}
