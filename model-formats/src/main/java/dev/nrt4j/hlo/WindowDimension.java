package dev.nrt4j.hlo;

/**
 * One dimension of a {@link Window}: the window's size and stride, padding of the base area, and
 * dilations (XLA's {@code WindowDimension}).
 *
 * @param size window size
 * @param stride step between windows, at least 1
 * @param paddingLow padding before the base (may be negative)
 * @param paddingHigh padding after the base (may be negative)
 * @param windowDilation dilation of the window (rhs_dilate), at least 1
 * @param baseDilation dilation of the base (lhs_dilate), at least 1
 * @param windowReversal whether the window is reversed (convolution only)
 */
public record WindowDimension(
        long size,
        long stride,
        long paddingLow,
        long paddingHigh,
        long windowDilation,
        long baseDilation,
        boolean windowReversal) {
    /** A window dimension of this size with stride 1, no padding and no dilation. */
    public static WindowDimension ofSize(long size) {
        return new WindowDimension(size, 1, 0, 0, 1, 1, false);
    }
}
