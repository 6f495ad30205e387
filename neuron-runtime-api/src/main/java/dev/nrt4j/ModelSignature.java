package dev.nrt4j;

import java.util.List;
import java.util.Optional;

/**
 * A model's inputs and outputs, in order. Immutable and thread-safe.
 */
public final class ModelSignature {
    private final List<TensorInfo> inputs;
    private final List<TensorInfo> outputs;

    /**
     * A signature with these inputs and outputs, in order.
     *
     * @param inputs the inputs in parameter order; copied, not null and without null elements
     * @param outputs the outputs in result order; copied, not null and without null elements
     * @throws NullPointerException if a list or an element is null
     */
    public ModelSignature(List<TensorInfo> inputs, List<TensorInfo> outputs) {
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
    }

    /** {@return the inputs in parameter order ({@code input0..N} for XLA graphs); unmodifiable} */
    public List<TensorInfo> inputs() {
        return inputs;
    }

    /** {@return the outputs in flattened result order ({@code output0..M} for XLA graphs); unmodifiable} */
    public List<TensorInfo> outputs() {
        return outputs;
    }

    /**
     * The input with this name, if any.
     *
     * @param name the input's name, exact and case-sensitive
     * @return the first input so named, or empty
     */
    public Optional<TensorInfo> input(String name) {
        return inputs.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * The output with this name, if any.
     *
     * @param name the output's name, exact and case-sensitive
     * @return the first output so named, or empty
     */
    public Optional<TensorInfo> output(String name) {
        return outputs.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSignature
                && inputs.equals(((ModelSignature) o).inputs)
                && outputs.equals(((ModelSignature) o).outputs);
    }

    @Override
    public int hashCode() {
        return inputs.hashCode() * 31 + outputs.hashCode();
    }

    @Override
    public String toString() {
        return "inputs " + inputs + ", outputs " + outputs;
    }
}
