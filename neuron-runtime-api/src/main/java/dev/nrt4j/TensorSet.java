package dev.nrt4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Named tensors handed to {@link Model#execute}: a map from input or output name to {@link Tensor}.
 * Adding a name that is present replaces its tensor.
 *
 * <p><b>Ownership:</b> a set from {@link NeuronRuntime#newTensorSet()} only refers to its tensors:
 * closing it does not close them (as libnrt's {@code nrt_destroy_tensor_set}). A set from
 * {@link Model#allocateInputs()} or {@link Model#allocateOutputs()} owns the tensors it made and
 * closes them with itself; tensors added to it later are not owned.
 *
 * <p><b>Thread-safety:</b> all methods are thread-safe. <b>Errors:</b> {@link #get} of a missing name
 * is a {@link NeuronException} with {@link Status#FAILURE}, as in libnrt.
 */
public final class TensorSet implements AutoCloseable {
    private final NeuronRuntime runtime;
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final Lifecycle lifecycle;

    TensorSet(NeuronRuntime runtime, List<Tensor> owned, ResourceRegistry registry, boolean trackAllocation) {
        this.runtime = runtime;
        for (Tensor t : owned) {
            tensors.put(t.name(), t);
        }
        this.lifecycle = new Lifecycle(
                this,
                ResourceRegistry.Kind.TENSOR_SET,
                "tensor set of " + owned.size() + " owned tensors",
                new CloseOwned(owned),
                registry,
                trackAllocation);
    }

    /**
     * Adds {@code tensor} under {@code name}, replacing any tensor there.
     *
     * @param name the model input or output name it stands for; not null
     * @param tensor an open tensor of this set's runtime; not null. The set does not take ownership
     * @return this set, for chaining
     * @throws NeuronException {@link Status#INVALID} if the tensor belongs to another runtime
     * @throws IllegalStateException if the set or the tensor is closed
     */
    public TensorSet put(String name, Tensor tensor) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tensor, "tensor");
        if (tensor.runtime() != runtime) {
            throw new NeuronException(
                    Status.INVALID,
                    "add tensor '" + name + "' to a tensor set",
                    "the tensor belongs to another runtime");
        }
        if (!tensor.isOpen()) {
            throw new IllegalStateException(tensor + " cannot be added to a tensor set");
        }
        lifecycle.enter();
        try {
            synchronized (tensors) {
                tensors.put(name, tensor);
            }
        } finally {
            lifecycle.exit();
        }
        return this;
    }

    /**
     * The tensor under {@code name}.
     *
     * @param name the name it was put under
     * @return the tensor; still owned by whoever owned it (closing it here would free it for every user)
     * @throws NeuronException {@link Status#FAILURE} if there is none (libnrt's answer for a name its set lacks)
     * @throws NullPointerException if {@code name} is null
     */
    public Tensor get(String name) {
        Objects.requireNonNull(name, "name");
        lifecycle.enter();
        try {
            Tensor t;
            synchronized (tensors) {
                t = tensors.get(name);
            }
            if (t == null) {
                throw new NeuronException(
                        Status.FAILURE,
                        "get tensor '" + name + "' from a tensor set",
                        "no tensor has that name; the set holds " + names());
            }
            return t;
        } finally {
            lifecycle.exit();
        }
    }

    /**
     * Whether a tensor is under {@code name}.
     *
     * @param name the name to look for
     * @return whether a tensor (open or since closed) is under it
     * @throws IllegalStateException if the set is closed
     */
    public boolean contains(String name) {
        lifecycle.enter();
        try {
            synchronized (tensors) {
                return tensors.containsKey(name);
            }
        } finally {
            lifecycle.exit();
        }
    }

    /** {@return a new list of the names, in the order they were first added; the caller's to change} */
    public List<String> names() {
        synchronized (tensors) {
            return new ArrayList<>(tensors.keySet());
        }
    }

    /** A snapshot of the entries, in the order they were first added. */
    Map<String, Tensor> snapshot() {
        lifecycle.enter();
        try {
            synchronized (tensors) {
                return new LinkedHashMap<>(tensors);
            }
        } finally {
            lifecycle.exit();
        }
    }

    NeuronRuntime runtime() {
        return runtime;
    }

    /** {@return whether the set is still open} */
    public boolean isOpen() {
        return lifecycle.isOpen();
    }

    /** Closes the set, and the tensors it owns (see the class description). Idempotent. */
    @Override
    public void close() {
        lifecycle.close();
    }

    /**
     * Release action. It holds the owned tensors' lifecycles, not the tensors: what a cleaner action
     * reaches stays reachable, and a {@link Tensor} would keep its runtime alive a collection longer.
     */
    private static final class CloseOwned implements Runnable {
        private final List<Lifecycle> owned;

        CloseOwned(List<Tensor> owned) {
            this.owned = owned.stream().map(Tensor::lifecycle).collect(java.util.stream.Collectors.toList());
        }

        @Override
        public void run() {
            for (Lifecycle t : owned) {
                t.close();
            }
        }
    }
}
