/**
 * The hardware catalog and its rules, with no dependencies: Neuron chips and their NeuronCores,
 * HBM stacks, peak compute and link figures, the EC2 instance types built from them, the device
 * topology that {@code neuron-ls} prints, logical NeuronCore (LNC) grouping, and the
 * {@code NEURON_RT_VISIBLE_CORES} / {@code NEURON_RT_NUM_CORES} core-selection rules.
 *
 * <p>Every type here is immutable and safe to share between threads. Memory sizes are bytes
 * ({@code long}), bandwidths are bytes per second, and peak compute is in TFLOPS (TOPS for INT8).
 * Where the published sources are silent or disagree, the code says which value it chose and why.
 */
package dev.nrt4j.device;
