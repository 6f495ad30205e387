package dev.nrt4j.spi;

import dev.nrt4j.NeuronDevice;
import dev.nrt4j.device.InstanceType;
import dev.nrt4j.device.LogicalCoreLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The devices of a catalogued instance type as {@code neuron-ls} would list them, for backends that know
 * the machine only from the catalogue: the reference device always, the native backend when the driver's
 * sysfs shows no devices. One home, so that both describe the same instance type the same way. Stateless
 * and thread-safe.
 */
public final class CatalogDevices {
    private CatalogDevices() {}

    /**
     * Every device of {@code layout}'s instance type, in index order, with the logical core ids and core
     * version of that layout.
     *
     * @param layout the instance type at the LNC the runtime uses; not null
     * @return the devices; unmodifiable
     */
    public static List<NeuronDevice> of(LogicalCoreLayout layout) {
        InstanceType instance = layout.instanceType();
        List<NeuronDevice> out = new ArrayList<>(instance.deviceCount());
        for (int d = 0; d < instance.deviceCount(); d++) {
            out.add(new NeuronDevice(
                    d,
                    instance.chip().displayName(),
                    layout.coreVersionName(),
                    instance.chip().physicalCoresPerChip(),
                    layout.coreIdsOfDevice(d),
                    instance.deviceMemoryBytes(),
                    instance.topology().neighbours(d)));
        }
        return List.copyOf(out);
    }
}
