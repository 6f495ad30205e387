package dev.nrt4j.reference;

import dev.nrt4j.NeuronException;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.device.driver.SystemRoot;
import dev.nrt4j.spi.BackendAvailability;
import dev.nrt4j.spi.BackendProvider;
import dev.nrt4j.spi.RuntimeBackend;
import dev.nrt4j.spi.StateDirectory;

/**
 * Registers the reference device as backend {@code reference}. It runs anywhere, so it ranks below
 * hardware: it is chosen when no hardware backend is available or when asked for by name.
 */
public final class ReferenceBackendProvider implements BackendProvider {
    /** The backend's name. */
    public static final String NAME = "reference";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 0;
    }

    /**
     * Always available: it needs nothing from the machine. Options it cannot honour (an unknown
     * instance type, an LNC the chip refuses) are reported here and fail {@link #open} with
     * {@link dev.nrt4j.Status#INVALID}, rather than making the backend look absent.
     */
    @Override
    public BackendAvailability probe(RuntimeOptions options) {
        try {
            return BackendAvailability.available("simulates " + ReferenceConfiguration.of(options).describe());
        } catch (NeuronException e) {
            return BackendAvailability.available("runs anywhere, but opening it with these options fails: " + e.getMessage());
        }
    }

    /** The simulated machine of the configured instance type in the state directory, laid out if missing. */
    @Override
    public SystemRoot systemRoot(RuntimeOptions options) {
        ReferenceConfiguration config = ReferenceConfiguration.of(options);
        return SimulatedMachine.of(config.instance(), StateDirectory.resolve(options)).sysfs().systemRoot();
    }

    @Override
    public RuntimeBackend open(RuntimeOptions options) {
        return ReferenceRuntime.open(ReferenceConfiguration.of(options), options);
    }
}
