package dev.nrt4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModelSourceTest {
    @TempDir
    Path tmp;

    private Path file(String name) throws IOException {
        return Files.write(tmp.resolve(name), new byte[] {0});
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String mention) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                .hasMessageContaining(mention);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "model.neff, NEFF",
        "MODEL.NEFF, NEFF",
        "model.hlo_module.pb, HLO_PROTO",
        "graph.pb, HLO_PROTO",
        "graph.hlo, HLO_TEXT",
        "graph.hlo.txt, HLO_TEXT",
        "Graph.HLO.TXT, HLO_TEXT",
    })
    void theKindFollowsTheFileName(String name, ModelSource.Kind kind) throws IOException {
        Path p = file(name);
        ModelSource s = ModelSource.of(p);

        assertThat(s.kind()).isEqualTo(kind);
        assertThat(s.path()).isEqualTo(p);
        assertThat(s.toString()).contains(kind.name()).contains(name);
    }

    @Test
    void aDirectoryIsACompileCacheEntry() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("MODULE_123+abc"));

        assertThat(ModelSource.of(dir).kind()).isEqualTo(ModelSource.Kind.COMPILE_CACHE_ENTRY);
        assertThat(ModelSource.of(dir, ModelSource.Kind.COMPILE_CACHE_ENTRY)).isEqualTo(ModelSource.of(dir));
    }

    @ParameterizedTest
    @ValueSource(strings = {"model.onnx", "notes.txt", "model", "model.neff.bak", "model.pbtxt"})
    void anUnknownExtensionIsInvalidAndSaysWhatIsAccepted(String name) throws IOException {
        Path p = file(name);
        assertInvalid(() -> ModelSource.of(p), ".neff");
    }

    @Test
    void aMissingPathIsInvalid() {
        Path missing = tmp.resolve("absent.neff");
        assertInvalid(() -> ModelSource.of(missing), "no such file");
        assertInvalid(() -> ModelSource.of(missing, ModelSource.Kind.NEFF), "no such file");
        assertInvalid(
                () -> ModelSource.of(tmp.resolve("MODULE_x"), ModelSource.Kind.COMPILE_CACHE_ENTRY),
                "no such directory");
    }

    @Test
    void anExplicitKindMustMatchFileOrDirectory() throws IOException {
        Path odd = file("exported.bin");
        assertThat(ModelSource.of(odd, ModelSource.Kind.HLO_PROTO).kind()).isEqualTo(ModelSource.Kind.HLO_PROTO);
        assertInvalid(() -> ModelSource.of(tmp, ModelSource.Kind.NEFF), "is not a file");
        assertInvalid(() -> ModelSource.of(odd, ModelSource.Kind.COMPILE_CACHE_ENTRY), "is not a directory");
    }

    @Test
    void equalityIsPathAndKind() throws IOException {
        Path p = file("m.pb");

        assertThat(ModelSource.of(p))
                .isEqualTo(ModelSource.of(p, ModelSource.Kind.HLO_PROTO))
                .hasSameHashCodeAs(ModelSource.of(p, ModelSource.Kind.HLO_PROTO));
        assertThat(ModelSource.of(p)).isNotEqualTo(ModelSource.of(p, ModelSource.Kind.NEFF));
    }

    @Test
    void aSourceInMemoryKeepsItsOwnCopyAndHasNoPath() {
        byte[] data = {1, 2, 3};
        ModelSource s = ModelSource.of(data, ModelSource.Kind.HLO_PROTO);
        data[0] = 9;

        assertThat(s.bytes()).hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2, 3));
        s.bytes().orElseThrow()[1] = 9;
        assertThat(s.bytes().orElseThrow()).containsExactly(1, 2, 3);
        assertThat(s.file()).isEmpty();
        assertThat(s.name()).isEqualTo("<in-memory HLO_PROTO, 3 bytes>");
        assertThat(s.toString()).isEqualTo(s.name());
        assertThatThrownBy(s::path).isInstanceOf(IllegalStateException.class).hasMessageContaining("in memory");
        assertThat(s)
                .isEqualTo(ModelSource.of(new byte[] {1, 2, 3}, ModelSource.Kind.HLO_PROTO))
                .hasSameHashCodeAs(ModelSource.of(new byte[] {1, 2, 3}, ModelSource.Kind.HLO_PROTO))
                .isNotEqualTo(ModelSource.of(new byte[] {1, 2, 3}, ModelSource.Kind.NEFF))
                .isNotEqualTo(ModelSource.of(new byte[] {1, 2, 4}, ModelSource.Kind.HLO_PROTO));
    }

    @Test
    void aCompileCacheEntryCannotBeMadeOfBytes() {
        assertThatThrownBy(() -> ModelSource.of(new byte[1], ModelSource.Kind.COMPILE_CACHE_ENTRY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("directory");
    }

    @Test
    void aFileSourceHasNoBytesAndIsNamedByItsPath() throws IOException {
        Path p = file("m.neff");
        ModelSource s = ModelSource.of(p);

        assertThat(s.file()).contains(p);
        assertThat(s.bytes()).isEmpty();
        assertThat(s.name()).isEqualTo(p.toString());
    }

    @Test
    void loadOptionsNameACoreOrAny() {
        assertThat(LoadOptions.anyCore().core()).isEqualTo(-1);
        assertThat(LoadOptions.anyCore().toString()).isEqualTo("any core");
        assertThat(LoadOptions.onCore(0).core()).isZero();
        assertThat(LoadOptions.onCore(3).toString()).isEqualTo("core 3");
        assertThatThrownBy(() -> LoadOptions.onCore(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("anyCore");
    }

    @Test
    void loadingAPathThatIsNotAModelFailsBeforeTheBackendIsAsked() throws IOException {
        Path p = file("weights.safetensors");
        try (NeuronRuntime rt = TestRuntimes.memory()) {
            assertInvalid(() -> rt.load(p), "cannot tell the kind");
            assertThat(rt.openResources()).isEmpty();
        }
    }
}
