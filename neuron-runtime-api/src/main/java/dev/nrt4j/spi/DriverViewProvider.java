package dev.nrt4j.spi;

import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.device.driver.SystemRoot;

/**
 * Says where a backend's machine shows through the Neuron driver's files: its sysfs tree, device nodes
 * and runtime records, which monitoring tools ({@code nrt4j ls}, {@code top}, {@code monitor}) read as
 * {@code neuron-ls} and {@code neuron-top} do. A hardware backend answers with the machine's own
 * {@code /sys} and {@code /dev}; the reference device with the simulated tree in its state directory.
 *
 * <p>Kept apart from {@link BackendProvider} and from {@link dev.nrt4j.NeuronRuntime} so that the
 * driver's file layout is no part of the runtime API: only tools that read the driver look it up. Found
 * through {@link java.util.ServiceLoader} ({@code META-INF/services/dev.nrt4j.spi.DriverViewProvider});
 * a backend without one is read at the machine's own {@link SystemRoot#host()}. Implementations need a
 * public no-argument constructor, load on Java 17, are cheap to construct and thread-safe.
 */
public interface DriverViewProvider {
    /** {@return the name of the backend this answers for, as its {@link BackendProvider#name()}} */
    String backend();

    /**
     * Where the backend, opened with {@code options}, shows through the driver. Must not claim any device.
     *
     * @param options the options a runtime would be opened with; not null
     * @return the places to read; nothing to close
     * @throws dev.nrt4j.NeuronException {@link dev.nrt4j.Status#INVALID} for options the backend cannot
     *     honour, {@link dev.nrt4j.Status#FAILURE} when a simulated tree cannot be laid out
     */
    SystemRoot driverView(RuntimeOptions options);
}
