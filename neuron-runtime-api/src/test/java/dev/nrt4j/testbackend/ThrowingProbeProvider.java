package dev.nrt4j.testbackend;

import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.spi.BackendAvailability;
import dev.nrt4j.spi.BackendProvider;
import dev.nrt4j.spi.RuntimeBackend;

/**
 * A provider that breaks the "probe never throws" rule. Not in the services file: tests list it through
 * their own class loader, since discovery must turn the throw into "unavailable", not fail.
 */
public final class ThrowingProbeProvider implements BackendProvider {
    public static final String MESSAGE = "probe exploded";

    @Override
    public String name() {
        return "throwing-probe";
    }

    @Override
    public int priority() {
        return 500;
    }

    @Override
    public BackendAvailability probe(RuntimeOptions options) {
        throw new IllegalStateException(MESSAGE);
    }

    @Override
    public RuntimeBackend open(RuntimeOptions options) {
        throw new AssertionError("an unavailable backend must not be opened");
    }

    @Override
    public dev.nrt4j.ModelSupport check(dev.nrt4j.ModelSource source, RuntimeOptions options) {
        throw new AssertionError("an unavailable backend is not asked");
    }
}
