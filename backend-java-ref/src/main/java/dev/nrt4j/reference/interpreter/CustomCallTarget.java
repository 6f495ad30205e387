package dev.nrt4j.reference.interpreter;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code custom-call} targets the reference device implements, by the name a program gives in
 * {@code custom_call_target}. Targets are an open set (any producer may invent one), so the IR keeps
 * the name as text and only this interpreter says which names it knows: {@link CustomCallOps} dispatches
 * on these constants, and {@link Evaluator#unsupportedOperations} names any other target as missing.
 *
 * <p>Immutable and thread-safe.
 */
enum CustomCallTarget {
    // Annotations that leave values unchanged on one device.
    SDY_FUNC_RESULT_SHARDING("xla.sdy.FuncResultSharding", true),
    SDY_GLOBAL_TO_LOCAL_SHAPE("xla.sdy.GlobalToLocalShape", true),
    SDY_LOCAL_TO_GLOBAL_SHAPE("xla.sdy.LocalToGlobalShape", true),
    SDY_SHARDING("xla.sdy.Sharding", true),
    SDY_SHARDING_CONSTRAINT("xla.sdy.ShardingConstraint", true),
    SDY_PROPAGATION_BARRIER("xla.sdy.PropagationBarrier", true),
    SHARDING("Sharding", true),
    SPMD_FULL_TO_SHARD_SHAPE("SPMDFullToShardShape", true),
    SPMD_SHARD_TO_FULL_SHAPE("SPMDShardToFullShape", true),
    NEURON_LNC_SHARDING_CONSTRAINT("AwsNeuronLNCShardingConstraint", true),
    NEURON_MODULE_MARKER_START_FORWARD("AwsNeuronModuleMarkerStart-Forward", true),
    NEURON_MODULE_MARKER_START_BACKWARD("AwsNeuronModuleMarkerStart-Backward", true),
    NEURON_MODULE_MARKER_END_FORWARD("AwsNeuronModuleMarkerEnd-Forward", true),
    NEURON_MODULE_MARKER_END_BACKWARD("AwsNeuronModuleMarkerEnd-Backward", true),
    NEURON_BOUNDARY_MARKER_START("NeuronBoundaryMarker-Start", true),
    NEURON_BOUNDARY_MARKER_END("NeuronBoundaryMarker-End", true),
    // Neuron's elementwise activations.
    NEURON_ERF("AwsNeuronErf", false),
    NEURON_GELU("AwsNeuronGelu", false),
    NEURON_GELU_APPROX_TANH("AwsNeuronGeluApprxTanh", false),
    NEURON_SILU("AwsNeuronSilu", false);

    private static final Map<String, CustomCallTarget> BY_NAME = byName();

    private final String text;
    private final boolean passThrough;

    CustomCallTarget(String text, boolean passThrough) {
        this.text = text;
        this.passThrough = passThrough;
    }

    private static Map<String, CustomCallTarget> byName() {
        Map<String, CustomCallTarget> m = new HashMap<>();
        for (CustomCallTarget t : values()) {
            m.put(t.text, t);
        }
        return Map.copyOf(m);
    }

    /** The target as {@code custom_call_target} spells it (case matters). */
    String text() {
        return text;
    }

    /** Whether it is an annotation whose result is its operand (a tuple of them when there are several). */
    boolean passesThrough() {
        return passThrough;
    }

    /** The implemented target of this name, or empty for one the reference device does not implement. */
    static Optional<CustomCallTarget> fromName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    @Override
    public String toString() {
        return text;
    }
}
