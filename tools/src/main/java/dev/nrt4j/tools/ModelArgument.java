package dev.nrt4j.tools;

import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model named on the command line. {@link ModelSource#of(Path)} tells its kind by its name, and when the
 * name tells none it advises {@code ModelSource.of(path, kind)}, which a user of the CLI cannot call: here
 * the advice is what such a user can do. Stateless.
 */
public final class ModelArgument {
    private ModelArgument() {}

    /**
     * The source for {@code path} as {@link ModelSource#of(Path)} makes it.
     *
     * @throws NeuronException {@link Status#INVALID} if the path does not exist or its name tells no kind
     */
    public static ModelSource source(Path path) {
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
