package dev.nrt4j.artifacts;

import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link ModelSource} holds: a NEFF, an HLO module, or both (a compile-cache entry). The one
 * place nrt4j knows the file names inside a model directory; backends, the contract kit, the
 * benchmarks and the tools ask it instead of naming files.
 *
 * <p>A directory is read as Neuron's compile cache lays out a {@code MODULE_*} entry, in every layout
 * it has used: {@value #NEFF}, and the HLO module it was compiled from as {@value #HLO_MODULE} or, from
 * older compilers, {@value #OLD_HLO_MODULE}; a directory holding HLO text as {@value #HLO_TEXT} (the
 * layout of a corpus case) is read too. Links inside the directory are not followed: it may be a shared
 * cache another user can write.
 *
 * <p>Immutable and thread-safe. Resolving looks only at names and file types; the content is read by
 * {@link ModelFile}'s {@code read} methods.
 */
public final class ModelArtifacts {
    /** The compiled model in a compile-cache entry. */
    public static final String NEFF = "model.neff";
    /** The HLO module a compile-cache entry was compiled from. */
    public static final String HLO_MODULE = "model.hlo_module.pb";
    /** The HLO module's name in entries of older compilers. */
    public static final String OLD_HLO_MODULE = "model.hlo.pb";
    /** HLO text in a model directory (a corpus case). */
    public static final String HLO_TEXT = "model.hlo.txt";

    /** Where a directory's HLO is looked for, first match wins. */
    private static final List<String> HLO_NAMES = List.of(HLO_MODULE, OLD_HLO_MODULE, HLO_TEXT);

    private final ModelSource source;
    private final ModelFile neff;
    private final ModelFile hlo;

    private ModelArtifacts(ModelSource source, ModelFile neff, ModelFile hlo) {
        this.source = source;
        this.neff = neff;
        this.hlo = hlo;
    }

    /**
     * Finds the model files of {@code source}.
     *
     * @param source the model; not null
     * @return what it holds: at least a NEFF or an HLO module
     * @throws NeuronException {@link Status#INVALID} for a directory that holds neither
     */
    public static ModelArtifacts of(ModelSource source) {
        Objects.requireNonNull(source, "source");
        switch (source.kind()) {
            case NEFF:
                return new ModelArtifacts(source, single(source, ModelFile.Format.NEFF), null);
            case HLO_PROTO:
                return new ModelArtifacts(source, null, single(source, ModelFile.Format.HLO_PROTO));
            case HLO_TEXT:
                return new ModelArtifacts(source, null, single(source, ModelFile.Format.HLO_TEXT));
            default:
                return ofDirectory(source);
        }
    }

    private static ModelFile single(ModelSource source, ModelFile.Format format) {
        Optional<byte[]> bytes = source.bytes();
        return bytes.isPresent()
                ? ModelFile.inMemory(bytes.get(), format, source.name())
                : ModelFile.at(source.path(), format);
    }

    private static ModelArtifacts ofDirectory(ModelSource source) {
        Path dir = source.path();
        ModelFile neff = isFile(dir.resolve(NEFF)) ? ModelFile.at(dir.resolve(NEFF), ModelFile.Format.NEFF) : null;
        ModelFile hlo = null;
        for (String name : HLO_NAMES) {
            if (isFile(dir.resolve(name))) {
                hlo = ModelFile.at(
                        dir.resolve(name),
                        name.equals(HLO_TEXT) ? ModelFile.Format.HLO_TEXT : ModelFile.Format.HLO_PROTO);
                break;
            }
        }
        if (neff == null && hlo == null) {
            throw new NeuronException(
                    Status.INVALID,
                    "load model directory " + dir,
                    "it holds neither " + NEFF + " nor an HLO module (" + String.join(", ", HLO_NAMES)
                            + "); point at a MODULE_* compile-cache entry or a model file");
        }
        return new ModelArtifacts(source, neff, hlo);
    }

    private static boolean isFile(Path p) {
        return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
    }

    /** {@return the source these were found in} */
    public ModelSource source() {
        return source;
    }

    /** {@return the compiled model, if the source holds one} */
    public Optional<ModelFile> neff() {
        return Optional.ofNullable(neff);
    }

    /** {@return the HLO module (proto or text), if the source holds one} */
    public Optional<ModelFile> hlo() {
        return Optional.ofNullable(hlo);
    }

    /**
     * The HLO module, for a backend that executes or compiles HLO.
     *
     * @param who what needs it, for the message, e.g. {@code "the reference device, which executes HLO,"}
     * @throws NeuronException {@link Status#INVALID} if the source holds only a NEFF
     */
    public ModelFile requireHlo(String who) {
        if (hlo == null) {
            throw new NeuronException(
                    Status.INVALID,
                    "load model " + source.name(),
                    "it holds only a compiled NEFF, and " + who + " needs the HLO module it was compiled from ("
                            + HLO_MODULE + " in a MODULE_* entry, or a .pb file)");
        }
        return hlo;
    }

    @Override
    public String toString() {
        return source.name() + " (" + (neff != null ? "NEFF" : "") + (neff != null && hlo != null ? " + " : "")
                + (hlo != null ? hlo.format() : "") + ")";
    }
}
