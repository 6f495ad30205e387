package dev.nrt4j.reference.sysfs;

import dev.nrt4j.device.InstanceType;
import java.util.Locale;

/**
 * The PCI address, NUMA node and local CPUs the reference device gives a simulated Neuron device. All
 * inferred ({@code device-facts.md} §2c): a one-device instance gets the address real trn1.2xlarge and
 * inf2.xlarge machines show ({@code 0000:00:1e.0}) and NUMA node {@code -1}; bigger ones get addresses
 * that ascend with the device id (so reading them back in bus order finds each device's own), and two
 * NUMA nodes, the first half of the devices on node 0 except on 16-device instances, where devices 0-3
 * and 12-15 are on node 1 as on the trn2.48xlarge of the neuron-ls guide. Each node's CPUs are half the
 * cores and their hyperthread siblings, e.g. {@code 48-95,144-191} of 192 vCPUs.
 *
 * @param bdf domain:bus:slot.function
 * @param numaNode as the kernel prints it
 * @param cpuAffinity the node's CPUs as a kernel cpulist
 */
record SimulatedPci(String bdf, String numaNode, String cpuAffinity) {
    static SimulatedPci of(InstanceType instance, int device) {
        int vcpus = instance.vcpus().orElse(8);
        int devices = instance.deviceCount();
        if (devices == 1) {
            return new SimulatedPci("0000:00:1e.0", "-1", "0-" + (vcpus - 1));
        }
        String bdf = String.format(Locale.ROOT, "0000:%02x:%02x.0", 0x10 * (1 + device / 4), 0x1b + device % 4);
        int node;
        if (devices == 16) {
            node = device >= 4 && device < 12 ? 0 : 1;
        } else {
            node = device < devices / 2 ? 0 : 1;
        }
        int quarter = vcpus / 4;
        String cpus = (node * quarter) + "-" + ((node + 1) * quarter - 1) + "," + (2 * quarter + node * quarter) + "-"
                + (2 * quarter + (node + 1) * quarter - 1);
        return new SimulatedPci(bdf, Integer.toString(node), cpus);
    }
}
