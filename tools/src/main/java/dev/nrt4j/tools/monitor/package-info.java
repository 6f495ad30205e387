/**
 * {@code nrt4j monitor}: neuron-monitor for nrt4j. {@link dev.nrt4j.tools.monitor.MonitorCommand} reads
 * the machine once a period and prints a report with neuron-monitor's field names, one JSON object per line.
 */
package dev.nrt4j.tools.monitor;
