package dev.nrt4j.hlo;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * {@link HloTypeChecker} rules for the ops that slide a {@link Window} over their operand:
 * {@code reduce-window}, {@code select-and-scatter} and {@code convolution}. Output sizes follow XLA's
 * window arithmetic: the base is dilated ({@code (n-1)*lhs_dilate+1}, 0 stays 0) and padded, the
 * window is dilated likewise, and the output has {@code (base-window)/stride+1} positions, or none when
 * the window is larger than the base.
 */
final class WindowRules {
    private WindowRules() {}

    static void register(Map<HloOpcode, BiConsumer<CheckSite, HloInstruction>> r) {
        r.put(HloOpcode.REDUCE_WINDOW, WindowRules::reduceWindow);
        r.put(HloOpcode.SELECT_AND_SCATTER, WindowRules::selectAndScatter);
        r.put(HloOpcode.CONVOLUTION, WindowRules::convolution);
    }

    /** Output positions of one window dimension over a base of {@code base} elements. */
    static long outputSize(CheckSite x, WindowDimension w, long base, String where) {
        if (w.size() < 1 || w.stride() < 1 || w.windowDilation() < 1 || w.baseDilation() < 1) {
            throw x.invalid(
                    "window " + describe(w) + " of " + where + " needs a size, stride and dilations of 1 or more");
        }
        try {
            long dilatedBase = base == 0 ? 0 : Math.addExact(Math.multiplyExact(base - 1, w.baseDilation()), 1);
            long padded = Math.addExact(Math.addExact(dilatedBase, w.paddingLow()), w.paddingHigh());
            long window = Math.addExact(Math.multiplyExact(w.size() - 1, w.windowDilation()), 1);
            if (padded < 0) {
                throw x.invalid(
                        "window " + describe(w) + " pads " + where + " of size " + base + " to a negative size");
            }
            return window > padded ? 0 : (padded - window) / w.stride() + 1;
        } catch (ArithmeticException e) {
            throw x.invalid("window " + describe(w) + " over " + where + " of size " + base + " overflows");
        }
    }

    private static String describe(WindowDimension w) {
        return "{size=" + w.size() + " stride=" + w.stride() + " pad=" + w.paddingLow() + "_" + w.paddingHigh()
                + " lhs_dilate=" + w.baseDilation() + " rhs_dilate=" + w.windowDilation() + "}";
    }

    /** The window must have one dimension per dimension of {@code s}; returns the output dimensions. */
    private static long[] windowOver(CheckSite x, HloShape s, String what) {
        List<WindowDimension> w =
                x.instruction().window().map(Window::dimensions).orElse(List.of());
        if (w.size() != s.rank()) {
            throw x.invalid("window has " + w.size() + " dimensions, " + what + " " + s + " has " + s.rank());
        }
        long[] out = new long[s.rank()];
        for (int k = 0; k < out.length; k++) {
            out[k] = outputSize(x, w.get(k), s.dim(k), "dimension " + k + " of " + what);
        }
        return out;
    }

    /**
     * N inputs of one set of dimensions, N scalar initial values, a reducer of 2N scalars, and results
     * of the window's output dimensions. Element types are left unchecked, as for {@code reduce}.
     */
    private static void reduceWindow(CheckSite x, HloInstruction i) {
        int n = x.inputsAndInitialValues();
        x.calledCount(1);
        HloShape in = x.array(0);
        long[] dims = windowOver(x, in, "operand 0");
        x.scalarParameters("to_apply", i.calledComputations().get(0), 2 * n);
        x.variadicResult(n, dims, "the window over operand 0 " + in);
    }

    /**
     * Operand, source and a scalar initial value: the source has the shape of the window's output over
     * the operand, {@code select} compares two scalars to a {@code pred[]}, {@code scatter} combines two
     * scalars, and the result has the operand's shape.
     */
    private static void selectAndScatter(CheckSite x, HloInstruction i) {
        x.operands(3);
        x.calledCount(2);
        HloShape operand = x.array(0);
        HloShape source = x.array(1);
        HloShape init = x.array(2);
        long[] dims = windowOver(x, operand, "operand 0");
        if (!Arrays.equals(source.dims(), dims)) {
            throw x.invalid("operand 1 is " + source + ", expected the dimensions " + Arrays.toString(dims)
                    + " of the window over operand 0 " + operand);
        }
        if (init.rank() != 0) {
            throw x.invalid("operand 2 is " + init + ", expected a scalar initial value");
        }
        HloComputation select = i.calledComputations().get(0);
        x.scalarParameters("select", select, 2);
        if (!select.resultShape().sameDimensionsAndType(HloShape.array(ElementType.PRED))) {
            throw x.invalid("select " + select.name() + " returns " + select.resultShape() + ", expected pred[]");
        }
        x.scalarParameters("scatter", i.calledComputations().get(1), 2);
        x.result(operand);
    }

    /**
     * Lhs and rhs of the ranks the dimension numbers describe; feature and batch groups dividing the
     * features and batch as XLA requires; kernel spatial sizes equal to the window's; the result's
     * batch, feature and spatial sizes. Only dimensions: the result type may be a preferred type.
     */
    private static void convolution(CheckSite x, HloInstruction i) {
        x.operands(2);
        HloShape l = x.array(0);
        HloShape k = x.array(1);
        HloShape res = x.resultArray();
        ConvolutionDimensions d =
                i.convolutionDimensions().orElseThrow(() -> x.invalid("has no dimension numbers (dim_labels)"));
        int spatial = d.inputSpatial().size();
        labels(x, "input", l, d.inputBatch(), d.inputFeature(), d.inputSpatial());
        labels(x, "kernel", k, d.kernelInputFeature(), d.kernelOutputFeature(), d.kernelSpatial());
        labels(x, "output", res, d.outputBatch(), d.outputFeature(), d.outputSpatial());
        List<WindowDimension> w = i.window().map(Window::dimensions).orElse(List.of());
        if (w.size() != spatial) {
            throw x.invalid(
                    "window has " + w.size() + " dimensions, expected one per spatial dimension (" + spatial + ")");
        }
        long fgc = i.featureGroupCount();
        long bgc = i.batchGroupCount();
        if (fgc < 1 || bgc < 1 || (fgc > 1 && bgc > 1)) {
            throw x.invalid("feature_group_count=" + fgc + " and batch_group_count=" + bgc
                    + " must be 1 or more, and not both above 1");
        }
        long batch = l.dim(d.inputBatch());
        long inFeatures = l.dim(d.inputFeature());
        long kernelIn = k.dim(d.kernelInputFeature());
        long kernelOut = k.dim(d.kernelOutputFeature());
        if (inFeatures % fgc != 0 || inFeatures / fgc != kernelIn) {
            throw x.invalid("input features " + inFeatures + " of operand 0 " + l + " divided into " + fgc
                    + " feature groups must equal the kernel's input features " + kernelIn + " of operand 1 " + k);
        }
        if (kernelOut % fgc != 0 || kernelOut % bgc != 0 || batch % bgc != 0) {
            throw x.invalid("kernel output features " + kernelOut + " of operand 1 " + k + " and batch " + batch
                    + " of operand 0 " + l + " must be multiples of the group counts (" + fgc + ", " + bgc + ")");
        }
        long[] dims = new long[spatial + 2];
        dims[d.outputBatch()] = batch / bgc;
        dims[d.outputFeature()] = kernelOut;
        for (int s = 0; s < spatial; s++) {
            long kernelSize = k.dim(d.kernelSpatial().get(s));
            if (w.get(s).size() != kernelSize) {
                throw x.invalid("window size " + w.get(s).size() + " of spatial dimension " + s
                        + " differs from its size " + kernelSize + " in operand 1 " + k);
            }
            dims[d.outputSpatial().get(s)] =
                    outputSize(x, w.get(s), l.dim(d.inputSpatial().get(s)), "spatial dimension " + s + " of operand 0");
        }
        x.result(HloTypeChecker.inferred(x, res.elementType(), dims));
    }

    /** The two named dimensions and the spatial ones are each dimension of {@code s} exactly once. */
    private static void labels(CheckSite x, String what, HloShape s, int a, int b, List<Integer> spatial) {
        boolean[] seen = new boolean[s.rank()];
        boolean ok = spatial.size() + 2 == s.rank();
        for (int k = -2; ok && k < spatial.size(); k++) {
            int d = k == -2 ? a : k == -1 ? b : spatial.get(k);
            ok = d >= 0 && d < seen.length && !seen[d];
            if (ok) {
                seen[d] = true;
            }
        }
        if (!ok) {
            throw x.invalid("the " + what + " dimension numbers (" + a + ", " + b + ", spatial " + spatial
                    + ") do not name each dimension of " + s + " once");
        }
    }
}
