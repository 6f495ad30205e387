package dev.nrt4j.testbackend;

import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.spi.BackendAvailability;
import dev.nrt4j.spi.BackendProvider;
import dev.nrt4j.spi.RuntimeBackend;

/**
 * Plays a hardware backend: it outranks "memory" but is only available when the options name the
 * marker instance type, so tests can switch "hardware is present" on and off per runtime.
 */
public final class HardwareBackendProvider implements BackendProvider {
    public static final String NAME = "hardware";
    public static final String MARKER_INSTANCE_TYPE = "test.hardware";
    public static final int PRIORITY = 100;
    public static final String UNAVAILABLE_REASON =
            "no test hardware here; set the instance type to " + MARKER_INSTANCE_TYPE;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public BackendAvailability probe(RuntimeOptions options) {
        return options.instanceType().filter(MARKER_INSTANCE_TYPE::equals).isPresent()
                ? BackendAvailability.available("test hardware found")
                : BackendAvailability.unavailable(UNAVAILABLE_REASON);
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
