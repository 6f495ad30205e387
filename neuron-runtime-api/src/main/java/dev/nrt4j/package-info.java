/**
 * The nrt4j API: open a {@link dev.nrt4j.NeuronRuntime}, load {@link dev.nrt4j.Model}s on its
 * NeuronCores, and move data in and out as {@link dev.nrt4j.HostTensor}s or device
 * {@link dev.nrt4j.Tensor}s. The same code runs on real NeuronCores through libnrt and on the
 * reference device; {@link dev.nrt4j.RuntimeOptions} says which, read from {@code nrt4j.*} system
 * properties and the {@code NEURON_RT_*} variables libnrt itself reads.
 *
 * <p><b>Ownership:</b> whoever opens, allocates or loads something closes it; the runtime closes what
 * it still owns when it closes, so a forgotten tensor cannot outlive its cores. Values (host tensors,
 * shapes, signatures, options, descriptions) are immutable and need no closing.
 *
 * <p><b>Thread-safety:</b> every public type is safe to use from many threads at once; each type
 * says what runs concurrently and what waits.
 *
 * <p><b>Errors:</b> runtime faults are {@link dev.nrt4j.NeuronException}s carrying the libnrt
 * {@link dev.nrt4j.Status}; each method names the statuses it can report. Misuse of the API (a closed
 * handle, a null argument) is an {@link java.lang.IllegalStateException},
 * {@link java.lang.IllegalArgumentException} or {@link java.lang.NullPointerException} instead.
 */
package dev.nrt4j;
