package dev.nrt4j.nativert.binding;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;

/**
 * Turns an {@code NRT_STATUS} into a {@link NeuronException} whose message says what failed, the
 * runtime's own text for the code and what to do. Thread-safe.
 */
public final class NrtStatus {
    private NrtStatus() {}

    /**
     * Returns when {@code status} is {@code NRT_SUCCESS}.
     *
     * @param status the code the function returned
     * @param function the C function, e.g. {@code nrt_load}
     * @param lib for {@code nrt_get_status_as_str}
     * @throws NeuronException with {@link Status#fromCode(int)} (or {@link Status#UNKNOWN} and the raw code)
     */
    public static void check(int status, String function, LibNrt lib) {
        if (status != 0) {
            throw failure(status, function, lib);
        }
    }

    /** The exception for a non-success {@code status} of {@code function}. */
    public static NeuronException failure(int status, String function, LibNrt lib) {
        String text;
        try {
            text = lib.statusText(status).orElse("");
        } catch (RuntimeException e) {
            text = "";
        }
        String detail =
                (text.isEmpty() ? "libnrt returned " + status : "libnrt: " + text) + hint(Status.fromCode(status));
        return NeuronException.fromCode(status, function, detail);
    }

    private static String hint(Status s) {
        switch (s) {
            case UNINITIALIZED:
            case CLOSED:
                return "; the runtime is not open: open a NeuronRuntime and use handles only while it is open";
            case RESOURCE:
                return "; device memory is full or the cores are owned by another process: free tensors or"
                        + " unload models, or choose other cores with NEURON_RT_VISIBLE_CORES";
            case LOAD_NOT_ENOUGH_NC:
                return "; the model needs more NeuronCores than this process has: widen NEURON_RT_VISIBLE_CORES";
            case INVALID:
                return "; check the model file, names, sizes, offsets and core indices";
            case UNSUPPORTED_NEFF_VERSION:
                return "; recompile the model with a neuronx-cc that matches this runtime";
            case EXEC_BAD_INPUT:
                return "; every model input and output needs a tensor of the model's byte size, named as in its signature";
            case INVALID_HANDLE:
                return "; the handle is not valid (already freed or from another runtime)";
            default:
                return "";
        }
    }
}
