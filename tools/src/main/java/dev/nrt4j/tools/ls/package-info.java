/** {@code nrt4j ls}: the devices of a machine as neuron-ls shows them, from the driver's sysfs. */
package dev.nrt4j.tools.ls;
