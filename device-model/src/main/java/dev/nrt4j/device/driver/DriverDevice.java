package dev.nrt4j.device.driver;

import dev.nrt4j.device.NeuronChip;
import java.util.List;
import java.util.Optional;

/**
 * One Neuron device as the driver's sysfs describes it. The driver knows physical cores only:
 * {@code physicalCoreCount} is {@code core_count}, whatever logical core size the runtime uses.
 *
 * @param index the device id, {@code N} of {@code neuron<N>}
 * @param chip the chip its {@code device_name} names, empty for a name this library does not know
 * @param deviceName {@code info/architecture/device_name}, e.g. {@code Trainium2}
 * @param archType {@code info/architecture/arch_type}, e.g. {@code NDv3}
 * @param physicalCoreCount {@code core_count}
 * @param connectedDevices {@code connected_devices} in the driver's order; empty when it has no links
 * @param serialNumber {@code info/serial_number}, empty when the driver could not read it
 * @param pci its PCI function, when the bound functions could be matched to devices
 */
public record DriverDevice(
        int index,
        Optional<NeuronChip> chip,
        String deviceName,
        String archType,
        int physicalCoreCount,
        List<Integer> connectedDevices,
        String serialNumber,
        Optional<PciFunction> pci) {
    /**
     * Copies {@code connectedDevices}, so the record stays immutable.
     *
     * @param index the device id
     * @param chip the chip, or empty for an unknown device name; not null
     * @param deviceName the sysfs device name; empty when the file is missing
     * @param archType the sysfs device architecture; empty when the file is missing
     * @param physicalCoreCount the driver's {@code core_count}
     * @param connectedDevices the linked device ids in the driver's order; copied, not null, no null elements
     * @param serialNumber the serial number; empty when unreadable
     * @param pci the PCI function, or empty when it could not be matched; not null
     * @throws NullPointerException if {@code connectedDevices} or an element of it is null
     */
    public DriverDevice {
        connectedDevices = List.copyOf(connectedDevices);
    }
}
