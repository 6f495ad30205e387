package dev.nrt4j.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.proto.HloProtoWriter;
import dev.nrt4j.hlo.text.HloTextParser;
import dev.nrt4j.neff.NeffBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelArtifactsTest {
    private static final String TEXT = "HloModule add\n\nENTRY main {\n  a = f32[4] parameter(0)\n"
            + "  b = f32[4] parameter(1)\n  ROOT s = f32[4] add(a, b)\n}\n";
    private static final byte[] PROTO = HloProtoWriter.write(HloTextParser.parse(TEXT, "add"));

    @TempDir
    Path dir;

    private static void assertAdd(HloModule m) {
        assertThat(m.entry().parameters()).hasSize(2);
        assertThat(m.entry().root().opcode()).isEqualTo(HloOpcode.ADD);
    }

    private Path entry(String name, String... files) throws IOException {
        Path e = Files.createDirectories(dir.resolve("neuronxcc-2.0/" + name));
        for (String f : files) {
            Files.write(
                    e.resolve(f),
                    f.equals(ModelArtifacts.NEFF)
                            ? NeffBuilder.minimal().build()
                            : f.endsWith(".txt") ? TEXT.getBytes(StandardCharsets.UTF_8) : PROTO);
        }
        return e;
    }

    @ParameterizedTest
    @ValueSource(strings = {ModelArtifacts.HLO_MODULE, ModelArtifacts.OLD_HLO_MODULE, ModelArtifacts.HLO_TEXT})
    void aDirectoryHoldsItsHloUnderAnyNameNeuronHasUsed(String name) throws IOException {
        ModelArtifacts a = ModelArtifacts.of(ModelSource.of(entry("MODULE_1", name)));

        assertThat(a.neff()).isEmpty();
        assertThat(a.hlo())
                .hasValueSatisfying(f -> assertThat(f.path()).contains(dir.resolve("neuronxcc-2.0/MODULE_1/" + name)));
        assertAdd(a.requireHlo("test").readHloModule());
    }

    @Test
    void theNewerHloNameWinsAndTheNeffIsFoundBeside() throws IOException {
        ModelArtifacts a = ModelArtifacts.of(ModelSource.of(
                entry("MODULE_2", ModelArtifacts.NEFF, ModelArtifacts.OLD_HLO_MODULE, ModelArtifacts.HLO_MODULE)));

        assertThat(a.hlo().orElseThrow().path().orElseThrow().getFileName().toString())
                .isEqualTo(ModelArtifacts.HLO_MODULE);
        assertThat(a.neff().orElseThrow().readNeff().signature().outputs()).hasSize(1);
        assertThat(a.toString()).contains("NEFF + HLO_PROTO");
    }

    @Test
    void anEntryWithOnlyANeffSaysTheHloIsNeeded() throws IOException {
        ModelArtifacts a = ModelArtifacts.of(ModelSource.of(entry("MODULE_3", ModelArtifacts.NEFF)));

        assertThat(a.hlo()).isEmpty();
        assertThatThrownBy(() -> a.requireHlo("the reference device"))
                .isInstanceOfSatisfying(NeuronException.class, e -> {
                    assertThat(e.status()).isEqualTo(Status.INVALID);
                    assertThat(e)
                            .hasMessageContaining("the reference device")
                            .hasMessageContaining(ModelArtifacts.HLO_MODULE);
                });
    }

    @Test
    void aDirectoryWithNoModelIsInvalidNamingWhatIsLookedFor() throws IOException {
        Path empty = entry("MODULE_4", "compile_flags.json");
        assertThatThrownBy(() -> ModelArtifacts.of(ModelSource.of(empty)))
                .isInstanceOfSatisfying(NeuronException.class, e -> {
                    assertThat(e.status()).isEqualTo(Status.INVALID);
                    assertThat(e)
                            .hasMessageContaining(ModelArtifacts.NEFF)
                            .hasMessageContaining(ModelArtifacts.OLD_HLO_MODULE);
                });
    }

    @Test
    void linksInAModelDirectoryAreNotFollowed() throws IOException {
        Path elsewhere = Files.write(dir.resolve("elsewhere.pb"), PROTO);
        Path e = entry("MODULE_5");
        Files.createSymbolicLink(e.resolve(ModelArtifacts.HLO_MODULE), elsewhere);

        assertThatThrownBy(() -> ModelArtifacts.of(ModelSource.of(e))).isInstanceOf(NeuronException.class);
    }

    @Test
    void filesAndBytesOfEachKindAreOneArtifact() throws IOException {
        Path pb = Files.write(dir.resolve("m.pb"), PROTO);
        Path txt = Files.writeString(dir.resolve("m.hlo.txt"), TEXT);
        Path neff = Files.write(dir.resolve("m.neff"), NeffBuilder.minimal().build());

        assertAdd(ModelArtifacts.of(ModelSource.of(pb)).requireHlo("x").readHloModule());
        assertAdd(ModelArtifacts.of(ModelSource.of(txt)).requireHlo("x").readHloModule());
        assertAdd(ModelArtifacts.of(ModelSource.of(PROTO, ModelSource.Kind.HLO_PROTO))
                .requireHlo("x")
                .readHloModule());
        assertAdd(ModelArtifacts.of(ModelSource.of(TEXT.getBytes(StandardCharsets.UTF_8), ModelSource.Kind.HLO_TEXT))
                .requireHlo("x")
                .readHloModule());
        ModelArtifacts fromFile = ModelArtifacts.of(ModelSource.of(neff));
        ModelArtifacts fromBytes = ModelArtifacts.of(ModelSource.of(Files.readAllBytes(neff), ModelSource.Kind.NEFF));
        assertThat(fromFile.hlo()).isEmpty();
        assertThat(fromBytes.neff().orElseThrow().readAllBytes())
                .isEqualTo(fromFile.neff().orElseThrow().readAllBytes());
        assertThat(fromBytes.neff().orElseThrow().name()).startsWith("<in-memory NEFF");
        assertThat(fromBytes.neff().orElseThrow().path()).isEmpty();
        assertThat(fromBytes.neff().orElseThrow().readNeff().signature())
                .isEqualTo(fromFile.neff().orElseThrow().readNeff().signature());
    }

    @Test
    void damagedBytesAreInvalidNamingTheInMemorySource() {
        ModelFile f = ModelArtifacts.of(ModelSource.of(new byte[] {1, 2, 3}, ModelSource.Kind.HLO_PROTO))
                .requireHlo("x");
        assertThatThrownBy(f::readHloModule)
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                .hasMessageContaining("<in-memory HLO_PROTO, 3 bytes>");
        assertThatThrownBy(f::readNeff).isInstanceOf(IllegalStateException.class);
    }
}
