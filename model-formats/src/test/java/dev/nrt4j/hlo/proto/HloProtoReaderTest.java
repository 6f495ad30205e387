package dev.nrt4j.hlo.proto;

import static dev.nrt4j.hlo.proto.HandMadeHlo.F32;
import static dev.nrt4j.hlo.proto.HandMadeHlo.PRED;
import static dev.nrt4j.hlo.proto.HandMadeHlo.S32;
import static dev.nrt4j.hlo.proto.HandMadeHlo.array;
import static dev.nrt4j.hlo.proto.HandMadeHlo.computation;
import static dev.nrt4j.hlo.proto.HandMadeHlo.field;
import static dev.nrt4j.hlo.proto.HandMadeHlo.ins;
import static dev.nrt4j.hlo.proto.HandMadeHlo.module;
import static dev.nrt4j.hlo.proto.HandMadeHlo.parameter;
import static dev.nrt4j.hlo.proto.HandMadeHlo.tuple;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.nrt4j.hlo.ConvolutionDimensions;
import dev.nrt4j.hlo.DotDimensions;
import dev.nrt4j.hlo.GatherDimensions;
import dev.nrt4j.hlo.HloComputation;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.PaddingDimension;
import dev.nrt4j.hlo.ScatterDimensions;
import dev.nrt4j.hlo.SliceDimension;
import dev.nrt4j.hlo.SourceTargetPair;
import dev.nrt4j.hlo.TriangularSolveOptions;
import dev.nrt4j.hlo.WindowDimension;
import dev.nrt4j.hlo.proto.schema.CholeskyOptions;
import dev.nrt4j.hlo.proto.schema.CollectiveDeviceListProto;
import dev.nrt4j.hlo.proto.schema.ConvolutionDimensionNumbers;
import dev.nrt4j.hlo.proto.schema.DeviceAssignmentProto;
import dev.nrt4j.hlo.proto.schema.DotDimensionNumbers;
import dev.nrt4j.hlo.proto.schema.GatherDimensionNumbers;
import dev.nrt4j.hlo.proto.schema.HloComputationProto;
import dev.nrt4j.hlo.proto.schema.HloInstructionProto;
import dev.nrt4j.hlo.proto.schema.HloModuleProto;
import dev.nrt4j.hlo.proto.schema.HloProto;
import dev.nrt4j.hlo.proto.schema.HloSnapshot;
import dev.nrt4j.hlo.proto.schema.IotaReplicaGroupListProto;
import dev.nrt4j.hlo.proto.schema.LiteralProto;
import dev.nrt4j.hlo.proto.schema.PaddingConfig;
import dev.nrt4j.hlo.proto.schema.ReplicaGroup;
import dev.nrt4j.hlo.proto.schema.ScatterDimensionNumbers;
import dev.nrt4j.hlo.proto.schema.ShapeProto;
import dev.nrt4j.hlo.proto.schema.SliceDimensions;
import dev.nrt4j.hlo.proto.schema.SourceTarget;
import dev.nrt4j.hlo.proto.schema.Window;
import dev.nrt4j.hlo.proto.schema.WindowDimension.Builder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-made modules, read and compared with what was written, field by field. */
class HloProtoReaderTest {

    @Test
    void addTupleGetTupleElement() {
        HloModule m = HloProtoReader.read(HandMadeHlo.addTupleGte().toByteArray(), "add test");
        assertThat(m.name()).isEqualTo("add_tuple_gte");
        assertThat(m.replicaCount()).isEqualTo(1);
        assertThat(m.partitionCount()).isEqualTo(1);
        HloComputation main = m.entry();
        assertThat(main.name()).isEqualTo("main");
        assertThat(main.instructions())
                .extracting(HloInstruction::name)
                .containsExactly("x", "y", "sum", "pair", "first");
        assertThat(main.parameters())
                .extracting(HloInstruction::parameterNumber)
                .containsExactly(0L, 1L);
        HloInstruction sum = main.instructions().get(2);
        assertThat(sum.opcode()).isEqualTo(HloOpcode.ADD);
        assertThat(sum.operands())
                .containsExactly(main.parameters().get(0), main.parameters().get(1));
        assertThat(sum.shape().toString()).isEqualTo("f32[2,3]");
        HloInstruction pair = main.instructions().get(3);
        assertThat(pair.shape().toString()).isEqualTo("(f32[2,3], f32[2,3])");
        assertThat(pair.operands()).containsExactly(sum, main.parameters().get(0));
        assertThat(main.root().opcode()).isEqualTo(HloOpcode.GET_TUPLE_ELEMENT);
        assertThat(main.root().tupleIndex()).isZero();
        assertThat(main.root().operand(0)).isSameAs(pair);
        assertThat(sum.tupleIndex()).isEqualTo(-1);
        assertThat(sum.parameterNumber()).isEqualTo(-1);
    }

    @Test
    void whileCallsBodyThenCondition() {
        ShapeProto s = array(S32);
        HloComputationProto body =
                computation(1, "body", 12, parameter(11, "b", 0, s), ins(12, "next", "negate", s, 11));
        HloComputationProto cond = computation(
                2,
                "cond",
                22,
                parameter(21, "c", 0, s),
                ins(22, "go", "compare", array(PRED), 21, 21)
                        .setComparisonDirection("LT")
                        .setComparisonType("SIGNED"));
        HloComputationProto main = computation(
                3,
                "main",
                32,
                parameter(31, "init", 0, s),
                ins(32, "loop", "while", s, 31).addCalledComputationIds(1).addCalledComputationIds(2));
        HloModule m = HloProtoReader.read(
                module("loop", body, cond, main).toBuilder()
                        .setDeviceAssignment(DeviceAssignmentProto.newBuilder()
                                .setReplicaCount(4)
                                .setComputationCount(2))
                        .build()
                        .toByteArray(),
                "while test");
        HloInstruction loop = m.entry().root();
        assertThat(loop.calledComputations()).extracting(HloComputation::name).containsExactly("body", "cond");
        assertThat(m.computation("cond").orElseThrow().root().comparisonDirection())
                .contains("LT");
        assertThat(m.computation("cond").orElseThrow().root().comparisonType()).contains("SIGNED");
        assertThat(m.replicaCount()).isEqualTo(4);
        assertThat(m.partitionCount()).isEqualTo(2);
        assertThat(m.computations()).hasSize(3);
        assertThat(m.entry().name()).isEqualTo("main");
    }

    @Test
    void reduceTakesInputsThenInitsAndItsReducer() {
        ShapeProto scalar = array(F32);
        HloComputationProto add = computation(
                1,
                "add",
                3,
                parameter(1, "a", 0, scalar),
                parameter(2, "b", 1, scalar),
                ins(3, "s", "add", scalar, 1, 2));
        HloComputationProto main = computation(
                2,
                "main",
                6,
                parameter(4, "x", 0, array(F32, 4, 5)),
                ins(5, "zero", "constant", scalar)
                        .setLiteral(LiteralProto.newBuilder().setShape(scalar).addF32S(0)),
                ins(6, "r", "reduce", array(F32, 4), 4, 5).addDimensions(1).addCalledComputationIds(1));
        HloInstruction r = HloProtoReader.read(module("reduce", add, main).toByteArray(), "reduce test")
                .entry()
                .root();
        assertThat(r.operands()).extracting(HloInstruction::name).containsExactly("x", "zero");
        assertThat(r.dimensions()).containsExactly(1L);
        assertThat(r.calledComputations()).extracting(HloComputation::name).containsExactly("add");
        assertThat(r.calledComputations().get(0).parameters()).hasSize(2);
    }

    @Test
    void packedIdsResolveByTheirLocalPart() {
        long high = 7L << 32;
        ShapeProto f = array(F32);
        HloComputationProto c = HloComputationProto.newBuilder()
                .setId(7)
                .setName("main")
                .setRootId(high | 2)
                .addInstructions(parameter(high | 1, "p", 0, f))
                // Operand named by the local id only, as some producers do.
                .addInstructions(ins(high | 2, "n", "negate", f, 1))
                .build();
        HloComputation main =
                HloProtoReader.read(module("ids", c).toByteArray(), "ids").entry();
        assertThat(main.root().name()).isEqualTo("n");
        assertThat(main.root().operand(0).name()).isEqualTo("p");
    }

    @Test
    void entryIsFoundByNameThenIdThenLast() {
        ShapeProto f = array(F32);
        HloComputationProto a = computation(1, "a", 1, parameter(1, "p", 0, f));
        HloComputationProto b = computation(2, "b", 2, parameter(2, "q", 0, f));
        HloModuleProto byName = HloModuleProto.newBuilder()
                .setName("m")
                .setEntryComputationName("a")
                .setEntryComputationId(2)
                .addComputations(a)
                .addComputations(b)
                .build();
        assertThat(HloProtoReader.read(byName.toByteArray(), "t").entry().name())
                .isEqualTo("a");
        HloModuleProto byId = byName.toBuilder().clearEntryComputationName().build();
        assertThat(HloProtoReader.read(byId.toByteArray(), "t").entry().name()).isEqualTo("b");
        HloModuleProto neither = byId.toBuilder().setEntryComputationId(99).build();
        assertThat(HloProtoReader.read(neither.toByteArray(), "t").entry().name())
                .isEqualTo("b");
        HloModuleProto firstById = byId.toBuilder().setEntryComputationId(1).build();
        assertThat(HloProtoReader.read(firstById.toByteArray(), "t").entry().name())
                .isEqualTo("a");
    }

    @Test
    void everyAttributeIsMapped() {
        ShapeProto f = array(F32, 2);
        Builder wd = dev.nrt4j.hlo.proto.schema.WindowDimension.newBuilder()
                .setSize(3)
                .setStride(2)
                .setPaddingLow(-1)
                .setPaddingHigh(4)
                .setWindowDilation(5)
                .setBaseDilation(6)
                .setWindowReversal(true);
        HloInstructionProto.Builder all = ins(2, "all", "custom-call", f, 1)
                .addDimensions(3)
                .addDimensions(1)
                .setWindow(Window.newBuilder()
                        .addDimensions(wd)
                        .addDimensions(dev.nrt4j.hlo.proto.schema.WindowDimension.newBuilder()
                                .setSize(2)))
                .setConvolutionDimensionNumbers(ConvolutionDimensionNumbers.newBuilder()
                        .setInputBatchDimension(0)
                        .setInputFeatureDimension(3)
                        .addInputSpatialDimensions(1)
                        .addInputSpatialDimensions(2)
                        .setKernelInputFeatureDimension(2)
                        .setKernelOutputFeatureDimension(3)
                        .addKernelSpatialDimensions(0)
                        .addKernelSpatialDimensions(1)
                        .setOutputBatchDimension(0)
                        .setOutputFeatureDimension(3)
                        .addOutputSpatialDimensions(1)
                        .addOutputSpatialDimensions(2))
                .setFeatureGroupCount(4)
                .setBatchGroupCount(2)
                .addSliceDimensions(
                        SliceDimensions.newBuilder().setStart(1).setLimit(9).setStride(2))
                .addSliceDimensions(SliceDimensions.newBuilder().setStart(0).setLimit(3))
                .addDynamicSliceSizes(5)
                .setPaddingConfig(PaddingConfig.newBuilder()
                        .addDimensions(PaddingConfig.PaddingConfigDimension.newBuilder()
                                .setEdgePaddingLow(-2)
                                .setEdgePaddingHigh(3)
                                .setInteriorPadding(1)))
                .setDotDimensionNumbers(DotDimensionNumbers.newBuilder()
                        .addLhsContractingDimensions(2)
                        .addRhsContractingDimensions(1)
                        .addLhsBatchDimensions(0)
                        .addRhsBatchDimensions(0))
                .setGatherDimensionNumbers(GatherDimensionNumbers.newBuilder()
                        .addOffsetDims(1)
                        .addCollapsedSliceDims(0)
                        .addStartIndexMap(0)
                        .setIndexVectorDim(1)
                        .addOperandBatchingDims(2)
                        .addStartIndicesBatchingDims(0))
                .addGatherSliceSizes(1)
                .addGatherSliceSizes(4)
                .setScatterDimensionNumbers(ScatterDimensionNumbers.newBuilder()
                        .addUpdateWindowDims(1)
                        .addInsertedWindowDims(0)
                        .addScatterDimsToOperandDims(0)
                        .setIndexVectorDim(1)
                        .addInputBatchingDims(3)
                        .addScatterIndicesBatchingDims(2))
                .setComparisonDirection("GE")
                .setComparisonType("TOTALORDER")
                .setIsStable(true)
                .setIndicesAreSorted(true)
                .setUniqueIndices(true)
                .setCustomCallTarget("AwsNeuronSomething")
                .setBackendConfig(ByteString.copyFromUtf8("{\"k\": 1}"))
                .addReplicaGroups(ReplicaGroup.newBuilder().addReplicaIds(0).addReplicaIds(2))
                .addReplicaGroups(ReplicaGroup.newBuilder().addReplicaIds(1).addReplicaIds(3))
                .setChannelId(5)
                .setUseGlobalDeviceIds(true)
                .addSourceTargetPairs(SourceTarget.newBuilder().setSource(0).setTarget(1))
                .addSourceTargetPairs(SourceTarget.newBuilder().setSource(1).setTarget(0))
                .setFusionKind("kLoop")
                .addFftLength(8)
                .addFftLength(4);
        HloInstruction i = single(all, parameter(1, "p", 0, f));

        assertThat(i.dimensions()).containsExactly(3L, 1L);
        assertThat(i.window().orElseThrow().dimensions())
                .containsExactly(new WindowDimension(3, 2, -1, 4, 5, 6, true), WindowDimension.ofSize(2));
        assertThat(i.convolutionDimensions())
                .contains(new ConvolutionDimensions(0, 3, List.of(1, 2), 2, 3, List.of(0, 1), 0, 3, List.of(1, 2)));
        assertThat(i.featureGroupCount()).isEqualTo(4);
        assertThat(i.batchGroupCount()).isEqualTo(2);
        assertThat(i.slice()).containsExactly(new SliceDimension(1, 9, 2), new SliceDimension(0, 3, 1));
        assertThat(i.dynamicSliceSizes()).containsExactly(5L);
        assertThat(i.padding()).containsExactly(new PaddingDimension(-2, 3, 1));
        assertThat(i.dotDimensions()).contains(new DotDimensions(List.of(2), List.of(1), List.of(0), List.of(0)));
        assertThat(i.gatherDimensions())
                .contains(new GatherDimensions(List.of(1), List.of(0), List.of(0), 1, List.of(2), List.of(0)));
        assertThat(i.gatherSliceSizes()).containsExactly(1L, 4L);
        assertThat(i.scatterDimensions())
                .contains(new ScatterDimensions(List.of(1), List.of(0), List.of(0), 1, List.of(3), List.of(2)));
        assertThat(i.comparisonDirection()).contains("GE");
        assertThat(i.comparisonType()).contains("TOTALORDER");
        assertThat(i.isStable()).isTrue();
        assertThat(i.indicesAreSorted()).isTrue();
        assertThat(i.uniqueIndices()).isTrue();
        assertThat(i.customCallTarget()).contains("AwsNeuronSomething");
        assertThat(i.backendConfig()).contains("{\"k\": 1}");
        assertThat(i.replicaGroups()).containsExactly(List.of(0L, 2L), List.of(1L, 3L));
        assertThat(i.channelId()).isEqualTo(5);
        assertThat(i.useGlobalDeviceIds()).isTrue();
        assertThat(i.sourceTargetPairs()).containsExactly(new SourceTargetPair(0, 1), new SourceTargetPair(1, 0));
        assertThat(i.fusionKind()).contains("kLoop");
        assertThat(i.fftLength()).containsExactly(8L, 4L);
        // Opcode-specific attributes stay absent on another opcode.
        assertThat(i.parameterNumber()).isEqualTo(-1);
        assertThat(i.exponentBits()).isEqualTo(-1);
        assertThat(i.rngAlgorithm()).isEmpty();
        assertThat(i.fftType()).isEmpty();
    }

    @Test
    void absentAttributesKeepTheIrDefaults() {
        ShapeProto f = array(F32, 2);
        HloInstruction n = single(ins(2, "n", "negate", f, 1), parameter(1, "p", 0, f));
        assertThat(n.featureGroupCount()).isEqualTo(1);
        assertThat(n.batchGroupCount()).isEqualTo(1);
        assertThat(n.window()).isEmpty();
        assertThat(n.literal()).isEmpty();
        assertThat(n.customCallTarget()).isEmpty();
        assertThat(n.backendConfig()).isEmpty();
        assertThat(n.comparisonType()).isEmpty();
        assertThat(n.replicaGroups()).isEmpty();
        assertThat(n.choleskyLower()).isEmpty();
        assertThat(n.triangularSolveOptions()).isEmpty();
    }

    @Test
    void opcodeSpecificAttributes() {
        ShapeProto f = array(F32, 4);
        ShapeProto p = array(F32, 4, 4);
        assertThat(single(
                                ins(2, "r", "reduce-precision", f, 1)
                                        .setExponentBits(5)
                                        .setMantissaBits(10),
                                parameter(1, "x", 0, f))
                        .mantissaBits())
                .isEqualTo(10);
        assertThat(single(
                                ins(2, "r", "reduce-precision", f, 1)
                                        .setExponentBits(5)
                                        .setMantissaBits(10),
                                parameter(1, "x", 0, f))
                        .exponentBits())
                .isEqualTo(5);
        assertThat(single(ins(2, "r", "rng", f, 1, 1).setDistribution(2), parameter(1, "x", 0, array(F32)))
                        .rngDistribution())
                .contains("rng_normal");
        assertThat(single(ins(2, "r", "rng-bit-generator", tuple(f, f), 1).setRngAlgorithm(2), parameter(1, "x", 0, f))
                        .rngAlgorithm())
                .contains("rng_philox");
        assertThat(single(ins(2, "r", "rng-bit-generator", tuple(f, f), 1), parameter(1, "x", 0, f))
                        .rngAlgorithm())
                .contains("rng_default");
        ShapeProto c64 = array(15, 3); // C64
        assertThat(single(ins(2, "r", "fft", f, 1).setFftType(3).addFftLength(4), parameter(1, "x", 0, c64))
                        .fftType())
                .contains("IRFFT");
        assertThat(single(
                                ins(2, "r", "cholesky", p, 1)
                                        .setCholeskyOptions(
                                                CholeskyOptions.newBuilder().setLower(true)),
                                parameter(1, "x", 0, p))
                        .choleskyLower())
                .contains(true);
        assertThat(single(
                                ins(3, "r", "triangular-solve", p, 1, 2)
                                        .setTriangularSolveOptions(
                                                dev.nrt4j.hlo.proto.schema.TriangularSolveOptions.newBuilder()
                                                        .setLeftSide(true)
                                                        .setUnitDiagonal(true)
                                                        .setTransposeA(3)),
                                parameter(1, "a", 0, p),
                                parameter(2, "b", 1, p))
                        .triangularSolveOptions())
                .contains(new TriangularSolveOptions(true, false, true, "ADJOINT"));
        assertThat(single(ins(2, "r", "rng", f, 1, 1).setDistribution(9), parameter(1, "x", 0, array(F32)))
                        .rngDistribution())
                .contains("unknown(9)");
    }

    @Test
    void replicaGroupsFromEveryField() {
        ShapeProto f = array(F32, 2);
        IotaReplicaGroupListProto iota = IotaReplicaGroupListProto.newBuilder()
                .setNumReplicaGroups(2)
                .setNumDevicesPerGroup(4)
                .addIotaReshapeDims(4)
                .addIotaReshapeDims(2)
                .addIotaTransposePerm(1)
                .addIotaTransposePerm(0)
                .build();
        List<List<Long>> transposed = List.of(List.of(0L, 2L, 4L, 6L), List.of(1L, 3L, 5L, 7L));
        assertThat(single(
                                ins(2, "a", "collective-broadcast", f, 1)
                                        .setCollectiveDeviceList(CollectiveDeviceListProto.newBuilder()
                                                .addReplicaGroups(ReplicaGroup.newBuilder()
                                                        .addReplicaIds(1)
                                                        .addReplicaIds(0))),
                                parameter(1, "x", 0, f))
                        .replicaGroups())
                .containsExactly(List.of(1L, 0L));
        assertThat(single(
                                ins(2, "a", "collective-broadcast", f, 1)
                                        .setCollectiveDeviceList(CollectiveDeviceListProto.newBuilder()
                                                .setIotaReplicaGroupList(iota)),
                                parameter(1, "x", 0, f))
                        .replicaGroups())
                .isEqualTo(transposed);
        assertThat(single(
                                ins(2, "a", "collective-broadcast", f, 1).setIotaCollectiveDeviceList(iota),
                                parameter(1, "x", 0, f))
                        .replicaGroups())
                .isEqualTo(transposed);
        IotaReplicaGroupListProto plain = IotaReplicaGroupListProto.newBuilder()
                .setNumReplicaGroups(2)
                .setNumDevicesPerGroup(2)
                .build();
        assertThat(single(
                                ins(2, "a", "collective-broadcast", f, 1).setIotaCollectiveDeviceList(plain),
                                parameter(1, "x", 0, f))
                        .replicaGroups())
                .containsExactly(List.of(0L, 1L), List.of(2L, 3L));
    }

    @Test
    void unknownFieldsAreSkipped() {
        ShapeProto f = array(F32, 2);
        UnknownFieldSet extra = UnknownFieldSet.newBuilder()
                .addField(999, UnknownFieldSet.Field.newBuilder().addVarint(42).build())
                .addField(
                        1000,
                        UnknownFieldSet.Field.newBuilder()
                                .addLengthDelimited(ByteString.copyFromUtf8("later"))
                                .build())
                .addField(
                        1001,
                        UnknownFieldSet.Field.newBuilder()
                                .addFixed32(7)
                                .addFixed64(8)
                                .build())
                .build();
        HloInstructionProto.Builder odd = ins(2, "odd", "negate", f, 1).setUnknownFields(extra);
        HloModuleProto m = module("unknown", computation(1, "main", 2, parameter(1, "x", 0, f), odd));
        byte[] bytes = HandMadeHlo.concat(m.toByteArray(), field(77, new byte[] {1, 2, 3}));
        HloInstruction root = HloProtoReader.read(bytes, "unknown").entry().root();
        assertThat(root.opcode()).isEqualTo(HloOpcode.NEGATE);
        assertThat(root.shape().toString()).isEqualTo("f32[2]");
    }

    @Test
    void shapesKeepTheirLayouts() {
        ShapeProto colMajor = array(F32, new long[] {2, 3}, new long[] {0, 1});
        HloInstruction p = single(parameter(1, "x", 0, colMajor));
        assertThat(p.shape().hasDefaultLayout()).isFalse();
        assertThat(p.shape().minorToMajor()).containsExactly(0, 1);
        assertThat(p.shape().toString()).isEqualTo("f32[2,3]{0,1}");
    }

    @Test
    void wrappersAndGzipReadTheSameModule() {
        HloModuleProto module = HandMadeHlo.addTupleGte();
        HloProto wrapped = HloProto.newBuilder().setHloModule(module).build();
        // A buffer assignment (field 3) whose entries hold field-2 messages, like a module's computations do.
        byte[] withBufferAssignment =
                HandMadeHlo.concat(wrapped.toByteArray(), field(3, field(2, field(1, new byte[] {8, 1}))));
        HloSnapshot snapshot = HloSnapshot.newBuilder().setHlo(wrapped).build();
        // Arguments (field 2) and result (field 3) literals, platform (field 4): skipped.
        byte[] snapshotWithData = HandMadeHlo.concat(
                snapshot.toByteArray(),
                field(
                        2,
                        LiteralProto.newBuilder()
                                .setShape(array(F32))
                                .addF32S(1)
                                .build()
                                .toByteArray()),
                field(3, new byte[] {(byte) 0xff, 0}),
                field(4, "Host".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        byte[] snapshotWithFullWrapper =
                HloSnapshot.newBuilder().setHlo(wrapped).build().toByteArray();
        String expected = describe(HloProtoReader.read(module.toByteArray(), "plain"));
        for (byte[] input : List.of(
                wrapped.toByteArray(),
                withBufferAssignment,
                snapshot.toByteArray(),
                snapshotWithData,
                HandMadeHlo.concat(field(1, withBufferAssignment)),
                snapshotWithFullWrapper,
                HandMadeHlo.gzip(module.toByteArray()),
                HandMadeHlo.gzip(wrapped.toByteArray()),
                HandMadeHlo.gzip(snapshotWithData))) {
            assertThat(describe(HloProtoReader.read(input, "wrapped"))).isEqualTo(expected);
        }
    }

    @Test
    void readsFiles(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.hlo_module.pb");
        Files.write(file, HandMadeHlo.gzip(HandMadeHlo.addTupleGte().toByteArray()));
        assertThat(HloProtoReader.read(file).entry().root().name()).isEqualTo("first");
    }

    @Test
    void longChainsReadWithoutRecursion() {
        ShapeProto f = array(F32);
        HloComputationProto.Builder c =
                HloComputationProto.newBuilder().setId(1).setName("main");
        c.addInstructions(parameter(0, "p", 0, f));
        int n = 200_000;
        for (int i = 1; i <= n; i++) {
            c.addInstructions(ins(i, "n" + i, "negate", f, i - 1));
        }
        c.setRootId(n);
        HloComputation main = HloProtoReader.read(module("chain", c.build()).toByteArray(), "chain")
                .entry();
        assertThat(main.instructions()).hasSize(n + 1);
        assertThat(main.root().name()).isEqualTo("n" + n);
    }

    /** A computation of the given instructions whose root is the first one; returns that root. */
    private static HloInstruction single(HloInstructionProto.Builder root, HloInstructionProto.Builder... others) {
        HloComputationProto.Builder c =
                HloComputationProto.newBuilder().setId(1).setName("main").setRootId(root.getId());
        for (HloInstructionProto.Builder o : others) {
            c.addInstructions(o);
        }
        c.addInstructions(root);
        return HloProtoReader.read(module("single", c.build()).toByteArray(), "single")
                .entry()
                .root();
    }

    private static String describe(HloModule m) {
        StringBuilder b =
                new StringBuilder(m.name()).append(' ').append(m.entry().name()).append('\n');
        for (HloComputation c : m.computations()) {
            c.instructions()
                    .forEach(i -> b.append(i).append(' ').append(i.tupleIndex()).append('\n'));
            b.append("root ").append(c.root().name()).append('\n');
        }
        return b.toString();
    }
}
