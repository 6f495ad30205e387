package dev.nrt4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * A model on disk and what kind of file it is. Backends read it when it is loaded: the native backend
 * executes NEFFs, the reference device executes HLO; each says what it needs when given a kind it
 * cannot run. Immutable and thread-safe.
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
        /** A Neuron compile-cache entry: a {@code MODULE_*} directory with {@code model.neff} and {@code model.hlo_module.pb}. */
        COMPILE_CACHE_ENTRY
    }

    private final Path path;
    private final Kind kind;

    private ModelSource(Path path, Kind kind) {
        this.path = path;
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
        if (Files.isDirectory(path)) {
            return of(path, Kind.COMPILE_CACHE_ENTRY);
        }
        if (!Files.isRegularFile(path)) {
            throw new NeuronException(Status.INVALID, "open model " + path, "no such file or directory");
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".neff")) {
            return new ModelSource(path, Kind.NEFF);
        }
        if (name.endsWith(".pb")) {
            return new ModelSource(path, Kind.HLO_PROTO);
        }
        if (name.endsWith(".hlo") || name.endsWith(".hlo.txt")) {
            return new ModelSource(path, Kind.HLO_TEXT);
        }
        throw new NeuronException(Status.INVALID, "open model " + path,
                "cannot tell the kind of model from the name; use .neff, .pb (HloModuleProto), .hlo or .hlo.txt,"
                        + " a MODULE_* compile-cache directory, or ModelSource.of(path, kind)");
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
            throw new NeuronException(Status.INVALID, "open model " + path,
                    (Files.exists(path) ? "is not a " : "no such ") + (wantDirectory ? "directory" : "file")
                            + " (expected " + kind + ")");
        }
        return new ModelSource(path, kind);
    }

    /** {@return the file or directory, as given} */
    public Path path() {
        return path;
    }

    /** {@return what kind of model it is} */
    public Kind kind() {
        return kind;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSource && path.equals(((ModelSource) o).path) && kind == ((ModelSource) o).kind;
    }

    @Override
    public int hashCode() {
        return path.hashCode() * 31 + kind.hashCode();
    }

    @Override
    public String toString() {
        return kind + " " + path;
    }
}
