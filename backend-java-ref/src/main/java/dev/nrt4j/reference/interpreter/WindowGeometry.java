package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.Window;
import dev.nrt4j.hlo.WindowDimension;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where the windows of a {@code reduce-window} or {@code select-and-scatter} fall on the base
 * (input) array: the output (window-count) dimensions, and for each output position the input
 * elements its window covers, in row-major order of the window.
 *
 * <p>As in XLA's evaluator, a window position that lands in padding, or between base elements
 * spread apart by base dilation, covers no element and is skipped: it contributes nothing (the fold
 * starts from the init value, so padding behaves like the init value only for reducers where that
 * value is neutral).
 */
final class WindowGeometry {
    private final int rank;
    private final long[] inDims;
    private final int[] inStrides;
    private final long[] size;
    private final long[] stride;
    private final long[] padLow;
    private final long[] windowDilation;
    private final long[] baseDilation;
    private final long[] outDims;
    private final int windowCount;
    private final int maxCovered;

    private WindowGeometry(long[] inDims, List<WindowDimension> dims) {
        rank = inDims.length;
        this.inDims = inDims.clone();
        inStrides = Array.rowMajorStrides(inDims);
        size = new long[rank];
        stride = new long[rank];
        padLow = new long[rank];
        windowDilation = new long[rank];
        baseDilation = new long[rank];
        outDims = new long[rank];
        long count = 1;
        for (int d = 0; d < rank; d++) {
            WindowDimension w = dims.get(d);
            if (w.size() < 1 || w.stride() < 1 || w.windowDilation() < 1 || w.baseDilation() < 1) {
                throw new IllegalArgumentException(
                        "window dimension " + d + " " + w + " needs size, stride and dilations of at least 1");
            }
            if (w.windowReversal()) {
                throw new IllegalArgumentException("window reversal is only for convolutions");
            }
            size[d] = w.size();
            stride[d] = w.stride();
            padLow[d] = w.paddingLow();
            windowDilation[d] = w.windowDilation();
            baseDilation[d] = w.baseDilation();
            long dilatedBase =
                    inDims[d] == 0 ? 0 : Math.addExact(Math.multiplyExact(inDims[d] - 1, w.baseDilation()), 1);
            long padded = Math.addExact(Math.addExact(dilatedBase, w.paddingLow()), w.paddingHigh());
            long dilatedWindow = Math.addExact(Math.multiplyExact(w.size() - 1, w.windowDilation()), 1);
            outDims[d] = padded < dilatedWindow ? 0 : (padded - dilatedWindow) / w.stride() + 1;
            count = Math.multiplyExact(count, w.size());
        }
        if (count > Array.MAX_ELEMENTS) {
            throw new IllegalArgumentException("a window of " + count + " positions is too large");
        }
        windowCount = (int) count;
        long inSize = 1;
        for (long d : inDims) {
            inSize *= d;
        }
        // Distinct window positions land on distinct base elements, so no window covers more than the base holds.
        maxCovered = (int) Math.min(windowCount, inSize);
    }

    /**
     * The geometry of {@code window} over an array of {@code inDims}; an absent window means size 1
     * in every dimension.
     *
     * @throws IllegalArgumentException when the window does not fit the array
     */
    static WindowGeometry of(Optional<Window> window, long[] inDims) {
        List<WindowDimension> dims = window.map(Window::dimensions).orElse(List.of());
        if (window.isEmpty() && inDims.length > 0) {
            throw new IllegalArgumentException("a window is required");
        }
        if (dims.size() != inDims.length) {
            throw new IllegalArgumentException("the window has " + dims.size() + " dimensions, the operand "
                    + inDims.length + " " + Arrays.toString(inDims));
        }
        try {
            return new WindowGeometry(inDims, dims);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("window " + dims + " overflows", e);
        }
    }

    /** The output dimensions (windows per dimension). */
    long[] outDims() {
        return outDims.clone();
    }

    /**
     * The one window dimension longer than 1 (a window along a single axis, as cumulative reductions
     * use), or -1 when there is none or more than one.
     */
    int singleAxis() {
        int axis = -1;
        for (int d = 0; d < rank; d++) {
            if (size[d] > 1) {
                if (axis >= 0) {
                    return -1;
                }
                axis = d;
            }
        }
        return axis;
    }

    /** The number of window positions (the product of the window's sizes). */
    int windowSize() {
        return windowCount;
    }

    /** The most input elements one window can cover: a large enough buffer for {@link #covered}. */
    int maxCovered() {
        return maxCovered;
    }

    /**
     * Writes the row-major offsets of the input elements the window at output coordinates
     * {@code out} covers into {@code buf}, in the window's row-major order, and returns how many.
     */
    int covered(long[] out, int[] buf, long[] w) {
        return covered(out, buf, null, w);
    }

    /**
     * {@link #covered(long[], int[], long[])} that also writes, for each covered element, its window
     * position (the row-major index in the window, counting positions that cover nothing) into
     * {@code positions} unless it is null.
     */
    int covered(long[] out, int[] buf, int[] positions, long[] w) {
        Arrays.fill(w, 0);
        int n = 0;
        for (int k = 0; k < windowCount; k++) {
            int offset = 0;
            boolean inside = true;
            for (int d = 0; d < rank; d++) {
                long c = out[d] * stride[d] + w[d] * windowDilation[d] - padLow[d];
                if (c < 0 || c % baseDilation[d] != 0) {
                    inside = false;
                    break;
                }
                c /= baseDilation[d];
                if (c >= inDims[d]) {
                    inside = false;
                    break;
                }
                offset += (int) c * inStrides[d];
            }
            if (inside) {
                if (positions != null) {
                    positions[n] = k;
                }
                buf[n++] = offset;
            }
            for (int d = rank - 1; d >= 0; d--) {
                if (++w[d] < size[d]) {
                    break;
                }
                w[d] = 0;
            }
        }
        return n;
    }

    /** Advances row-major coordinates {@code c} within {@code dims}. */
    static void next(long[] c, long[] dims) {
        for (int d = c.length - 1; d >= 0; d--) {
            if (++c[d] < dims[d]) {
                return;
            }
            c[d] = 0;
        }
    }
}
