package dev.nrt4j.reference;

import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.proto.HloProtoReader;
import dev.nrt4j.hlo.text.HloTextParser;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the HLO the reference device executes from each kind of {@link ModelSource}. */
final class ModelFiles {
    /** The files of a Neuron compile-cache entry ({@code MODULE_*} directory). */
    static final String CACHE_HLO = "model.hlo_module.pb";
    static final String CACHE_NEFF = "model.neff";

    private ModelFiles() {
    }

    /** The HLO module of an HLO source (proto or text). */
    static HloModule readHlo(Path file, ModelSource.Kind kind) {
        return kind == ModelSource.Kind.HLO_TEXT ? HloTextParser.parse(file) : HloProtoReader.read(file);
    }

    /**
     * The HLO of a compile-cache entry.
     *
     * @throws NeuronException {@link Status#INVALID} when the entry has no {@value #CACHE_HLO}
     */
    static Path cacheEntryHlo(Path directory) {
        Path hlo = directory.resolve(CACHE_HLO);
        if (!Files.isRegularFile(hlo)) {
            throw new NeuronException(Status.INVALID, "load compile-cache entry " + directory,
                    "it has no " + CACHE_HLO + ", which the reference device executes"
                            + (Files.isRegularFile(directory.resolve(CACHE_NEFF)) ? " (it has only the compiled " + CACHE_NEFF + ")" : ""));
        }
        return hlo;
    }
}
