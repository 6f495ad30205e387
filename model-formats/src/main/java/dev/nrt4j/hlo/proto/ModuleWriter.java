package dev.nrt4j.hlo.proto;

import dev.nrt4j.hlo.HloComputation;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloLiteral;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.proto.schema.DeviceAssignmentProto;
import dev.nrt4j.hlo.proto.schema.HloComputationProto;
import dev.nrt4j.hlo.proto.schema.HloModuleProto;
import dev.nrt4j.hlo.proto.schema.ProgramShapeProto;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link HloModule} to {@code HloModuleProto}, shaped as XLA loads it: computations callees first
 * and instructions operands first (the IR's own orders), ids unique in the module, names unique in
 * the module ({@link UniqueNames}), a program shape for every computation and the entry's as the
 * host program shape, and a device assignment when the module is written for more than one device.
 *
 * <p>Ids are small module-wide counters, as older XLA wrote them: newer XLA packs
 * {@code (computation << 32) | local} but reads both, and only uniqueness matters to either.
 *
 * <p>Not thread-safe; one per write.
 */
final class ModuleWriter {
    /** The literals together must fit the one byte array a serialized message is. */
    private static final long MAX_LITERAL_BYTES = HloProtoReader.MAX_INPUT_BYTES;
    /** Devices a device assignment lists; far above real systems, and keeps the list small. */
    static final long MAX_DEVICES = 1 << 20;

    private final Map<HloComputation, Long> computationIds = new IdentityHashMap<>();
    private final Map<HloComputation, String> computationNames = new IdentityHashMap<>();
    private final Map<HloInstruction, Long> instructionIds = new IdentityHashMap<>();
    private final Map<HloInstruction, String> instructionNames = new IdentityHashMap<>();
    private long literalBytes;

    /** @throws IllegalArgumentException naming the instruction if the IR holds something the proto cannot */
    HloModuleProto write(HloModule module) {
        if (module.name().isEmpty()) {
            throw new IllegalArgumentException("the module has no name, which the proto reads as 'module'");
        }
        assignNamesAndIds(module);
        HloModuleProto.Builder m = HloModuleProto.newBuilder().setName(module.name());
        for (HloComputation c : module.computations()) {
            m.addComputations(computation(c));
        }
        HloComputation entry = module.entry();
        m.setEntryComputationName(computationNames.get(entry))
                .setEntryComputationId(computationIds.get(entry))
                .setHostProgramShape(programShape(entry));
        if (module.replicaCount() != 1 || module.partitionCount() != 1) {
            m.setDeviceAssignment(deviceAssignment(module.replicaCount(), module.partitionCount()));
        }
        return m.build();
    }

    private void assignNamesAndIds(HloModule module) {
        List<String> allComputations = new ArrayList<>();
        List<String> allInstructions = new ArrayList<>();
        for (HloComputation c : module.computations()) {
            allComputations.add(c.name());
            c.instructions().forEach(i -> allInstructions.add(i.name()));
        }
        UniqueNames computations = new UniqueNames(allComputations);
        UniqueNames instructions = new UniqueNames(allInstructions);
        long nextInstructionId = 1;
        long nextComputationId = 1;
        for (HloComputation c : module.computations()) {
            if (c.name().isEmpty()) {
                throw new IllegalArgumentException("a computation of module '" + module.name() + "' has no name");
            }
            computationNames.put(c, computations.unique(c.name()));
            computationIds.put(c, nextComputationId++);
            for (HloInstruction i : c.instructions()) {
                if (i.name().isEmpty()) {
                    throw new IllegalArgumentException(i.opcode() + " instruction " + i.index() + " of computation '"
                            + c.name() + "' has no name");
                }
                instructionNames.put(i, instructions.unique(i.name()));
                instructionIds.put(i, nextInstructionId++);
            }
        }
    }

    private HloComputationProto computation(HloComputation c) {
        HloComputationProto.Builder b = HloComputationProto.newBuilder()
                .setName(computationNames.get(c))
                .setId(computationIds.get(c))
                .setRootId(instructionIds.get(c.root()))
                .setProgramShape(programShape(c));
        for (HloInstruction i : c.instructions()) {
            String what = "instruction '" + i.name() + "' in computation '" + c.name() + "'";
            i.literal().ifPresent(l -> countLiteral(l, what));
            b.addInstructions(InstructionWriter.write(
                    i, instructionNames.get(i), instructionIds.get(i), instructionIds, computationIds, what));
        }
        return b.build();
    }

    /** Parameters by number, the root's shape, and the parameters' names, as XLA writes it. */
    private ProgramShapeProto programShape(HloComputation c) {
        ProgramShapeProto.Builder b = ProgramShapeProto.newBuilder().setResult(ShapeConverter.toProto(c.resultShape()));
        for (HloInstruction p : c.parameters()) {
            b.addParameters(ShapeConverter.toProto(p.shape())).addParameterNames(instructionNames.get(p));
        }
        return b.build();
    }

    /** XLA's default placement (its ComputationPlacer): device = partition * replicas + replica. */
    private static DeviceAssignmentProto deviceAssignment(int replicas, int partitions) {
        if ((long) replicas * partitions > MAX_DEVICES) {
            throw new IllegalArgumentException(replicas + " replicas of " + partitions
                    + " partitions are more than the " + MAX_DEVICES + " devices a written device assignment may list");
        }
        DeviceAssignmentProto.Builder b =
                DeviceAssignmentProto.newBuilder().setReplicaCount(replicas).setComputationCount(partitions);
        for (long partition = 0; partition < partitions; partition++) {
            DeviceAssignmentProto.ComputationDevice.Builder devices =
                    DeviceAssignmentProto.ComputationDevice.newBuilder();
            for (long replica = 0; replica < replicas; replica++) {
                devices.addReplicaDeviceIds(partition * replicas + replica);
            }
            b.addComputationDevices(devices);
        }
        return b.build();
    }

    private void countLiteral(HloLiteral literal, String what) {
        literalBytes += bytes(literal);
        if (literalBytes > MAX_LITERAL_BYTES) {
            throw new IllegalArgumentException(what + ": the module's constants take more than " + MAX_LITERAL_BYTES
                    + " bytes, more than one serialized module can hold");
        }
    }

    private static long bytes(HloLiteral literal) {
        if (!literal.isTuple()) {
            return literal.shape().byteSize();
        }
        long sum = 0;
        for (HloLiteral e : literal.elements()) {
            sum += bytes(e);
        }
        return sum;
    }
}
