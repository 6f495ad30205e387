package dev.nrt4j.tools;

import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Parameters;

/**
 * The {@code MODEL} argument of the commands that take a model ({@code inspect}, {@code run}, {@code bench}):
 * what it may name, and the source it makes. {@link ModelSource#of(Path)} tells a model's kind by its name,
 * and when the name tells none it advises {@code ModelSource.of(path, kind)}, which a user of the CLI cannot
 * call: here the advice is what such a user can do. Not thread-safe; picocli fills it once.
 */
public final class ModelArgument {
    @Parameters(
            index = "0",
            paramLabel = "MODEL",
            description = "A .neff, an HLO module (.pb, .hlo, .hlo.txt) or a MODULE_* compile-cache directory.")
    Path path;

    /** {@return the path given} */
    public Path path() {
        return path;
    }

    /**
     * The source for the path given, as {@link ModelSource#of(Path)} makes it.
     *
     * @throws NeuronException {@link Status#INVALID} if the path does not exist or its name tells no kind
     */
    public ModelSource source() {
        if (Files.exists(path) && ModelSource.kindOf(path).isEmpty()) {
            throw new NeuronException(
                    Status.INVALID,
                    "open model " + path,
                    "cannot tell the kind of model from the name; rename the file (or link it) to end in "
                            + ModelSource.RECOGNIZED_SUFFIXES + ", or give a MODULE_* compile-cache directory");
        }
        return ModelSource.of(path);
    }
}
