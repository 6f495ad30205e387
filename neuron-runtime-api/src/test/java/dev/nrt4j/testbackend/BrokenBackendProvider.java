package dev.nrt4j.testbackend;

import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.spi.BackendAvailability;
import dev.nrt4j.spi.BackendProvider;
import dev.nrt4j.spi.RuntimeBackend;

/**
 * Stands for a backend that cannot even be instantiated (a missing native dependency, a class built
 * for a newer JDK): ServiceLoader fails on it, and discovery must survive that.
 */
public final class BrokenBackendProvider implements BackendProvider {
    public static final String MESSAGE = "broken test provider refuses to construct";

    public BrokenBackendProvider() {
        throw new IllegalStateException(MESSAGE);
    }

    @Override
    public String name() {
        return "broken";
    }

    @Override
    public int priority() {
        return 1000;
    }

    @Override
    public BackendAvailability probe(RuntimeOptions options) {
        return BackendAvailability.available("never reached");
    }

    @Override
    public RuntimeBackend open(RuntimeOptions options) {
        throw new AssertionError("never reached");
    }

    @Override
    public dev.nrt4j.ModelSupport check(dev.nrt4j.ModelSource source, RuntimeOptions options) {
        throw new AssertionError("never reached");
    }
}
