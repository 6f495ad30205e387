package dev.nrt4j.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.NeuronDevice;
import dev.nrt4j.device.InstanceCatalog;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The catalogue's devices, as both backends that describe a machine from it list them. */
class CatalogDevicesTest {
    private static final long GIB = 1L << 30;

    @Test
    void eachDeviceCarriesTheLayoutsCoreIdsAndTheInstancesLinks() {
        List<NeuronDevice> devices =
                CatalogDevices.of(InstanceCatalog.byName("trn2.48xlarge").layout(2));
        assertThat(devices).hasSize(16);
        assertThat(devices).extracting(NeuronDevice::index).startsWith(0, 1, 2).endsWith(15);
        NeuronDevice second = devices.get(1);
        assertThat(second.chip()).isEqualTo("Trainium2");
        assertThat(second.coreVersion()).isEqualTo("v3d");
        assertThat(second.physicalCoreCount()).isEqualTo(8);
        assertThat(second.logicalCoreIds()).containsExactly(4, 5, 6, 7);
        assertThat(second.memoryBytes()).isEqualTo(96 * GIB);
        assertThat(devices.get(0).connectedDevices()).containsExactly(12, 3, 4, 1);
    }

    @Test
    void theLncChangesTheCoreIdsNotTheDevices() {
        List<NeuronDevice> devices =
                CatalogDevices.of(InstanceCatalog.byName("trn2.48xlarge").layout(1));
        assertThat(devices).hasSize(16);
        assertThat(devices.get(15).logicalCoreIds()).containsExactly(120, 121, 122, 123, 124, 125, 126, 127);
        assertThat(devices.get(15).coreVersion()).isEqualTo("v3");
    }
}
