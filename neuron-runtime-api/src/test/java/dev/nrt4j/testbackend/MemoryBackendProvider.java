package dev.nrt4j.testbackend;

import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.spi.BackendAvailability;
import dev.nrt4j.spi.BackendProvider;
import dev.nrt4j.spi.RuntimeBackend;

/** The "memory" test backend: lowest priority and always available, like a simulator. */
public final class MemoryBackendProvider implements BackendProvider {
    public static final String NAME = "memory";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public BackendAvailability probe(RuntimeOptions options) {
        return BackendAvailability.available(
                "in-memory test device, " + MemoryBackend.CORES + " cores of " + MemoryBackend.CORE_MEMORY + " bytes");
    }

    @Override
    public RuntimeBackend open(RuntimeOptions options) {
        return new MemoryBackend(NAME, options);
    }

    @Override
    public dev.nrt4j.ModelSupport check(dev.nrt4j.ModelSource source, RuntimeOptions options) {
        return MemoryModel.check(NAME, source);
    }
}
