package dev.nrt4j.reference;

import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.device.driver.SystemRoot;
import dev.nrt4j.spi.DriverViewProvider;
import dev.nrt4j.spi.StateDirectory;

/**
 * Where the reference device shows through its simulated driver: the {@code sys} and {@code dev} tree
 * and runtime records of the configured instance type in the state directory, laid out if missing (as
 * opening a runtime would). Thread-safe; cheap to construct.
 */
public final class ReferenceDriverView implements DriverViewProvider {
    @Override
    public String backend() {
        return ReferenceBackendProvider.NAME;
    }

    /**
     * The simulated machine of the instance type {@code options} configure.
     *
     * @throws dev.nrt4j.NeuronException {@link dev.nrt4j.Status#INVALID} for an instance type or LNC the
     *     reference device cannot simulate, {@link dev.nrt4j.Status#FAILURE} when the tree cannot be written
     */
    @Override
    public SystemRoot driverView(RuntimeOptions options) {
        ReferenceConfiguration config = ReferenceConfiguration.of(options);
        return SimulatedMachine.of(config.instance(), StateDirectory.resolve(options))
                .sysfs()
                .systemRoot();
    }
}
