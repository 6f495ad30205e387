package dev.nrt4j.device.driver;

/**
 * The PCI function of a Neuron device as neuron-ls shows it: the full bus/device/function address
 * ({@code 0000:10:1e.0}), the NUMA node as the kernel prints it ({@code "-1"} where the machine has
 * one node), and the CPUs local to it ({@code "0-7"} or {@code "48-95,144-191"}).
 *
 * @param bdf the bus/device/function address in lower case, e.g. {@code 0000:10:1e.0}
 * @param numaNode the NUMA node as the kernel prints it; {@code "-1"} for none or unknown
 * @param cpuAffinity the local CPU list as the kernel prints it; empty when unknown
 */
public record PciFunction(String bdf, String numaNode, String cpuAffinity) {}
