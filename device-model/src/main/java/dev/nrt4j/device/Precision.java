package dev.nrt4j.device;

/**
 * The number formats for which AWS publishes a chip's peak compute; the key of
 * {@link NeuronChip#peakTflops(Precision)}.
 *
 * <p>Immutable and thread-safe.
 */
public enum Precision {
    /** IEEE single precision. */
    FP32,
    /** TensorFloat-32: FP32 range with a 10-bit mantissa. */
    TF32,
    /** bfloat16. */
    BF16,
    /** IEEE half precision. */
    FP16,
    /**
     * 8-bit floating point. The figure is the chip's best published 8-bit float rate: configurable
     * FP8 (cFP8) on v2 cores, FP8 on Trainium2, MXFP8 on Trainium3.
     */
    FP8,
    /** 8-bit integer; its peak is in tera-operations per second (TOPS), not FLOPS. */
    INT8
}
