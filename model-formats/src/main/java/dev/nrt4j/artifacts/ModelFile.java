package dev.nrt4j.artifacts;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.proto.HloProtoReader;
import dev.nrt4j.hlo.text.HloTextParser;
import dev.nrt4j.neff.NeffFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One file of a model, in a file or in memory, and its format: a NEFF, an HloModuleProto or HLO text.
 * {@link ModelArtifacts} finds them; the {@code read} methods parse them with the bounded readers of
 * this module. Immutable and thread-safe; nothing is read until a {@code read} method is called.
 */
public final class ModelFile {
    /** What a model file holds. */
    public enum Format {
        /** A compiled Neuron executable. */
        NEFF,
        /** A serialized {@code xla.HloModuleProto} (plain, wrapped or gzipped). */
        HLO_PROTO,
        /** HLO text, UTF-8. */
        HLO_TEXT
    }

    /** The most a model file may hold: what one Java array can. */
    static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private final Format format;
    private final Path path;
    private final byte[] bytes;
    private final String name;

    private ModelFile(Format format, Path path, byte[] bytes, String name) {
        this.format = format;
        this.path = path;
        this.bytes = bytes;
        this.name = name;
    }

    static ModelFile at(Path path, Format format) {
        return new ModelFile(format, path, null, path.toString());
    }

    /** The caller hands over {@code bytes}: it keeps no reference of its own. */
    static ModelFile inMemory(byte[] bytes, Format format, String name) {
        return new ModelFile(format, null, bytes, name);
    }

    /** {@return what the file holds} */
    public Format format() {
        return format;
    }

    /** {@return the file, or empty for a model held in memory} */
    public Optional<Path> path() {
        return Optional.ofNullable(path);
    }

    /** {@return how messages name it: its path, or what the in-memory source is called} */
    public String name() {
        return name;
    }

    /**
     * Reads and checks the HLO module (graph and types, see {@link dev.nrt4j.hlo.HloModuleAssembler}).
     *
     * @throws IllegalStateException if this is a NEFF
     * @throws NeuronException {@link Status#INVALID} for a damaged, hostile or ill-typed module,
     *     {@link Status#RESOURCE} when it would not fit in memory
     */
    public HloModule readHloModule() {
        switch (format) {
            case HLO_PROTO:
                return path != null ? HloProtoReader.read(path) : HloProtoReader.read(bytes, name);
            case HLO_TEXT:
                return path != null
                        ? HloTextParser.parse(path)
                        : HloTextParser.parse(new String(bytes, StandardCharsets.UTF_8), name);
            default:
                throw new IllegalStateException(name + " is a " + format + ", not an HLO module");
        }
    }

    /**
     * Reads the NEFF's header, members and signature.
     *
     * @throws IllegalStateException if this is not a NEFF
     * @throws NeuronException as {@link NeffFile#read(Path)}
     */
    public NeffFile readNeff() {
        if (format != Format.NEFF) {
            throw new IllegalStateException(name + " is a " + format + ", not a NEFF");
        }
        return path != null ? NeffFile.read(path) : NeffFile.read(bytes, name);
    }

    /**
     * The file's bytes as they are, e.g. a NEFF to hand to libnrt or a module to hash.
     *
     * @return a new array the caller owns
     * @throws NeuronException {@link Status#INVALID} if the file cannot be read, {@link Status#RESOURCE} if
     *     it is larger than one Java array holds
     */
    public byte[] readAllBytes() {
        if (path == null) {
            return bytes.clone();
        }
        try {
            long size = Files.size(path);
            if (size > MAX_BYTES) {
                throw new NeuronException(
                        Status.RESOURCE,
                        "read " + name,
                        "it is " + size + " bytes; a model file may hold at most " + MAX_BYTES);
            }
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new NeuronException(Status.INVALID, "read " + name, "cannot read the file: " + e, e);
        } catch (OutOfMemoryError e) {
            throw new NeuronException(
                    Status.RESOURCE,
                    "read " + name,
                    "it does not fit in the Java heap; give the JVM more memory, e.g. NRT4J_JAVA_OPTS=-Xmx8g");
        }
    }

    @Override
    public String toString() {
        return format + " " + name;
    }
}
