/**
 * What the monitoring commands ({@code ls}, {@code top}, {@code monitor}) read from a machine: one
 * snapshot of the driver's devices and counters, the processes holding device nodes, and the nrt4j
 * runtime records, taken the same way from real and simulated machines.
 */
package dev.nrt4j.tools.machine;
