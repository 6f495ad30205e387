package dev.nrt4j.hlo.proto;

import dev.nrt4j.hlo.ConvolutionDimensions;
import dev.nrt4j.hlo.DotDimensions;
import dev.nrt4j.hlo.GatherDimensions;
import dev.nrt4j.hlo.PaddingDimension;
import dev.nrt4j.hlo.ScatterDimensions;
import dev.nrt4j.hlo.SliceDimension;
import dev.nrt4j.hlo.SourceTargetPair;
import dev.nrt4j.hlo.TriangularSolveOptions;
import dev.nrt4j.hlo.Window;
import dev.nrt4j.hlo.WindowDimension;
import dev.nrt4j.hlo.proto.schema.ConvolutionDimensionNumbers;
import dev.nrt4j.hlo.proto.schema.DotDimensionNumbers;
import dev.nrt4j.hlo.proto.schema.GatherDimensionNumbers;
import dev.nrt4j.hlo.proto.schema.PaddingConfig;
import dev.nrt4j.hlo.proto.schema.ScatterDimensionNumbers;
import dev.nrt4j.hlo.proto.schema.SliceDimensions;
import dev.nrt4j.hlo.proto.schema.SourceTarget;
import java.util.ArrayList;
import java.util.List;

/**
 * The attribute messages of an instruction (windows, dimension numbers, slices, padding, pairs,
 * triangular-solve options) to the IR's records and back. Both directions sit side by side so that
 * the defaults they agree on stay in one place: proto3 cannot tell an unset stride or dilation from
 * 0, so 0 reads as XLA's default 1, and the writer refuses a 0 that would not read back.
 *
 * <p>Reading needs the source for messages (an instance per read); writing is static.
 */
final class AttributeConverter {
    private final String source;

    AttributeConverter(String source) {
        this.source = source;
    }

    // ------------------------------------------------------------------------------ proto to IR

    Window window(dev.nrt4j.hlo.proto.schema.Window w) {
        List<WindowDimension> dims = new ArrayList<>(w.getDimensionsCount());
        for (var d : w.getDimensionsList()) {
            dims.add(new WindowDimension(
                    d.getSize(),
                    oneIfZero(d.getStride()),
                    d.getPaddingLow(),
                    d.getPaddingHigh(),
                    oneIfZero(d.getWindowDilation()),
                    oneIfZero(d.getBaseDilation()),
                    d.getWindowReversal()));
        }
        return new Window(dims);
    }

    ConvolutionDimensions convolution(ConvolutionDimensionNumbers c, String what) {
        return new ConvolutionDimensions(
                toInt(c.getInputBatchDimension(), what),
                toInt(c.getInputFeatureDimension(), what),
                ints(c.getInputSpatialDimensionsList(), what),
                toInt(c.getKernelInputFeatureDimension(), what),
                toInt(c.getKernelOutputFeatureDimension(), what),
                ints(c.getKernelSpatialDimensionsList(), what),
                toInt(c.getOutputBatchDimension(), what),
                toInt(c.getOutputFeatureDimension(), what),
                ints(c.getOutputSpatialDimensionsList(), what));
    }

    static List<SliceDimension> slice(List<SliceDimensions> slices) {
        List<SliceDimension> out = new ArrayList<>(slices.size());
        slices.forEach(s -> out.add(new SliceDimension(s.getStart(), s.getLimit(), oneIfZero(s.getStride()))));
        return out;
    }

    static List<PaddingDimension> padding(PaddingConfig p) {
        List<PaddingDimension> out = new ArrayList<>(p.getDimensionsCount());
        p.getDimensionsList()
                .forEach(d -> out.add(
                        new PaddingDimension(d.getEdgePaddingLow(), d.getEdgePaddingHigh(), d.getInteriorPadding())));
        return out;
    }

    DotDimensions dot(DotDimensionNumbers d, String what) {
        return new DotDimensions(
                ints(d.getLhsContractingDimensionsList(), what),
                ints(d.getRhsContractingDimensionsList(), what),
                ints(d.getLhsBatchDimensionsList(), what),
                ints(d.getRhsBatchDimensionsList(), what));
    }

    GatherDimensions gather(GatherDimensionNumbers g, String what) {
        return new GatherDimensions(
                ints(g.getOffsetDimsList(), what),
                ints(g.getCollapsedSliceDimsList(), what),
                ints(g.getStartIndexMapList(), what),
                toInt(g.getIndexVectorDim(), what),
                ints(g.getOperandBatchingDimsList(), what),
                ints(g.getStartIndicesBatchingDimsList(), what));
    }

    ScatterDimensions scatter(ScatterDimensionNumbers s, String what) {
        return new ScatterDimensions(
                ints(s.getUpdateWindowDimsList(), what),
                ints(s.getInsertedWindowDimsList(), what),
                ints(s.getScatterDimsToOperandDimsList(), what),
                toInt(s.getIndexVectorDim(), what),
                ints(s.getInputBatchingDimsList(), what),
                ints(s.getScatterIndicesBatchingDimsList(), what));
    }

    static List<SourceTargetPair> pairs(List<SourceTarget> pairs) {
        List<SourceTargetPair> out = new ArrayList<>(pairs.size());
        pairs.forEach(s -> out.add(new SourceTargetPair(s.getSource(), s.getTarget())));
        return out;
    }

    static TriangularSolveOptions triangularSolve(dev.nrt4j.hlo.proto.schema.TriangularSolveOptions o) {
        return new TriangularSolveOptions(
                o.getLeftSide(), o.getLower(), o.getUnitDiagonal(), EnumField.TRANSPOSE_A.name(o.getTransposeA()));
    }

    /** A stride, dilation or group count as read: proto3's unset 0 is XLA's default 1 (0 is never valid). */
    static long oneIfZero(long v) {
        return v == 0 ? 1 : v;
    }

    private int toInt(long v, String what) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw ProtoFailure.invalid(source, what + ": dimension number " + v + " is out of range");
        }
        return (int) v;
    }

    private List<Integer> ints(List<Long> values, String what) {
        List<Integer> out = new ArrayList<>(values.size());
        for (long v : values) {
            out.add(toInt(v, what));
        }
        return out;
    }

    // ------------------------------------------------------------------------------ IR to proto

    /** @throws IllegalArgumentException for a stride or dilation of 0, which would read back as 1 */
    static dev.nrt4j.hlo.proto.schema.Window toProto(Window w, String what) {
        var b = dev.nrt4j.hlo.proto.schema.Window.newBuilder();
        for (WindowDimension d : w.dimensions()) {
            var p = dev.nrt4j.hlo.proto.schema.WindowDimension.newBuilder()
                    .setSize(d.size())
                    .setStride(notZero(d.stride(), "window stride", what))
                    .setPaddingLow(d.paddingLow())
                    .setPaddingHigh(d.paddingHigh())
                    .setWindowDilation(notZero(d.windowDilation(), "window dilation", what))
                    .setBaseDilation(notZero(d.baseDilation(), "base dilation", what))
                    .setWindowReversal(d.windowReversal());
            b.addDimensions(p);
        }
        return b.build();
    }

    static ConvolutionDimensionNumbers toProto(ConvolutionDimensions c) {
        return ConvolutionDimensionNumbers.newBuilder()
                .setInputBatchDimension(c.inputBatch())
                .setInputFeatureDimension(c.inputFeature())
                .addAllInputSpatialDimensions(longs(c.inputSpatial()))
                .setKernelInputFeatureDimension(c.kernelInputFeature())
                .setKernelOutputFeatureDimension(c.kernelOutputFeature())
                .addAllKernelSpatialDimensions(longs(c.kernelSpatial()))
                .setOutputBatchDimension(c.outputBatch())
                .setOutputFeatureDimension(c.outputFeature())
                .addAllOutputSpatialDimensions(longs(c.outputSpatial()))
                .build();
    }

    /** @throws IllegalArgumentException for a stride of 0, which would read back as 1 */
    static List<SliceDimensions> toProto(List<SliceDimension> slice, String what) {
        List<SliceDimensions> out = new ArrayList<>(slice.size());
        for (SliceDimension s : slice) {
            out.add(SliceDimensions.newBuilder()
                    .setStart(s.start())
                    .setLimit(s.limit())
                    .setStride(notZero(s.stride(), "slice stride", what))
                    .build());
        }
        return out;
    }

    static PaddingConfig paddingToProto(List<PaddingDimension> padding) {
        PaddingConfig.Builder b = PaddingConfig.newBuilder();
        for (PaddingDimension p : padding) {
            b.addDimensions(PaddingConfig.PaddingConfigDimension.newBuilder()
                    .setEdgePaddingLow(p.low())
                    .setEdgePaddingHigh(p.high())
                    .setInteriorPadding(p.interior()));
        }
        return b.build();
    }

    static DotDimensionNumbers toProto(DotDimensions d) {
        return DotDimensionNumbers.newBuilder()
                .addAllLhsContractingDimensions(longs(d.lhsContracting()))
                .addAllRhsContractingDimensions(longs(d.rhsContracting()))
                .addAllLhsBatchDimensions(longs(d.lhsBatch()))
                .addAllRhsBatchDimensions(longs(d.rhsBatch()))
                .build();
    }

    static GatherDimensionNumbers toProto(GatherDimensions g) {
        return GatherDimensionNumbers.newBuilder()
                .addAllOffsetDims(longs(g.offsetDims()))
                .addAllCollapsedSliceDims(longs(g.collapsedSliceDims()))
                .addAllStartIndexMap(longs(g.startIndexMap()))
                .setIndexVectorDim(g.indexVectorDim())
                .addAllOperandBatchingDims(longs(g.operandBatchingDims()))
                .addAllStartIndicesBatchingDims(longs(g.startIndicesBatchingDims()))
                .build();
    }

    static ScatterDimensionNumbers toProto(ScatterDimensions s) {
        return ScatterDimensionNumbers.newBuilder()
                .addAllUpdateWindowDims(longs(s.updateWindowDims()))
                .addAllInsertedWindowDims(longs(s.insertedWindowDims()))
                .addAllScatterDimsToOperandDims(longs(s.scatterDimsToOperandDims()))
                .setIndexVectorDim(s.indexVectorDim())
                .addAllInputBatchingDims(longs(s.inputBatchingDims()))
                .addAllScatterIndicesBatchingDims(longs(s.scatterIndicesBatchingDims()))
                .build();
    }

    static List<SourceTarget> pairsToProto(List<SourceTargetPair> pairs) {
        List<SourceTarget> out = new ArrayList<>(pairs.size());
        pairs.forEach(p -> out.add(SourceTarget.newBuilder()
                .setSource(p.source())
                .setTarget(p.target())
                .build()));
        return out;
    }

    /** @throws IllegalArgumentException for a transpose_a name XLA does not have */
    static dev.nrt4j.hlo.proto.schema.TriangularSolveOptions toProto(TriangularSolveOptions o, String what) {
        return dev.nrt4j.hlo.proto.schema.TriangularSolveOptions.newBuilder()
                .setLeftSide(o.leftSide())
                .setLower(o.lower())
                .setUnitDiagonal(o.unitDiagonal())
                .setTransposeA(number(EnumField.TRANSPOSE_A, o.transposeA(), what))
                .build();
    }

    /**
     * The number of an enum field's IR name.
     *
     * @throws IllegalArgumentException naming {@code what} for a name XLA does not have
     */
    static int number(EnumField field, String name, String what) {
        try {
            return field.number(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    /**
     * A stride, dilation or group count to write.
     *
     * @throws IllegalArgumentException for 0, which would read back as 1
     */
    static long notZero(long v, String field, String what) {
        if (v == 0) {
            throw new IllegalArgumentException(
                    what + " has a " + field + " of 0, which the proto cannot hold (an unset field, read as 1)");
        }
        return v;
    }

    private static List<Long> longs(List<Integer> values) {
        List<Long> out = new ArrayList<>(values.size());
        values.forEach(v -> out.add((long) v));
        return out;
    }
}
