/**
 * The Neuron kernel driver as user space sees it: its sysfs tree (driver 2.25 layout), the PCI
 * functions it binds, the device nodes processes hold open, and the instance identity in DMI. One
 * reader serves real machines ({@link dev.nrt4j.device.driver.SystemRoot#host()}) and the reference
 * device's simulated tree alike, so tools show both through one code path.
 */
package dev.nrt4j.device.driver;
