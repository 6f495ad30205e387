package dev.nrt4j.conformance.contract;

import dev.nrt4j.ModelSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the contract's programs reach a backend: as HLO text by default (what the reference device
 * loads), or in whatever form another backend takes, e.g. NEFFs made for a test double of libnrt. A
 * source that cannot provide a program throws the {@link RuleSkipped} of {@link #cannotProvide}, and
 * the rule is reported skipped with that reason.
 */
@FunctionalInterface
public interface ProgramSource {
    /** HLO text files. */
    ProgramSource HLO_TEXT = (program, dir) -> {
        try {
            return ModelSource.of(Files.writeString(dir.resolve(program.fileName()), program.hloText()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + program.fileName() + " in " + dir, e);
        }
    };

    /**
     * The program as a file in {@code dir}, ready to load.
     *
     * @throws RuleSkipped when this source cannot provide it
     */
    ModelSource write(ContractProgram program, Path dir);

    /** The skip a source throws for a program it cannot provide, saying why. */
    static RuleSkipped cannotProvide(ContractProgram program, String why) {
        return new RuleSkipped("program " + program.name().toLowerCase(java.util.Locale.ROOT) + " is not available here: " + why);
    }
}
