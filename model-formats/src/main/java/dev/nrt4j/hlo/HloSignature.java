package dev.nrt4j.hlo;

import dev.nrt4j.DType;
import dev.nrt4j.ModelSignature;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Shape;
import dev.nrt4j.Status;
import dev.nrt4j.TensorInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * The runtime signature of an HLO module as neuronx-cc names it for XLA graphs: {@code input<i>} per
 * entry parameter in parameter order, {@code output<j>} per array leaf of the result, tuples
 * flattened depth-first. Both backends name I/O this way, so code written against one runs on the other.
 * Stateless and thread-safe.
 */
public final class HloSignature {
    private HloSignature() {}

    /**
     * @throws NeuronException {@link Status#INVALID} if a parameter is not an array, or an input or output has
     *     an element type the runtime API cannot carry
     */
    public static ModelSignature of(HloComputation entry, String source) {
        List<TensorInfo> inputs = new ArrayList<>();
        for (HloInstruction p : entry.parameters()) {
            if (!p.shape().isArray()) {
                throw new NeuronException(
                        Status.INVALID,
                        "load " + source,
                        "parameter " + p.parameterNumber() + " (" + p.name() + ") is " + p.shape()
                                + "; the runtime passes arrays only, so tuple parameters cannot be inputs");
            }
            inputs.add(info("input" + inputs.size(), p.shape(), source));
        }
        List<HloShape> leaves = new ArrayList<>();
        flatten(entry.resultShape(), leaves);
        List<TensorInfo> outputs = new ArrayList<>();
        for (HloShape leaf : leaves) {
            outputs.add(info("output" + outputs.size(), leaf, source));
        }
        return new ModelSignature(inputs, outputs);
    }

    /** Adds the array leaves of {@code shape} to {@code leaves}, depth-first (tokens are skipped). */
    public static void flatten(HloShape shape, List<HloShape> leaves) {
        if (shape.isTuple()) {
            for (HloShape s : shape.tupleShapes()) {
                flatten(s, leaves);
            }
        } else if (shape.isArray()) {
            leaves.add(shape);
        }
    }

    private static TensorInfo info(String name, HloShape shape, String source) {
        DType dtype = shape.elementType()
                .toDType()
                .orElseThrow(() -> new NeuronException(
                        Status.INVALID,
                        "load " + source,
                        name + " is " + shape + "; runtime tensors cannot carry "
                                + shape.elementType().textName() + " elements"));
        return new TensorInfo(name, dtype, Shape.of(shape.dims()));
    }
}
