/**
 * The reference device's imitation of the Neuron driver's sysfs tree (driver 2.25 layout), kept in the
 * per-user state directory so monitoring tools and tests can read per-core memory, status and
 * execution counters as they would under {@code /sys/devices/virtual/neuron_device}.
 */
package dev.nrt4j.reference.sysfs;
