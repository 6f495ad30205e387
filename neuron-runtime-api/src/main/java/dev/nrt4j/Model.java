package dev.nrt4j;

import dev.nrt4j.spi.ModelHandle;
import dev.nrt4j.spi.TensorHandle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
                handle.execute(handles(in), handles(out));
            } finally {
                entered.forEach(Lifecycle::exit);
            }
        } finally {
            lifecycle.exit();
        }
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

    /** Unloads the model. Idempotent; waits for executions in progress. */
    @Override
    public void close() {
        lifecycle.close();
    }

    @Override
    public String toString() {
        return lifecycle.description() + (isOpen() ? "" : " [closed]");
    }
}
