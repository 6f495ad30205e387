package dev.nrt4j.spi;

import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.device.driver.SystemRoot;
import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Where a backend's machine shows through the Neuron driver, for the tools that read it as
 * {@code neuron-ls} and {@code neuron-top} do and for the contract kit: asked of the backend's
 * {@link DriverViewProvider}, found on the class path like the backends themselves, so the caller names
 * no backend class. A backend without one is read at the machine's own {@code /sys} and {@code /dev}.
 * Stateless and thread-safe.
 */
public final class DriverViews {
    private DriverViews() {}

    /**
     * The driver view of the backend {@code options} select, as {@link NeuronRuntime#open(RuntimeOptions)}
     * would select it; nothing is opened or claimed.
     *
     * @param options the runtime options the command was given; not null
     * @return the places to read
     * @throws dev.nrt4j.NeuronException as {@link NeuronRuntime#selectedBackend(RuntimeOptions)} when no backend
     *     fits, or as {@link DriverViewProvider#driverView(RuntimeOptions)}
     */
    public static SystemRoot of(RuntimeOptions options) {
        return of(NeuronRuntime.selectedBackend(options).name(), options);
    }

    /**
     * The driver view of the backend named {@code backend} (for a runtime already open, its
     * {@code backend().name()}).
     *
     * @param backend the backend's name; not null
     * @param options the options the runtime is or would be opened with; not null
     * @return the places to read
     * @throws dev.nrt4j.NeuronException as {@link DriverViewProvider#driverView(RuntimeOptions)}
     */
    public static SystemRoot of(String backend, RuntimeOptions options) {
        Iterator<DriverViewProvider> it = ServiceLoader.load(
                        DriverViewProvider.class, DriverViews.class.getClassLoader())
                .iterator();
        while (true) {
            DriverViewProvider p;
            try {
                if (!it.hasNext()) {
                    return SystemRoot.host();
                }
                p = it.next();
            } catch (ServiceConfigurationError e) {
                // A provider that cannot load belongs to a broken backend, which describeBackends reports.
                continue;
            }
            if (p.backend().equalsIgnoreCase(backend)) {
                return p.driverView(options);
            }
        }
    }
}
