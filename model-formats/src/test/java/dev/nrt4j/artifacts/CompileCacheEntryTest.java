package dev.nrt4j.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.neff.NeffBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompileCacheEntryTest {

    private static Path module(Path root, String compiler, String module, String... files) throws IOException {
        Path dir = Files.createDirectories(root.resolve(compiler).resolve(module));
        for (String f : files) {
            Files.write(
                    dir.resolve(f),
                    f.equals("model.neff") ? NeffBuilder.minimal().build() : new byte[0]);
        }
        return dir;
    }

    @Test
    void listsEntriesWithTheirStateAndFiles(@TempDir Path root) throws IOException {
        module(
                root,
                "neuronxcc-2.20.9961.0+0acef03a",
                "MODULE_9219523464496887986+d41d8cd9",
                "compile_flags.json",
                "model.done",
                "model.hlo_module.pb",
                "model.neff");
        module(root, "neuronxcc-2.20.9961.0+0acef03a", "MODULE_56f0d314fda2b6e1e336+617f6939", "model.log");
        module(
                root,
                "neuronxcc-2.8.0.25+a3ad0f342",
                "MODULE_198775565831884870+d41d8cd9",
                "model.hlo.pb",
                "model.hlo_module.pb.lock");
        module(root, "neuronxcc-2.8.0.25+a3ad0f342", "MODULE_1+abcdef01", "model.hlo.pb");
        module(root, "not-a-compiler", "MODULE_2+abcdef01", "model.neff", "model.done");
        module(root, "neuronxcc-2.8.0.25+a3ad0f342", "other", "model.neff");

        List<CompileCacheEntry> entries = CompileCacheEntry.list(root);

        assertThat(entries)
                .extracting(e -> e.directory().getFileName().toString())
                .containsExactly(
                        "MODULE_56f0d314fda2b6e1e336+617f6939", "MODULE_9219523464496887986+d41d8cd9",
                        "MODULE_1+abcdef01", "MODULE_198775565831884870+d41d8cd9");
        CompileCacheEntry done = entries.get(1);
        assertThat(done.state()).isEqualTo(CompileCacheEntry.State.DONE);
        assertThat(done.compilerVersion()).isEqualTo("2.20.9961.0+0acef03a");
        assertThat(done.graphHash()).isEqualTo("9219523464496887986");
        assertThat(done.flagsHash()).isEqualTo("d41d8cd9");
        assertThat(done.neff()).contains(done.directory().resolve("model.neff"));
        assertThat(done.hloModule()).contains(done.directory().resolve("model.hlo_module.pb"));
        assertThat(done.compileFlags()).isPresent();
        assertThat(done.readNeff().signature().outputs()).hasSize(1);
        assertThat(done.toString())
                .isEqualTo("MODULE_9219523464496887986+d41d8cd9 (neuronxcc 2.20.9961.0+0acef03a, DONE)");

        assertThat(entries.get(0).state()).isEqualTo(CompileCacheEntry.State.FAILED);
        assertThat(entries.get(3).state()).isEqualTo(CompileCacheEntry.State.LOCKED);
        assertThat(entries.get(3).hloModule())
                .contains(entries.get(3).directory().resolve("model.hlo.pb"));
        assertThat(entries.get(2).state()).isEqualTo(CompileCacheEntry.State.INCOMPLETE);
        assertThatThrownBy(entries.get(2)::readNeff).isInstanceOfSatisfying(NeuronException.class, e -> {
            assertThat(e.status()).isEqualTo(Status.INVALID);
            assertThat(e.getMessage()).contains("has no model.neff (state INCOMPLETE)");
        });
    }

    @Test
    void aMissingRootHasNoEntries(@TempDir Path dir) {
        assertThat(CompileCacheEntry.list(dir.resolve("none"))).isEmpty();
        assertThat(CompileCacheEntry.of(dir.resolve("none"))).isEmpty();
    }

    @Test
    void rootFollowsTheEnvironment() {
        assertThat(CompileCacheEntry.root(Map.of())).contains(Path.of("/var/tmp/neuron-compile-cache"));
        assertThat(CompileCacheEntry.root(Map.of("NEURON_COMPILE_CACHE_URL", "/data/cache")))
                .contains(Path.of("/data/cache"));
        assertThat(CompileCacheEntry.root(Map.of(
                        "NEURON_COMPILE_CACHE_URL",
                        "/data/cache",
                        "NEURON_CC_FLAGS",
                        "--model-type=transformer --cache_dir=/flags/cache -O1")))
                .contains(Path.of("/flags/cache"));
        assertThat(CompileCacheEntry.root(Map.of("NEURON_COMPILE_CACHE_URL", "s3://bucket/cache")))
                .isEmpty();
        assertThat(CompileCacheEntry.root(Map.of("NEURON_CC_FLAGS", "--no_cache")))
                .contains(CompileCacheEntry.DEFAULT_ROOT);
    }
}
