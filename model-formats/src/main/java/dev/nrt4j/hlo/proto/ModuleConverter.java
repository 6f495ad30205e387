package dev.nrt4j.hlo.proto;

import static dev.nrt4j.hlo.proto.ProtoFailure.quote;

import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloLiteral;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.HloModuleAssembler;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
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

/**
 * {@code HloModuleProto} to {@link HloModule}: resolves ids to the assembler's keys, converts shapes,
 * literals and attributes, and leaves the graph checks (cycles, recursion, parameters) to
 * {@link HloModuleAssembler}, which the text reader shares.
 */
final class ModuleConverter {
    /** Ids are {@code (computation << 32) | local} in newer XLA; operands may name either form. */
    private static final long LOCAL_ID_MASK = 0xFFFFFFFFL;
    /** Members of all groups of one collective after expanding the compact (iota) form. */
    private static final long MAX_GROUP_MEMBERS = 1 << 20;
    private static final Long AMBIGUOUS = Long.MIN_VALUE;

    private final String source;
    private final ShapeConverter shapes;
    private final LiteralConverter literals;
    private final AttributeConverter attributes;

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
            throw ProtoFailure.invalid(source, "the module has " + total + " instructions; at most "
                    + HloProtoReader.MAX_INSTRUCTIONS + " are accepted");
        }
        HloModuleAssembler assembler = new HloModuleAssembler(source).name(m.getName().isEmpty() ? "module" : m.getName());
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
                throw ProtoFailure.invalid(source, "computations " + quote(other.getName()) + " and "
                        + quote(c.getName()) + " share id " + c.getId());
            }
        }
        for (HloComputationProto c : m.getComputationsList()) {
            addComputation(assembler, c, byId);
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

    private void addComputation(HloModuleAssembler assembler, HloComputationProto c,
            Map<Long, HloComputationProto> computations) {
        String computation = quote(c.getName());
        HloModuleAssembler.ComputationDraft draft = assembler.computation(key(c), c.getName());
        Map<Long, HloInstructionProto> exact = new HashMap<>();
        Map<Long, Long> local = new HashMap<>();
        for (HloInstructionProto i : c.getInstructionsList()) {
            HloInstructionProto other = exact.putIfAbsent(i.getId(), i);
            if (other != null) {
                throw ProtoFailure.invalid(source, "instructions " + quote(other.getName()) + " and "
                        + quote(i.getName()) + " of computation " + computation + " share id " + i.getId());
            }
            local.merge(i.getId() & LOCAL_ID_MASK, i.getId(), (a, b) -> AMBIGUOUS);
        }
        for (HloInstructionProto i : c.getInstructionsList()) {
            String what = "instruction " + quote(i.getName()) + " in computation " + computation;
            List<String> operands = new ArrayList<>(i.getOperandIdsCount());
            for (long id : i.getOperandIdsList()) {
                Long resolved = resolve(id, exact, local);
                if (resolved == null) {
                    throw ProtoFailure.invalid(source, what + " uses operand id " + id + ", which is not defined there");
                }
                operands.add(Long.toString(resolved));
            }
            List<String> callees = new ArrayList<>(i.getCalledComputationIdsCount());
            for (long id : i.getCalledComputationIdsList()) {
                if (!computations.containsKey(id)) {
                    throw ProtoFailure.invalid(source, what + " calls computation id " + id + ", which is not defined");
                }
                callees.add(Long.toString(id));
            }
            draft.add(instruction(i, what).operands(operands).calledComputations(callees));
        }
        Long root = resolve(c.getRootId(), exact, local);
        if (root != null) {
            draft.root(Long.toString(root));
        } else if (c.getRootId() != 0) {
            throw ProtoFailure.invalid(source, "the root id " + c.getRootId() + " of computation " + computation
                    + " is not one of its instructions");
        }
    }

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
        HloOpcode opcode = HloOpcode.fromName(p.getOpcode()).orElseThrow(() -> ProtoFailure.invalid(source,
                what + " has the unknown opcode " + quote(p.getOpcode())));
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
                throw ProtoFailure.invalid(source, what + " has shape " + shape + " but its literal is a "
                        + literal.shape());
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
        List<ReplicaGroup> explicit = p.getReplicaGroupsList();
        if (explicit.isEmpty() && p.hasCollectiveDeviceList()) {
            explicit = p.getCollectiveDeviceList().getReplicaGroupsList();
            if (explicit.isEmpty() && p.getCollectiveDeviceList().hasIotaReplicaGroupList()) {
                return expand(p.getCollectiveDeviceList().getIotaReplicaGroupList(), what);
            }
        }
        if (explicit.isEmpty() && p.hasIotaCollectiveDeviceList()) {
            return expand(p.getIotaCollectiveDeviceList(), what);
        }
        List<List<Long>> groups = new ArrayList<>(explicit.size());
        explicit.forEach(g -> groups.add(g.getReplicaIdsList()));
        return groups;
    }

    /**
     * The compact form lists the devices as iota(prod(reshape_dims)), reshaped to reshape_dims and
     * transposed by the permutation, read row-major in rows of num_devices_per_group.
     */
    private List<List<Long>> expand(IotaReplicaGroupListProto iota, String what) {
        long groups = iota.getNumReplicaGroups();
        long perGroup = iota.getNumDevicesPerGroup();
        if (groups < 0 || perGroup < 0 || (perGroup > 0 && groups > MAX_GROUP_MEMBERS / perGroup)) {
            throw ProtoFailure.invalid(source, what + ": " + groups + " replica groups of " + perGroup
                    + " devices are not a usable group list (at most " + MAX_GROUP_MEMBERS + " members)");
        }
        int total = (int) (groups * perGroup);
        int rank = iota.getIotaReshapeDimsCount();
        long[] dims = rank == 0 ? new long[] {total} : new long[rank];
        long product = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = iota.getIotaReshapeDims(i);
            if (dims[i] < 0 || (dims[i] > 0 && product > MAX_GROUP_MEMBERS / dims[i])) {
                product = -1;
                break;
            }
            product *= dims[i];
        }
        rank = dims.length;
        if (rank > 1 && product != total || rank == 1 && dims[0] != total) {
            throw ProtoFailure.invalid(source, what + ": iota_reshape_dims " + iota.getIotaReshapeDimsList()
                    + " do not hold " + groups + " groups of " + perGroup + " devices");
        }
        int[] perm = new int[rank];
        if (iota.getIotaTransposePermCount() == 0) {
            for (int i = 0; i < rank; i++) {
                perm[i] = i;
            }
        } else {
            boolean[] seen = new boolean[rank];
            if (iota.getIotaTransposePermCount() != rank) {
                throw ProtoFailure.invalid(source, what + ": iota_transpose_perm " + iota.getIotaTransposePermList()
                        + " is not a permutation of the " + rank + " reshape dimensions");
            }
            for (int i = 0; i < rank; i++) {
                int d = iota.getIotaTransposePerm(i);
                if (d < 0 || d >= rank || seen[d]) {
                    throw ProtoFailure.invalid(source, what + ": iota_transpose_perm " + iota.getIotaTransposePermList()
                            + " is not a permutation of the " + rank + " reshape dimensions");
                }
                seen[d] = true;
                perm[i] = d;
            }
        }
        // Row-major strides of the reshaped iota; the transposed array's axis k walks axis perm[k].
        long[] stride = new long[rank];
        long s = 1;
        for (int i = rank - 1; i >= 0; i--) {
            stride[i] = s;
            s *= dims[i];
        }
        long[] index = new long[rank];
        long value = 0;
        List<List<Long>> out = new ArrayList<>((int) groups);
        List<Long> current = new ArrayList<>((int) perGroup);
        for (int n = 0; n < total; n++) {
            current.add(value);
            if (current.size() == perGroup) {
                out.add(current);
                current = new ArrayList<>((int) perGroup);
            }
            for (int k = rank - 1; k >= 0; k--) {
                value += stride[perm[k]];
                if (++index[k] < dims[perm[k]]) {
                    break;
                }
                value -= stride[perm[k]] * dims[perm[k]];
                index[k] = 0;
            }
        }
        return out;
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
