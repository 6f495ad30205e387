package dev.nrt4j.hlo.proto;

import com.google.protobuf.ByteString;
import dev.nrt4j.hlo.HloComputation;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.proto.schema.CholeskyOptions;
import dev.nrt4j.hlo.proto.schema.HloInstructionProto;
import dev.nrt4j.hlo.proto.schema.ReplicaGroup;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

/**
 * One {@link HloInstruction} to its {@code HloInstructionProto}: every attribute the IR holds goes
 * to the field XLA keeps it in, whatever the opcode, so the reader (or XLA) finds it where it looks.
 * Values the proto cannot tell from "unset" are refused rather than silently changed: a missing
 * parameter number, tuple index or reduce-precision width, an empty string attribute, a 0 stride,
 * dilation or group count, a missing rng algorithm or fft type (0 would read as the first name).
 *
 * <p>Stateless; the maps of ids belong to the module being written.
 */
final class InstructionWriter {
    private InstructionWriter() {}

    /**
     * @param name the instruction's name in the module (unique there)
     * @param ids every instruction of the computation with its id (operands are looked up here)
     * @param computationIds every computation of the module with its id
     * @param what the instruction as messages name it
     * @throws IllegalArgumentException naming {@code what} if the IR holds something the proto cannot
     */
    static HloInstructionProto write(
            HloInstruction ins,
            String name,
            long id,
            Map<HloInstruction, Long> ids,
            Map<HloComputation, Long> computationIds,
            String what) {
        HloOpcode opcode = ins.opcode();
        HloInstructionProto.Builder b = HloInstructionProto.newBuilder()
                .setName(name)
                .setOpcode(opcode.text())
                .setShape(ShapeConverter.toProto(ins.shape()))
                .setId(id);
        for (HloInstruction operand : ins.operands()) {
            b.addOperandIds(ids.get(operand));
        }
        for (HloComputation callee : ins.calledComputations()) {
            b.addCalledComputationIds(computationIds.get(callee));
        }

        required(ins.parameterNumber(), opcode == HloOpcode.PARAMETER, "parameter number", what, b::setParameterNumber);
        required(ins.tupleIndex(), opcode == HloOpcode.GET_TUPLE_ELEMENT, "tuple index", what, b::setTupleIndex);
        boolean reducePrecision = opcode == HloOpcode.REDUCE_PRECISION;
        required(ins.exponentBits(), reducePrecision, "exponent_bits", what, v -> b.setExponentBits((int) v));
        required(ins.mantissaBits(), reducePrecision, "mantissa_bits", what, v -> b.setMantissaBits((int) v));

        if (ins.literal().isPresent()) {
            b.setLiteral(LiteralConverter.toProto(ins.literal().get(), ins.shape(), what));
        }
        b.addAllDimensions(ins.dimensions());
        ins.window().ifPresent(w -> b.setWindow(AttributeConverter.toProto(w, what)));
        ins.convolutionDimensions().ifPresent(c -> b.setConvolutionDimensionNumbers(AttributeConverter.toProto(c)));
        boolean convolution = opcode == HloOpcode.CONVOLUTION;
        if (convolution || ins.featureGroupCount() != 1) {
            b.setFeatureGroupCount(AttributeConverter.notZero(ins.featureGroupCount(), "feature_group_count", what));
        }
        if (convolution || ins.batchGroupCount() != 1) {
            b.setBatchGroupCount(AttributeConverter.notZero(ins.batchGroupCount(), "batch_group_count", what));
        }
        b.addAllSliceDimensions(AttributeConverter.toProto(ins.slice(), what));
        b.addAllDynamicSliceSizes(ins.dynamicSliceSizes());
        if (!ins.padding().isEmpty() || opcode == HloOpcode.PAD) {
            b.setPaddingConfig(AttributeConverter.paddingToProto(ins.padding()));
        }
        ins.dotDimensions().ifPresent(d -> b.setDotDimensionNumbers(AttributeConverter.toProto(d)));
        ins.gatherDimensions().ifPresent(g -> b.setGatherDimensionNumbers(AttributeConverter.toProto(g)));
        b.addAllGatherSliceSizes(ins.gatherSliceSizes());
        ins.scatterDimensions().ifPresent(s -> b.setScatterDimensionNumbers(AttributeConverter.toProto(s)));

        nonEmpty(ins.comparisonDirection(), "comparison_direction", what).ifPresent(b::setComparisonDirection);
        nonEmpty(ins.comparisonType(), "comparison_type", what).ifPresent(b::setComparisonType);
        b.setIsStable(ins.isStable())
                .setIndicesAreSorted(ins.indicesAreSorted())
                .setUniqueIndices(ins.uniqueIndices());
        nonEmpty(ins.customCallTarget(), "custom_call_target", what).ifPresent(b::setCustomCallTarget);
        nonEmpty(ins.backendConfig(), "backend_config", what)
                .ifPresent(c -> b.setBackendConfig(ByteString.copyFromUtf8(c)));
        nonEmpty(ins.fusionKind(), "fusion_kind", what).ifPresent(b::setFusionKind);

        // Field 49, the one every XLA reads (newer ones prefer 87 but still read 49).
        for (List<Long> group : ins.replicaGroups()) {
            b.addReplicaGroups(ReplicaGroup.newBuilder().addAllReplicaIds(group));
        }
        b.setChannelId(ins.channelId()).setUseGlobalDeviceIds(ins.useGlobalDeviceIds());
        b.addAllSourceTargetPairs(AttributeConverter.pairsToProto(ins.sourceTargetPairs()));

        enumField(EnumField.DISTRIBUTION, ins.rngDistribution(), opcode, what, b::setDistribution);
        enumField(EnumField.RNG_ALGORITHM, ins.rngAlgorithm(), opcode, what, b::setRngAlgorithm);
        enumField(EnumField.FFT_TYPE, ins.fftType(), opcode, what, b::setFftType);
        b.addAllFftLength(ins.fftLength());
        ins.triangularSolveOptions().ifPresent(o -> b.setTriangularSolveOptions(AttributeConverter.toProto(o, what)));
        ins.choleskyLower()
                .ifPresent(lower ->
                        b.setCholeskyOptions(CholeskyOptions.newBuilder().setLower(lower)));
        return b.build();
    }

    /** Fields whose IR default is -1 ("none") but whose proto default 0 is a valid value. */
    private static void required(long value, boolean needed, String field, String what, LongConsumer set) {
        if (value >= 0) {
            set.accept(value);
        } else if (needed) {
            throw new IllegalArgumentException(what + " has no " + field + "; the proto would read it as 0");
        }
    }

    private static Optional<String> nonEmpty(Optional<String> value, String field, String what) {
        if (value.isPresent() && value.get().isEmpty()) {
            throw new IllegalArgumentException(what + " has an empty " + field
                    + ", which the proto cannot tell from none; leave the attribute out");
        }
        return value;
    }

    private static void enumField(
            EnumField field, Optional<String> value, HloOpcode opcode, String what, IntConsumer set) {
        if (value.isPresent()) {
            set.accept(AttributeConverter.number(field, value.get(), what));
        } else if (opcode == field.opcode() && !field.zeroMeansNone()) {
            throw new IllegalArgumentException(
                    what + " has no " + field.field() + "; the proto would read it as " + field.name(0));
        }
    }
}
