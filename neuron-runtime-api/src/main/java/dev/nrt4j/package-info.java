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
 * <p><b>Errors:</b> one rule decides which kind a method throws. A programming error in its Java
 * arguments, which no data or device could make right (a null, a negative size, offset or length, a
 * Java array or buffer of the wrong type or length for the shape passed with it), is an
 * {@link java.lang.IllegalArgumentException} or {@link java.lang.NullPointerException}; using a closed
 * object is an {@link java.lang.IllegalStateException}. A problem with the data, the model or the
 * device's state (a region past a tensor's end, data that does not fit a tensor or a model's signature,
 * a name a set or model lacks, a core the runtime does not have, memory full, a damaged file) is a
 * {@link dev.nrt4j.NeuronException} carrying the {@link dev.nrt4j.Status} libnrt gives for it
 * ({@link dev.nrt4j.Status#INVALID}, {@link dev.nrt4j.Status#RESOURCE}, ...); each method names the
 * statuses it can report.
 */
package dev.nrt4j;
