package dev.nrt4j;

import dev.nrt4j.testbackend.MemoryBackendProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** Runtimes on the in-memory test backend, isolated from this process's environment and properties. */
final class TestRuntimes {
    private TestRuntimes() {}

    static RuntimeOptions.Builder isolatedOptions() {
        return RuntimeOptions.builder(Map.of(), new Properties());
    }

    static NeuronRuntime memory() {
        return NeuronRuntime.open(
                isolatedOptions().backend(MemoryBackendProvider.NAME).build());
    }

    static NeuronRuntime memoryWithLeakDetection() {
        return NeuronRuntime.open(isolatedOptions()
                .backend(MemoryBackendProvider.NAME)
                .leakDetection(true)
                .build());
    }

    /** Writes a test-device program (see the memory backend's MemoryModel) and returns its path. */
    static Path program(Path dir, String fileName, String text) {
        try {
            return Files.writeString(dir.resolve(fileName), text + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
