/**
 * Reading NEFF files (Neuron Executable File Format).
 *
 * <p>{@link dev.nrt4j.neff.NeffFile} reads a NEFF from a path or from memory: the 1024-byte
 * {@link dev.nrt4j.neff.NeffHeader}, the members of its tar payload (gzip'd or plain) as
 * {@link dev.nrt4j.neff.TarEntry} values, the data of small members, and the model's
 * {@link dev.nrt4j.ModelSignature} from {@code sgNN/def.json}. Everything is bounded by
 * {@link dev.nrt4j.neff.NeffLimits}; nothing is written to disk. Damaged or hostile input fails with
 * {@link dev.nrt4j.NeuronException} of status {@link dev.nrt4j.Status#INVALID}, a header announcing a
 * format this reader does not know with {@link dev.nrt4j.Status#UNSUPPORTED_NEFF_VERSION}.
 * (The compile cache the NEFFs live in is read by {@code dev.nrt4j.artifacts}.)
 */
package dev.nrt4j.neff;
