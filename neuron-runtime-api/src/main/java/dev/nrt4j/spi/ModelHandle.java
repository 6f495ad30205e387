package dev.nrt4j.spi;

import dev.nrt4j.ModelSignature;
import java.util.Map;

/**
 * A loaded model. {@link #execute} may be called from many threads at once; the API layer never
 * calls it after {@link #unload()}, and has checked that every input and output of the signature
 * is present with the right byte size.
 */
public interface ModelHandle {
    /**
     * {@return the inputs and outputs, named {@code input0..N} and {@code output0..M} for XLA graphs}
     * The API layer reads it once, right after the load, and checks every execution against that.
     */
    ModelSignature signature();

    /** {@return the index (into the runtime's cores) of the first core the model is loaded on} */
    int core();

    /**
     * Runs the model once: reads the inputs, writes the outputs, returns when done.
     *
     * @param inputs every input of the signature by name, each of the right byte size; the handles stay
     *     owned by the caller
     * @param outputs every output of the signature by name, each of the right byte size; written in
     *     place, and still owned by the caller
     * @throws dev.nrt4j.NeuronException {@link dev.nrt4j.Status#TIMEOUT} past the execution timeout, or the
     *     status of whatever else failed
     */
    void execute(Map<String, TensorHandle> inputs, Map<String, TensorHandle> outputs);

    /** Frees the model's device memory; called exactly once. */
    void unload();
}
