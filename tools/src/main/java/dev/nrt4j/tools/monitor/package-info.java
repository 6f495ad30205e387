/**
 * {@code nrt4j monitor}: neuron-monitor for nrt4j. {@link dev.nrt4j.tools.monitor.MonitorCommand} reads
 * the machine once a period and prints a report with neuron-monitor's field names, one JSON object per line;
 * {@link dev.nrt4j.tools.monitor.MonitorConfig} reads neuron-monitor's {@code -c} config, and
 * {@link dev.nrt4j.tools.monitor.PrometheusExposition} turns reports into neuron-monitor-prometheus's metrics.
 */
package dev.nrt4j.tools.monitor;
