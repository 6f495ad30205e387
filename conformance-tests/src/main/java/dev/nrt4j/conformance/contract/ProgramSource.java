package dev.nrt4j.conformance.contract;

import dev.nrt4j.ModelSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the contract's programs reach a backend. By default every backend gets each program as an HLO
 * module proto ({@code .pb}), the form both backends load and the one {@code neuronx-cc} compiles on a
 * Neuron host (the native backend compiles it once and keeps the NEFF in its compile cache). A source
 * that cannot provide a program throws the {@link RuleSkipped} of {@link #cannotProvide}, and the rule
 * is reported skipped with that reason.
 */
@FunctionalInterface
public interface ProgramSource {
    /** HLO module protos ({@code .pb}), written from the programs' HLO text. */
    ProgramSource HLO_PROTO = (program, dir) -> write(dir, program.protoFileName(), program.hloProto());

    /**
     * The program as a file in {@code dir}, ready to load.
     *
     * @throws RuleSkipped when this source cannot provide it
     */
    ModelSource write(ContractProgram program, Path dir);

    /** The skip a source throws for a program it cannot provide, saying why. */
    static RuleSkipped cannotProvide(ContractProgram program, String why) {
        return new RuleSkipped(
                "program " + program.name().toLowerCase(java.util.Locale.ROOT) + " is not available here: " + why);
    }

    private static ModelSource write(Path dir, String name, byte[] content) {
        try {
            return ModelSource.of(Files.write(dir.resolve(name), content));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + name + " in " + dir, e);
        }
    }
}
