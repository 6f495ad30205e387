package dev.nrt4j.nativert.standin;

import dev.nrt4j.conformance.contract.ContractProgram;
import dev.nrt4j.hlo.proto.HloProtoWriter;
import dev.nrt4j.hlo.text.HloTextParser;
import java.nio.file.Path;
import java.util.Locale;

/** The contract kit's programs as the files neuronx-cc reads: serialized HloModuleProtos. Stateless. */
public final class ContractModules {
    private ContractModules() {}

    /** Writes {@code program} as {@code <dir>/<name>.hlo_module.pb} and returns the file. */
    public static Path write(ContractProgram program, Path dir) {
        Path file = dir.resolve(program.name().toLowerCase(Locale.ROOT) + ".hlo_module.pb");
        HloProtoWriter.write(HloTextParser.parse(program.hloText(), program.fileName()), file);
        return file;
    }

    /** Writes the module in HLO {@code text} as {@code <dir>/<name>.pb} and returns the file. */
    public static Path write(String text, String name, Path dir) {
        Path file = dir.resolve(name + ".pb");
        HloProtoWriter.write(HloTextParser.parse(text, name), file);
        return file;
    }
}
