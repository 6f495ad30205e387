package dev.nrt4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A model, on disk or in memory, and what kind of model it is. Backends read it when it is loaded: the
 * native backend executes NEFFs (and compiles HLO modules with {@code neuronx-cc}), the reference device
 * executes HLO; each says what it needs when given a kind it cannot run. Immutable and thread-safe; a
 * source made from bytes keeps its own copy of them.
 */
public final class ModelSource {
    /** The kinds of model nrt4j accepts. */
    public enum Kind {
        /** A compiled Neuron executable ({@code .neff}). */
        NEFF,
        /** A serialized {@code xla.HloModuleProto} ({@code .hlo_module.pb}, {@code .pb}). */
        HLO_PROTO,
        /** HLO text ({@code .hlo}, {@code .hlo.txt}). */
        HLO_TEXT,
        /**
         * A directory holding a model: a Neuron compile-cache entry ({@code MODULE_*} with {@code model.neff}
         * and the HLO module it was compiled from, in any layout Neuron has used) or a directory laid out the
         * same way. Only from a path.
         */
        COMPILE_CACHE_ENTRY
    }

    private final Path path;
    private final byte[] bytes;
    private final Kind kind;

    private ModelSource(Path path, Kind kind) {
        this.path = path;
        this.bytes = null;
        this.kind = kind;
    }

    private ModelSource(byte[] bytes, Kind kind) {
        this.path = null;
        this.bytes = bytes;
        this.kind = kind;
    }

    /**
     * The model at {@code path}, its kind told by its name: a directory is a compile-cache entry;
     * {@code .neff}, {@code .pb}, {@code .hlo} and {@code .hlo.txt} name the others.
     *
     * @param path the model file or compile-cache directory; not null. Only its name and existence are
     *     checked here; its content is read at load time
     * @return the source
     * @throws NeuronException {@link Status#INVALID} if the path does not exist or its kind cannot be told
     */
    public static ModelSource of(Path path) {
        Objects.requireNonNull(path, "path");
        if (!Files.exists(path)) {
            throw new NeuronException(Status.INVALID, "open model " + path, "no such file or directory");
        }
        Optional<Kind> kind = kindOf(path);
        if (kind.isEmpty()) {
            throw new NeuronException(
                    Status.INVALID,
                    "open model " + path,
                    "cannot tell the kind of model from the name; use " + RECOGNIZED_SUFFIXES
                            + ", a MODULE_* compile-cache directory, or ModelSource.of(path, kind)");
        }
        return of(path, kind.get());
    }

    /**
     * The name endings {@link #of(Path)} tells a model file's kind by, as a message to a user words them;
     * tools that refuse a name with their own advice quote it.
     */
    public static final String RECOGNIZED_SUFFIXES = ".neff, .pb (HloModuleProto), .hlo or .hlo.txt";

    /**
     * The kind {@link #of(Path)} would take {@code path} for: {@link Kind#COMPILE_CACHE_ENTRY} for a
     * directory, else the kind its name ends with ({@link #RECOGNIZED_SUFFIXES}); empty when the name tells
     * none. Nothing is read.
     *
     * @param path a path; not null
     * @return the kind, or empty
     */
    public static Optional<Kind> kindOf(Path path) {
        if (Files.isDirectory(path)) {
            return Optional.of(Kind.COMPILE_CACHE_ENTRY);
        }
        Path file = path.getFileName();
        String name = file == null ? "" : file.toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".neff")) {
            return Optional.of(Kind.NEFF);
        }
        if (name.endsWith(".pb")) {
            return Optional.of(Kind.HLO_PROTO);
        }
        if (name.endsWith(".hlo") || name.endsWith(".hlo.txt")) {
            return Optional.of(Kind.HLO_TEXT);
        }
        return Optional.empty();
    }

    /**
     * The model at {@code path}, of the given kind.
     *
     * @param path the model file, or directory for {@link Kind#COMPILE_CACHE_ENTRY}; not null. Its name
     *     does not matter
     * @param kind what the file holds; not null
     * @return the source
     * @throws NeuronException {@link Status#INVALID} if the path does not exist or is not a file (a
     *     directory for {@link Kind#COMPILE_CACHE_ENTRY})
     */
    public static ModelSource of(Path path, Kind kind) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        boolean wantDirectory = kind == Kind.COMPILE_CACHE_ENTRY;
        if (wantDirectory ? !Files.isDirectory(path) : !Files.isRegularFile(path)) {
            throw new NeuronException(
                    Status.INVALID,
                    "open model " + path,
                    (Files.exists(path) ? "is not a " : "no such ") + (wantDirectory ? "directory" : "file")
                            + " (expected " + kind + ")");
        }
        return new ModelSource(path, kind);
    }

    /**
     * A model held in memory, e.g. an HLO module a program built or a NEFF fetched from a model store.
     *
     * @param bytes the model's bytes; not null. They are copied, so the caller may reuse the array
     * @param kind what the bytes are: {@link Kind#NEFF}, {@link Kind#HLO_PROTO} or {@link Kind#HLO_TEXT}
     *     (UTF-8); not null
     * @return the source; its content is read at load time
     * @throws IllegalArgumentException if {@code kind} is {@link Kind#COMPILE_CACHE_ENTRY}, which is a
     *     directory
     */
    public static ModelSource of(byte[] bytes, Kind kind) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.COMPILE_CACHE_ENTRY) {
            throw new IllegalArgumentException("a compile-cache entry is a directory; use ModelSource.of(path)");
        }
        return new ModelSource(bytes.clone(), kind);
    }

    /**
     * {@return the file or directory, as given}
     *
     * @throws IllegalStateException for a source held in memory ({@link #file()} is empty)
     */
    public Path path() {
        if (path == null) {
            throw new IllegalStateException("this model source is held in memory, not in a file: " + this);
        }
        return path;
    }

    /** {@return the file or directory, or empty for a source held in memory} */
    public Optional<Path> file() {
        return Optional.ofNullable(path);
    }

    /**
     * {@return a copy of the bytes of a source held in memory, or empty for a file or directory}
     * Backends read files themselves, with the limits of their readers.
     */
    public Optional<byte[]> bytes() {
        return bytes == null ? Optional.empty() : Optional.of(bytes.clone());
    }

    /** {@return how messages name the model: its path, or {@code <in-memory KIND, N bytes>}} */
    public String name() {
        return path != null ? path.toString() : "<in-memory " + kind + ", " + bytes.length + " bytes>";
    }

    /** {@return what kind of model it is} */
    public Kind kind() {
        return kind;
    }

    /** Sources are equal when they have the same kind and the same path, or the same bytes. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ModelSource)) {
            return false;
        }
        ModelSource other = (ModelSource) o;
        return kind == other.kind && Objects.equals(path, other.path) && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return (Objects.hashCode(path) * 31 + Arrays.hashCode(bytes)) * 31 + kind.hashCode();
    }

    @Override
    public String toString() {
        return path != null ? kind + " " + path : name();
    }
}
