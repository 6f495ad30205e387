package dev.nrt4j.hlo.proto;

import static dev.nrt4j.hlo.proto.ProtoFailure.quote;

import dev.nrt4j.NeuronException;
import dev.nrt4j.hlo.GraphDefects;
import dev.nrt4j.hlo.GraphSite;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloLiteral;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.HloModuleAssembler;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import dev.nrt4j.hlo.ReplicaGroups;
import dev.nrt4j.hlo.proto.schema.HloComputationProto;
import dev.nrt4j.hlo.proto.schema.HloInstructionProto;
import dev.nrt4j.hlo.proto.schema.HloModuleProto;
import dev.nrt4j.hlo.proto.schema.IotaReplicaGroupListProto;
import dev.nrt4j.hlo.proto.schema.ReplicaGroup;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code HloModuleProto} to {@link HloModule}: resolves ids to the assembler's keys, converts shapes,
 * literals and attributes, and leaves every graph check (operands, callees and roots that name
 * nothing, cycles, recursion, parameters) to {@link HloModuleAssembler}, which the text reader
 * shares. An id that resolves to nothing is passed on as it is, so that the assembler refuses it.
 */
final class ModuleConverter {
    /** Ids are {@code (computation << 32) | local} in newer XLA; operands may name either form. */
    private static final long LOCAL_ID_MASK = 0xFFFFFFFFL;

    private static final Long AMBIGUOUS = Long.MIN_VALUE;

    private final String source;
    private final ShapeConverter shapes;
    private final LiteralConverter literals;
    private final AttributeConverter attributes;
    private final ReplicaGroups groups = new ReplicaGroups();

    ModuleConverter(String source) {
        this.source = source;
        this.shapes = new ShapeConverter(source);
        this.literals = new LiteralConverter(source, shapes);
        this.attributes = new AttributeConverter(source);
    }

    HloModule convert(HloModuleProto m) {
        long total = 0;
        for (HloComputationProto c : m.getComputationsList()) {
            total += c.getInstructionsCount();
        }
        if (total > HloProtoReader.MAX_INSTRUCTIONS) {
            throw ProtoFailure.invalid(
                    source,
                    "the module has " + total + " instructions; at most " + HloProtoReader.MAX_INSTRUCTIONS
                            + " are accepted");
        }
        HloModuleAssembler assembler =
                new HloModuleAssembler(new Defects()).name(m.getName().isEmpty() ? "module" : m.getName());
        if (m.hasDeviceAssignment()) {
            // proto3 cannot tell 0 from absent; a module is never written for zero replicas.
            int replicas = m.getDeviceAssignment().getReplicaCount();
            int partitions = m.getDeviceAssignment().getComputationCount();
            assembler.replicaCount(replicas == 0 ? 1 : replicas).partitionCount(partitions == 0 ? 1 : partitions);
        }
        Map<Long, HloComputationProto> byId = new HashMap<>();
        for (HloComputationProto c : m.getComputationsList()) {
            HloComputationProto other = byId.putIfAbsent(c.getId(), c);
            if (other != null) {
                throw ProtoFailure.invalid(
                        source,
                        "computations " + quote(other.getName()) + " and " + quote(c.getName()) + " share id "
                                + c.getId());
            }
        }
        for (HloComputationProto c : m.getComputationsList()) {
            addComputation(assembler, c);
        }
        String entry = entryKey(m, byId);
        if (entry != null) {
            assembler.entry(entry);
        }
        return assembler.assemble();
    }

    /** By name when the module names its entry, else by id; null leaves XLA's default, the last one. */
    private String entryKey(HloModuleProto m, Map<Long, HloComputationProto> byId) {
        String name = m.getEntryComputationName();
        if (!name.isEmpty()) {
            HloComputationProto byIdMatch = byId.get(m.getEntryComputationId());
            if (byIdMatch != null && byIdMatch.getName().equals(name)) {
                return key(byIdMatch);
            }
            for (HloComputationProto c : m.getComputationsList()) {
                if (c.getName().equals(name)) {
                    return key(c);
                }
            }
            throw ProtoFailure.invalid(source, "the entry computation " + quote(name) + " is not defined");
        }
        HloComputationProto c = byId.get(m.getEntryComputationId());
        return c == null ? null : key(c);
    }

    private static String key(HloComputationProto c) {
        return Long.toString(c.getId());
    }

    private void addComputation(HloModuleAssembler assembler, HloComputationProto c) {
        String computation = quote(c.getName());
        HloModuleAssembler.ComputationDraft draft = assembler.computation(key(c), c.getName());
        Map<Long, HloInstructionProto> exact = new HashMap<>();
        Map<Long, Long> local = new HashMap<>();
        for (HloInstructionProto i : c.getInstructionsList()) {
            HloInstructionProto other = exact.putIfAbsent(i.getId(), i);
            if (other != null) {
                throw ProtoFailure.invalid(
                        source,
                        "instructions " + quote(other.getName()) + " and " + quote(i.getName()) + " of computation "
                                + computation + " share id " + i.getId());
            }
            local.merge(i.getId() & LOCAL_ID_MASK, i.getId(), (a, b) -> AMBIGUOUS);
        }
        for (HloInstructionProto i : c.getInstructionsList()) {
            String what = "instruction " + quote(i.getName()) + " in computation " + computation;
            List<String> operands = new ArrayList<>(i.getOperandIdsCount());
            for (long id : i.getOperandIdsList()) {
                Long resolved = resolve(id, exact, local);
                operands.add(Long.toString(resolved != null ? resolved : id));
            }
            List<String> callees = new ArrayList<>(i.getCalledComputationIdsCount());
            for (long id : i.getCalledComputationIdsList()) {
                callees.add(Long.toString(id));
            }
            draft.add(instruction(i, what).operands(operands).calledComputations(callees));
        }
        Long root = resolve(c.getRootId(), exact, local);
        if (root != null) {
            draft.root(Long.toString(root));
        } else if (c.getRootId() != 0) {
            draft.root(Long.toString(c.getRootId()));
        }
        // else proto3 cannot tell root id 0 from none: XLA's default, the last instruction, is the root.
    }

    /** The exact id if an instruction has it, else the one whose local part matches unambiguously, else null. */
    private static Long resolve(long id, Map<Long, HloInstructionProto> exact, Map<Long, Long> local) {
        if (exact.containsKey(id)) {
            return id;
        }
        Long l = local.get(id & LOCAL_ID_MASK);
        return l == null || l.equals(AMBIGUOUS) ? null : l;
    }

    private HloInstruction.Builder instruction(HloInstructionProto p, String what) {
        if (p.getOpcode().isEmpty()) {
            throw ProtoFailure.invalid(source, what + " has no opcode");
        }
        HloOpcode opcode = HloOpcode.fromName(p.getOpcode())
                .orElseThrow(
                        () -> ProtoFailure.invalid(source, what + " has the unknown opcode " + quote(p.getOpcode())));
        if (!p.hasShape()) {
            throw ProtoFailure.invalid(source, what + " has no shape");
        }
        HloShape shape = shapes.convert(p.getShape(), what);
        String name = p.getName().isEmpty() ? opcode + "." + p.getId() : p.getName();
        HloInstruction.Builder b = HloInstruction.builder(Long.toString(p.getId()), name, opcode, shape);

        if (opcode == HloOpcode.PARAMETER) {
            b.parameterNumber(p.getParameterNumber());
        } else if (opcode == HloOpcode.GET_TUPLE_ELEMENT) {
            b.tupleIndex(p.getTupleIndex());
        } else if (opcode == HloOpcode.REDUCE_PRECISION) {
            b.exponentBits(p.getExponentBits()).mantissaBits(p.getMantissaBits());
        } else if (opcode == EnumField.DISTRIBUTION.opcode()) {
            b.rngDistribution(EnumField.DISTRIBUTION.name(p.getDistribution()));
        } else if (opcode == EnumField.RNG_ALGORITHM.opcode()) {
            b.rngAlgorithm(EnumField.RNG_ALGORITHM.name(p.getRngAlgorithm()));
        } else if (opcode == EnumField.FFT_TYPE.opcode()) {
            b.fftType(EnumField.FFT_TYPE.name(p.getFftType()));
        } else if (opcode == HloOpcode.CHOLESKY && p.hasCholeskyOptions()) {
            b.choleskyLower(p.getCholeskyOptions().getLower());
        } else if (opcode == EnumField.TRANSPOSE_A.opcode() && p.hasTriangularSolveOptions()) {
            b.triangularSolveOptions(AttributeConverter.triangularSolve(p.getTriangularSolveOptions()));
        }
        if (p.hasLiteral()) {
            HloLiteral literal = literals.convert(p.getLiteral(), what);
            if (!literal.shape().sameDimensionsAndType(shape)) {
                throw ProtoFailure.invalid(
                        source, what + " has shape " + shape + " but its literal is a " + literal.shape());
            }
            b.literal(literal);
        }
        b.dimensions(p.getDimensionsList());
        if (p.hasWindow()) {
            b.window(attributes.window(p.getWindow()));
        }
        if (p.hasConvolutionDimensionNumbers()) {
            b.convolutionDimensions(attributes.convolution(p.getConvolutionDimensionNumbers(), what));
        }
        b.featureGroupCount(AttributeConverter.oneIfZero(p.getFeatureGroupCount()));
        b.batchGroupCount(AttributeConverter.oneIfZero(p.getBatchGroupCount()));
        if (p.getSliceDimensionsCount() > 0) {
            b.slice(AttributeConverter.slice(p.getSliceDimensionsList()));
        }
        b.dynamicSliceSizes(p.getDynamicSliceSizesList());
        if (p.hasPaddingConfig()) {
            b.padding(AttributeConverter.padding(p.getPaddingConfig()));
        }
        if (p.hasDotDimensionNumbers()) {
            b.dotDimensions(attributes.dot(p.getDotDimensionNumbers(), what));
        }
        if (p.hasGatherDimensionNumbers()) {
            b.gatherDimensions(attributes.gather(p.getGatherDimensionNumbers(), what));
        }
        b.gatherSliceSizes(p.getGatherSliceSizesList());
        if (p.hasScatterDimensionNumbers()) {
            b.scatterDimensions(attributes.scatter(p.getScatterDimensionNumbers(), what));
        }
        b.comparisonDirection(emptyToNull(p.getComparisonDirection()));
        b.comparisonType(emptyToNull(p.getComparisonType()));
        b.isStable(p.getIsStable()).indicesAreSorted(p.getIndicesAreSorted()).uniqueIndices(p.getUniqueIndices());
        b.customCallTarget(emptyToNull(p.getCustomCallTarget()));
        if (!p.getBackendConfig().isEmpty()) {
            // Usually JSON or text; a binary proto config survives only as far as UTF-8 decoding allows.
            b.backendConfig(new String(p.getBackendConfig().toByteArray(), StandardCharsets.UTF_8));
        }
        b.fusionKind(emptyToNull(p.getFusionKind()));
        b.fftLength(p.getFftLengthList());
        b.replicaGroups(replicaGroups(p, what));
        b.channelId(p.getChannelId()).useGlobalDeviceIds(p.getUseGlobalDeviceIds());
        if (p.getSourceTargetPairsCount() > 0) {
            b.sourceTargetPairs(AttributeConverter.pairs(p.getSourceTargetPairsList()));
        }
        return b;
    }

    /** Field 49 (old producers), else the explicit or compact list of field 87, else field 92. */
    private List<List<Long>> replicaGroups(HloInstructionProto p, String what) {
        Function<String, NeuronException> refuse = detail -> ProtoFailure.invalid(source, what + ": " + detail);
        List<ReplicaGroup> explicit = p.getReplicaGroupsList();
        if (explicit.isEmpty() && p.hasCollectiveDeviceList()) {
            explicit = p.getCollectiveDeviceList().getReplicaGroupsList();
            if (explicit.isEmpty() && p.getCollectiveDeviceList().hasIotaReplicaGroupList()) {
                return iota(p.getCollectiveDeviceList().getIotaReplicaGroupList(), refuse);
            }
        }
        if (explicit.isEmpty() && p.hasIotaCollectiveDeviceList()) {
            return iota(p.getIotaCollectiveDeviceList(), refuse);
        }
        List<List<Long>> listed = new ArrayList<>(explicit.size());
        explicit.forEach(g -> listed.add(g.getReplicaIdsList()));
        return groups.explicit(listed, refuse);
    }

    private List<List<Long>> iota(IotaReplicaGroupListProto iota, Function<String, NeuronException> refuse) {
        long[] dims = iota.getIotaReshapeDimsList().stream()
                .mapToLong(Long::longValue)
                .toArray();
        int[] perm = iota.getIotaTransposePermList().stream()
                .mapToInt(Integer::intValue)
                .toArray();
        return groups.iota(iota.getNumReplicaGroups(), iota.getNumDevicesPerGroup(), dims, perm, refuse);
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    /** The assembler's defects as the proto reader words them: ids, and names made safe to print. */
    private final class Defects implements GraphDefects {
        @Override
        public NeuronException refuse(GraphSite site, String detail) {
            return ProtoFailure.invalid(source, detail);
        }

        @Override
        public String name(String name) {
            return quote(name);
        }

        @Override
        public String reference(String key) {
            return "id " + key;
        }
    }
}
