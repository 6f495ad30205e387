package dev.nrt4j;

import dev.nrt4j.spi.ModelHandle;
import dev.nrt4j.spi.TensorHandle;
import dev.nrt4j.spi.UninterruptibleWait;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A model loaded onto a NeuronCore, ready to execute.
 *
 * <p><b>Ownership:</b> the caller owns it and closes it (unloading it frees its device memory);
 * closing the runtime closes models it still owns.
 *
 * <p><b>Thread-safety:</b> {@link #execute} and {@link #run} may be called from any number of threads
 * at once; executions on one core run one at a time in arrival order. {@link #close()} waits for
 * executions in progress; later calls throw {@link IllegalStateException}.
 *
 * <p><b>Asynchronous execution:</b> {@link #executeAsync(TensorSet, TensorSet, ExecuteOptions)} queues
 * a request and returns a future; see there for ordering, deadlines, cancellation and close.
 *
 * <p><b>Errors:</b> an input or output that is missing or has the wrong byte size is
 * {@link Status#EXEC_BAD_INPUT}; tensors of another runtime are {@link Status#INVALID}; an execution
 * past the timeout is {@link Status#TIMEOUT}; the backend may report others.
 */
public final class Model implements AutoCloseable {
    private final NeuronRuntime runtime;
    private final ModelHandle handle;
    private final ModelSignature signature;
    private final String name;
    private final Lifecycle lifecycle;

    Model(NeuronRuntime runtime, ModelHandle handle, String name, ResourceRegistry registry, boolean trackAllocation) {
        this.runtime = runtime;
        this.handle = handle;
        this.signature = handle.signature();
        this.name = name;
        this.lifecycle = new Lifecycle(
                this,
                ResourceRegistry.Kind.MODEL,
                "model '" + name + "' on core " + handle.core(),
                handle::unload,
                registry,
                trackAllocation);
    }

    /** {@return the model's inputs and outputs; available after {@link #close()} too} */
    public ModelSignature signature() {
        return signature;
    }

    /** {@return the index, into {@link NeuronRuntime#cores()}, of the (first) core it is loaded on} */
    public int core() {
        return handle.core();
    }

    /** {@return the file name it was loaded from} */
    public String name() {
        return name;
    }

    /** {@return whether the model is still loaded (not closed, by the caller or by its runtime)} */
    public boolean isOpen() {
        return lifecycle.isOpen();
    }

    /**
     * A set with one zeroed tensor per input, on this model's core, named as the signature names them. The set owns them.
     *
     * @return a new set, owned by the caller, who closes it (closing it frees its tensors)
     * @throws NeuronException {@link Status#RESOURCE} when the core's memory is full (tensors already
     *     allocated for the set are freed)
     * @throws IllegalStateException if the model is closed
     */
    public TensorSet allocateInputs() {
        return allocate(signature.inputs());
    }

    /**
     * A set with one tensor per output, on this model's core. The set owns them.
     *
     * @return a new set, owned by the caller, who closes it (closing it frees its tensors)
     * @throws NeuronException {@link Status#RESOURCE} when the core's memory is full (tensors already
     *     allocated for the set are freed)
     * @throws IllegalStateException if the model is closed
     */
    public TensorSet allocateOutputs() {
        return allocate(signature.outputs());
    }

    private TensorSet allocate(List<TensorInfo> infos) {
        lifecycle.enter();
        try {
            List<Tensor> made = new ArrayList<>();
            try {
                for (TensorInfo info : infos) {
                    made.add(runtime.allocate(info.name(), info.byteSize(), core()));
                }
            } catch (RuntimeException e) {
                made.forEach(Tensor::close);
                throw e;
            }
            return runtime.ownedTensorSet(made);
        } finally {
            lifecycle.exit();
        }
    }

    /**
     * Runs the model once, reading {@code inputs} and writing {@code outputs}; blocks until done.
     * Every input and output of the signature must be in the sets with its exact byte size; other
     * names are ignored.
     *
     * @param inputs the input tensors by name, of this model's runtime; not null, stays the caller's
     * @param outputs the output tensors by name, of this model's runtime, overwritten; not null, stays
     *     the caller's
     * @throws NeuronException {@link Status#EXEC_BAD_INPUT}, {@link Status#INVALID}, {@link Status#TIMEOUT}, or
     *     what the backend reports
     */
    public void execute(TensorSet inputs, TensorSet outputs) {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(outputs, "outputs");
        executeChecked(inputs, outputs, false);
    }

    /**
     * As {@link #executeAsync(TensorSet, TensorSet, ExecuteOptions)} with {@link ExecuteOptions#defaults()}.
     *
     * @param inputs the input tensors by name; not null; must stay open until the future completes
     * @param outputs the output tensors by name, overwritten; not null; must stay open until the future
     *     completes
     * @return a new future, completed as described there
     * @throws NullPointerException if an argument is null (the only error thrown at the call)
     */
    public CompletableFuture<Void> executeAsync(TensorSet inputs, TensorSet outputs) {
        return executeAsync(inputs, outputs, ExecuteOptions.defaults());
    }

    /**
     * Queues one execution of the model on its core and returns at once. The request runs as
     * {@link #execute} would, on a worker of the core, after every request submitted before it on that
     * core (by any model loaded there): requests on one core start and complete in submission order,
     * different cores run in parallel. A backend with native asynchronous execution may provide it
     * through {@link ModelHandle#submit}; every other backend runs its synchronous execution on that
     * worker.
     *
     * <p><b>Ownership:</b> the sets and their tensors stay the caller's, and must stay open until the
     * future completes. Closing one before the request starts makes the request fail with
     * {@link Status#CLOSED} without running; closing one while the request runs waits for it, as for
     * {@link #execute}.
     *
     * <p><b>Thread-safety:</b> may be called from any thread, concurrently with {@link #execute}, and
     * the future may be waited on or cancelled from any thread.
     *
     * <p><b>Errors:</b> only a null argument is thrown here ({@link NullPointerException}). Every other
     * failure completes the future exceptionally with a {@link NeuronException} (wrapped, as for any
     * {@link CompletableFuture}, in a {@link java.util.concurrent.CompletionException} by
     * {@code join()} and in an {@link java.util.concurrent.ExecutionException} by {@code get()}):
     * <ul>
     *   <li>what {@link #execute} throws: {@link Status#EXEC_BAD_INPUT} for a missing input or output or
     *       a wrong byte size, {@link Status#INVALID} for sets of another runtime, {@link Status#TIMEOUT}
     *       past the runtime's execution timeout, or what the backend reports;</li>
     *   <li>{@link Status#TIMEOUT} when {@link ExecuteOptions#withTimeout the per-call deadline} passes
     *       first;</li>
     *   <li>{@link Status#CLOSED} when the model, the runtime or one of the tensor sets is closed before
     *       the request starts — requests still queued then never run.</li>
     * </ul>
     *
     * <p><b>Cancellation:</b> {@code cancel} on the returned future (not on futures derived from it)
     * before the request starts means it never runs and never writes its outputs. After it has started,
     * {@code cancel} does not reach the device: the execution runs to its end and writes its outputs,
     * the next request waits for it, and only the caller sees the future as cancelled.
     *
     * <p><b>Close with pending work:</b> {@link #close()} and the runtime's close complete every request
     * of theirs that has not started with {@link Status#CLOSED}; a running request finishes, or is
     * stopped, exactly as a synchronous {@link #execute} would be. No future is left incomplete.
     *
     * @param inputs the input tensors by name, of this model's runtime; not null
     * @param outputs the output tensors by name, of this model's runtime, overwritten; not null
     * @param options the per-call deadline; not null
     * @return a new future that completes with {@code null} once the outputs are written
     * @throws NullPointerException if an argument is null
     */
    public CompletableFuture<Void> executeAsync(TensorSet inputs, TensorSet outputs, ExecuteOptions options) {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(outputs, "outputs");
        Objects.requireNonNull(options, "options");
        AsyncRequest request = new AsyncRequest(handle);
        options.timeout()
                .ifPresent(t -> Deadlines.arm(
                        request,
                        t,
                        () -> new NeuronException(
                                Status.TIMEOUT,
                                "execute model '" + name + "' asynchronously",
                                "the deadline of " + t + " passed before it completed; give a longer withTimeout")));
        if (!isOpen()) {
            request.completeExceptionally(closed("the model is closed"));
            return request;
        }
        runtime.queues()
                .submit(
                        core(),
                        request,
                        () -> runQueued(request, inputs, outputs),
                        () -> closed("the runtime was closed before the request started; it never ran"));
        return request;
    }

    /** On the core's worker: the request has started. */
    private void runQueued(AsyncRequest request, TensorSet inputs, TensorSet outputs) {
        try {
            executeChecked(inputs, outputs, true);
            request.complete(null);
        } catch (IllegalStateException e) {
            // The model or a tensor set was closed before the request started.
            request.completeExceptionally(
                    closed(e.getMessage() + "; keep the model and its tensor sets open until the future completes"));
        } catch (RuntimeException | Error e) {
            request.completeExceptionally(e);
        }
    }

    private NeuronException closed(String detail) {
        return new NeuronException(Status.CLOSED, "execute model '" + name + "' asynchronously", detail);
    }

    private void executeChecked(TensorSet inputs, TensorSet outputs, boolean viaSubmit) {
        lifecycle.enter();
        try {
            Map<String, Tensor> in = matched("input", signature.inputs(), inputs);
            Map<String, Tensor> out = matched("output", signature.outputs(), outputs);
            List<Lifecycle> entered = new ArrayList<>();
            try {
                for (Tensor t : in.values()) {
                    t.lifecycle().enterNested();
                    entered.add(t.lifecycle());
                }
                for (Tensor t : out.values()) {
                    t.lifecycle().enterNested();
                    entered.add(t.lifecycle());
                }
                if (viaSubmit) {
                    awaitSubmitted(handles(in), handles(out));
                } else {
                    handle.execute(handles(in), handles(out));
                }
            } finally {
                entered.forEach(Lifecycle::exit);
            }
        } finally {
            lifecycle.exit();
        }
    }

    /** Waits, holding the tensors open, for the backend's asynchronous execution to end. */
    private void awaitSubmitted(Map<String, TensorHandle> in, Map<String, TensorHandle> out) {
        UninterruptibleWait.get(
                handle.submit(in, out).toCompletableFuture(), "execute model '" + name + "' asynchronously");
    }

    /**
     * Runs the model on host data: allocates the inputs and outputs, writes {@code inputs} (by name,
     * each with the signature's dtype and shape), executes, and returns the outputs in signature order.
     *
     * @param inputs every input of the signature by name; extra entries are ignored; not null
     * @return the outputs by name, in signature order; a new mutable map the caller owns, holding host
     *     tensors (the device tensors used are freed before this returns)
     * @throws NeuronException {@link Status#EXEC_BAD_INPUT} if an input is missing or does not match the
     *     signature's dtype and shape, or what {@link #execute} throws
     */
    public Map<String, HostTensor> run(Map<String, HostTensor> inputs) {
        for (TensorInfo info : signature.inputs()) {
            HostTensor given = inputs.get(info.name());
            if (given == null) {
                throw new NeuronException(
                        Status.EXEC_BAD_INPUT,
                        "run model '" + name + "'",
                        "input '" + info.name() + "' is missing; the model takes " + signature.inputs());
            }
            if (given.dtype() != info.dtype() || !given.shape().equals(info.shape())) {
                throw new NeuronException(
                        Status.EXEC_BAD_INPUT,
                        "run model '" + name + "'",
                        "input '" + info.name() + "' is " + given.dtype().hloName() + given.shape()
                                + " but the model takes " + info.dtype().hloName() + info.shape());
            }
        }
        try (TensorSet in = allocateInputs();
                TensorSet out = allocateOutputs()) {
            for (TensorInfo info : signature.inputs()) {
                in.get(info.name()).write(inputs.get(info.name()));
            }
            execute(in, out);
            Map<String, HostTensor> results = new LinkedHashMap<>();
            for (TensorInfo info : signature.outputs()) {
                results.put(info.name(), out.get(info.name()).read(info.dtype(), info.shape()));
            }
            return results;
        }
    }

    private Map<String, Tensor> matched(String role, List<TensorInfo> wanted, TensorSet given) {
        if (given.runtime() != runtime) {
            throw new NeuronException(
                    Status.INVALID, "execute model '" + name + "'", "the " + role + " set belongs to another runtime");
        }
        Map<String, Tensor> all = given.snapshot();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (TensorInfo info : wanted) {
            Tensor t = all.get(info.name());
            if (t == null) {
                throw new NeuronException(
                        Status.EXEC_BAD_INPUT,
                        "execute model '" + name + "'",
                        role + " '" + info.name() + "' is missing from the " + role + " set (it holds " + all.keySet()
                                + "); allocate it with allocate" + (role.equals("input") ? "Inputs" : "Outputs")
                                + "()");
            }
            if (t.size() != info.byteSize()) {
                throw new NeuronException(
                        Status.EXEC_BAD_INPUT,
                        "execute model '" + name + "'",
                        role + " '" + info.name() + "' is " + t.size() + " bytes; the model needs " + info.byteSize()
                                + " (" + info.dtype().hloName() + info.shape() + ")");
            }
            out.put(info.name(), t);
        }
        return out;
    }

    private static Map<String, TensorHandle> handles(Map<String, Tensor> tensors) {
        Map<String, TensorHandle> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> out.put(k, v.handle()));
        return out;
    }

    /**
     * Unloads the model. Idempotent; waits for executions in progress. Its {@link #executeAsync} requests
     * that have not started complete with {@link Status#CLOSED} and never run.
     */
    @Override
    public void close() {
        runtime.queues()
                .failPending(handle, () -> closed("the model was closed before the request started; it never ran"));
        lifecycle.close();
    }

    @Override
    public String toString() {
        return lifecycle.description() + (isOpen() ? "" : " [closed]");
    }
}
