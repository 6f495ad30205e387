package dev.nrt4j;

/** Where a tensor's bytes live. */
public enum TensorPlacement {
    /** In the device memory (HBM) of a NeuronCore: the normal place for model inputs and outputs. */
    DEVICE,
    /** In host memory that the runtime manages. */
    HOST
}
