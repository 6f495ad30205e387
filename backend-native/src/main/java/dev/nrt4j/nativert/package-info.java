/**
 * The native backend: real NeuronCores through the Neuron runtime library ({@code libnrt.so.1}).
 *
 * <p>{@link dev.nrt4j.nativert.NativeBackendProvider} registers it as backend {@code native}. The
 * rest is internal: library discovery, the runtime, tensor and model handles guarded so that a
 * freed or closed handle is an exception rather than a crash, the {@code NEURON_RT_*} environment
 * set before {@code nrt_init}, {@code nrt_dtype_t} decoding by runtime version, and HLO compilation
 * with {@code neuronx-cc}, each module once (a compile cache in the state directory), and asynchronous
 * execution through libnrt's v3 {@code nrta_*} API where the runtime has it. The C API itself is bound
 * in {@code dev.nrt4j.nativert.binding}.
 */
package dev.nrt4j.nativert;
