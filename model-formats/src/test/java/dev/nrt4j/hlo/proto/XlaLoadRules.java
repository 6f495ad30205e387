package dev.nrt4j.hlo.proto;

import dev.nrt4j.hlo.proto.schema.HloComputationProto;
import dev.nrt4j.hlo.proto.schema.HloInstructionProto;
import dev.nrt4j.hlo.proto.schema.HloModuleProto;
import dev.nrt4j.hlo.proto.schema.LiteralProto;
import dev.nrt4j.hlo.proto.schema.ProgramShapeProto;
import dev.nrt4j.hlo.proto.schema.ShapeProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What XLA's {@code HloModule::CreateFromProto} checks before it accepts a module, as far as a test
 * can check it without XLA: a host program shape that matches the entry, names and ids unique in the
 * module, operands defined before their users in the same computation, callees defined before their
 * callers, a root in its computation, a layout on every array shape with one entry per dimension,
 * constants whose literal has the instruction's layout, and a device assignment with one device
 * list per partition.
 */
final class XlaLoadRules {
    private static final int TUPLE = 13;
    private static final int TOKEN = 17;
    private static final int OPAQUE = 14;

    private XlaLoadRules() {}

    /** Every rule the module breaks; empty if XLA would load it. */
    static List<String> violations(HloModuleProto m) {
        List<String> out = new ArrayList<>();
        Set<String> computationNames = new HashSet<>();
        Set<Long> computationIds = new HashSet<>();
        Set<String> instructionNames = new HashSet<>();
        Set<Long> instructionIds = new HashSet<>();
        Map<Long, HloComputationProto> defined = new HashMap<>();
        for (HloComputationProto c : m.getComputationsList()) {
            if (!computationNames.add(c.getName())) {
                out.add("computation name '" + c.getName() + "' repeats");
            }
            if (!computationIds.add(c.getId())) {
                out.add("computation id " + c.getId() + " repeats");
            }
            Map<Long, HloInstructionProto> seen = new HashMap<>();
            for (HloInstructionProto i : c.getInstructionsList()) {
                String at = "'" + i.getName() + "' in '" + c.getName() + "'";
                if (!instructionNames.add(i.getName())) {
                    out.add("instruction name " + at + " repeats in the module");
                }
                if (!instructionIds.add(i.getId())) {
                    out.add("instruction id " + i.getId() + " of " + at + " repeats in the module");
                }
                if (i.getOpcode().isEmpty()) {
                    out.add(at + " has no opcode");
                }
                for (long operand : i.getOperandIdsList()) {
                    if (!seen.containsKey(operand)) {
                        out.add(at + " uses operand id " + operand + " before (or without) defining it");
                    }
                }
                for (long callee : i.getCalledComputationIdsList()) {
                    if (!defined.containsKey(callee)) {
                        out.add(at + " calls computation id " + callee + ", not defined before it");
                    }
                }
                shape(i.getShape(), at + " shape", out);
                if (i.hasLiteral()) {
                    literal(i.getLiteral(), i.getShape(), at, out);
                }
                seen.put(i.getId(), i);
            }
            if (!seen.containsKey(c.getRootId())) {
                out.add("root id " + c.getRootId() + " of '" + c.getName() + "' is not one of its instructions");
            }
            defined.put(c.getId(), c);
        }
        HloComputationProto entry = defined.get(m.getEntryComputationId());
        if (entry == null || !entry.getName().equals(m.getEntryComputationName())) {
            out.add("entry id " + m.getEntryComputationId() + " and name '" + m.getEntryComputationName()
                    + "' do not name one computation");
        } else if (!m.hasHostProgramShape()) {
            out.add("no host_program_shape");
        } else {
            programShape(m.getHostProgramShape(), entry, out);
        }
        if (m.hasDeviceAssignment()) {
            var d = m.getDeviceAssignment();
            if (d.getComputationDevicesCount() != d.getComputationCount()) {
                out.add("device assignment lists " + d.getComputationDevicesCount() + " partitions of "
                        + d.getComputationCount());
            }
            d.getComputationDevicesList().forEach(p -> {
                if (p.getReplicaDeviceIdsCount() != d.getReplicaCount()) {
                    out.add("a partition lists " + p.getReplicaDeviceIdsCount() + " devices for " + d.getReplicaCount()
                            + " replicas");
                }
            });
        }
        return out;
    }

    private static void programShape(ProgramShapeProto p, HloComputationProto entry, List<String> out) {
        Map<Long, ShapeProto> parameters = new HashMap<>();
        ShapeProto root = null;
        for (HloInstructionProto i : entry.getInstructionsList()) {
            if (i.getOpcode().equals("parameter")) {
                parameters.put(i.getParameterNumber(), i.getShape());
            }
            if (i.getId() == entry.getRootId()) {
                root = i.getShape();
            }
        }
        if (p.getParametersCount() != parameters.size()) {
            out.add("host_program_shape has " + p.getParametersCount() + " parameters, the entry " + parameters.size());
            return;
        }
        for (int n = 0; n < p.getParametersCount(); n++) {
            shape(p.getParameters(n), "host_program_shape parameter " + n, out);
            if (!p.getParameters(n).equals(parameters.get((long) n))) {
                out.add("host_program_shape parameter " + n + " is not the entry's parameter(" + n + ") shape");
            }
        }
        shape(p.getResult(), "host_program_shape result", out);
        if (!p.getResult().equals(root)) {
            out.add("host_program_shape result is not the entry root's shape");
        }
    }

    private static void shape(ShapeProto s, String what, List<String> out) {
        switch (s.getElementType()) {
            case TUPLE:
                s.getTupleShapesList().forEach(t -> shape(t, what, out));
                break;
            case TOKEN:
            case OPAQUE:
                break;
            default:
                if (!s.hasLayout() || s.getLayout().getMinorToMajorCount() != s.getDimensionsCount()) {
                    out.add(what + " has no layout for its " + s.getDimensionsCount() + " dimensions");
                }
        }
    }

    private static void literal(LiteralProto l, ShapeProto instruction, String at, List<String> out) {
        shape(l.getShape(), at + " literal", out);
        if (!l.getShape().equals(instruction)) {
            out.add(at + ": the literal's shape (with layout) is not the instruction's");
        }
    }
}
