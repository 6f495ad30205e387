package dev.nrt4j.server;

import dev.nrt4j.artifacts.ModelArtifacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The small HLO models the server's tests serve, laid out as a model repository. */
final class ServedModels {
    private ServedModels() {}

    /** Its inputs back, in another order: an f32[2] and an s32[2,2] come out as output0 = b, output1 = a. */
    static final String SWAP = String.join(
            "\n",
            "HloModule swap",
            "ENTRY e {",
            "  a = f32[2] parameter(0)",
            "  b = s32[2,2] parameter(1)",
            "  ROOT t = (s32[2,2], f32[2]) tuple(b, a)",
            "}");

    /** Identity over the narrow and wide types: bf16, u8, pred and s64. */
    static final String TYPES = String.join(
            "\n",
            "HloModule types",
            "ENTRY e {",
            "  h = bf16[2] parameter(0)",
            "  u = u8[2] parameter(1)",
            "  p = pred[2] parameter(2)",
            "  l = s64[1] parameter(3)",
            "  ROOT t = (bf16[2], u8[2], pred[2], s64[1]) tuple(h, u, p, l)",
            "}");

    /** Writes {@code repo/<name>/} holding the HLO text and, if given, a config.json. */
    static Path model(Path repo, String name, String hlo, String config) throws IOException {
        Path dir = Files.createDirectories(repo.resolve(name));
        Files.writeString(dir.resolve(ModelArtifacts.HLO_TEXT), hlo);
        if (config != null) {
            Files.writeString(dir.resolve("config.json"), config);
        }
        return dir;
    }
}
