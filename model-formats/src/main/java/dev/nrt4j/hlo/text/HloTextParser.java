package dev.nrt4j.hlo.text;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.strict.StrictUtf8;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads XLA HLO text ({@code HloModule::ToString()}, the {@code *.hlo.txt} dumps and hand-written
 * tests) into the immutable HLO IR of {@link dev.nrt4j.hlo}.
 *
 * <p>Accepted: the module header with {@code replica_count} and {@code num_partitions} (other module
 * attributes are skipped), computations with an optional {@code ENTRY} marker and parameter list,
 * instructions with an optional {@code ROOT} marker and {@code %} prefixes, operands with or without
 * their shapes, array/tuple/token shapes with {@code minor_to_major} layouts (tiling and memory-space
 * details are skipped), literals of pred, integer, f16/bf16/f32/f64 and complex types, and the
 * attributes the IR has fields for. Without {@code ENTRY} the last computation is the entry; without
 * {@code ROOT} the last instruction is the root. Computations may be named before they are defined.
 *
 * <p>Refused with {@link NeuronException} of status {@link Status#INVALID}, the message giving
 * {@code line:column}: anything outside the grammar; constants elided as {@code {...}} (XLA's default
 * printing drops every constant of more than ten elements; use the {@code .hlo_module.pb}); undefined,
 * duplicate or cyclic names; recursion among computations; integers out of their type's range and
 * finite floats beyond it; shapes of more than {@link dev.nrt4j.hlo.HloShape#MAX_ELEMENTS} elements;
 * dynamic dimensions; nested anonymous operands; nesting deeper than {@link #MAX_DEPTH}; unknown
 * opcodes (any name that is not an {@link dev.nrt4j.hlo.HloOpcode}, naming the instruction) and unknown
 * attributes; replica-group lists beyond the limits of {@link dev.nrt4j.hlo.ReplicaGroups} (the proto
 * reader's too). No other exception escapes for any input text.
 *
 * <p>Stateless and thread-safe.
 */
public final class HloTextParser {
    /** How deep tuple shapes and tuple literals may nest; deeper text is refused rather than risking the stack. */
    public static final int MAX_DEPTH = 256;

    private HloTextParser() {}

    /**
     * Parses HLO text.
     *
     * @param text the module
     * @param source what the text is, for messages (e.g. a file name)
     * @return the module
     * @throws NeuronException {@link Status#INVALID} if the text is not a well-formed module
     */
    public static HloModule parse(String text, String source) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
        return new ModuleReader(text, source).read();
    }

    /**
     * Reads and parses an HLO text file (UTF-8).
     *
     * @param file the file
     * @return the module
     * @throws NeuronException {@link Status#INVALID} if the file is not UTF-8 text of a well-formed module,
     *     {@link Status#FAILURE} if it cannot be read
     */
    public static HloModule parse(Path file) {
        Objects.requireNonNull(file, "file");
        String source = file.toString();
        byte[] bytes;
        try {
            long size = Files.size(file);
            // A String holds at most about 2^31 chars; refuse before reading rather than fail mid-way.
            if (size > Integer.MAX_VALUE - 16) {
                throw new NeuronException(
                        Status.INVALID,
                        "read HLO " + source,
                        "the file has " + size + " bytes, more than HLO text can be; load the .hlo_module.pb instead");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new NeuronException(Status.FAILURE, "read HLO " + source, "cannot read the file: " + e, e);
        }
        String text;
        try {
            text = StrictUtf8.decode(bytes);
        } catch (CharacterCodingException e) {
            throw new NeuronException(
                    Status.INVALID,
                    "read HLO " + source,
                    "the file is not UTF-8 text (is it an .hlo_module.pb? that needs the protobuf reader)");
        }
        return parse(text, source);
    }
}
