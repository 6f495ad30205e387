package dev.nrt4j.spi;

import dev.nrt4j.ModelSignature;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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

    /**
     * The hook for a backend with native asynchronous execution (libnrt's {@code nrta_*}): starts the
     * model once and returns a stage that completes when the outputs are written. The API layer calls
     * it for {@link dev.nrt4j.Model#executeAsync} from its own per-core worker thread, one request at a
     * time per core in submission order, keeps the tensors and the model open until the stage completes,
     * and waits for it before starting the next request. The default runs {@link #execute} and returns
     * a completed stage, which is right for any backend.
     *
     * @param inputs as for {@link #execute}
     * @param outputs as for {@link #execute}
     * @return a stage that completes normally when the outputs are written, or exceptionally with the
     *     {@link dev.nrt4j.NeuronException} {@link #execute} would throw
     */
    default CompletionStage<Void> submit(Map<String, TensorHandle> inputs, Map<String, TensorHandle> outputs) {
        execute(inputs, outputs);
        return CompletableFuture.completedFuture(null);
    }

    /** Frees the model's device memory; called exactly once. */
    void unload();
}
