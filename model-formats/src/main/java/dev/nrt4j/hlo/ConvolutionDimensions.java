package dev.nrt4j.hlo;

import java.util.List;

/**
 * Which dimension of a convolution's input, kernel and output is batch, feature or spatial (XLA's
 * {@code ConvolutionDimensionNumbers}; HLO text writes them as {@code dim_labels=b01f_01io->b01f}).
 *
 * @param inputBatch input batch dimension
 * @param inputFeature input feature dimension
 * @param inputSpatial input spatial dimensions, in window order
 * @param kernelInputFeature kernel input-feature dimension
 * @param kernelOutputFeature kernel output-feature dimension
 * @param kernelSpatial kernel spatial dimensions
 * @param outputBatch output batch dimension
 * @param outputFeature output feature dimension
 * @param outputSpatial output spatial dimensions
 */
public record ConvolutionDimensions(
        int inputBatch,
        int inputFeature,
        List<Integer> inputSpatial,
        int kernelInputFeature,
        int kernelOutputFeature,
        List<Integer> kernelSpatial,
        int outputBatch,
        int outputFeature,
        List<Integer> outputSpatial) {
    /** Copies the lists. */
    public ConvolutionDimensions {
        inputSpatial = List.copyOf(inputSpatial);
        kernelSpatial = List.copyOf(kernelSpatial);
        outputSpatial = List.copyOf(outputSpatial);
    }
}
