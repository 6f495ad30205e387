package dev.nrt4j.hlo.proto;

import dev.nrt4j.hlo.proto.schema.HloComputationProto;
import dev.nrt4j.hlo.proto.schema.HloInstructionProto;
import dev.nrt4j.hlo.proto.schema.HloModuleProto;
import dev.nrt4j.hlo.proto.schema.LayoutProto;
import dev.nrt4j.hlo.proto.schema.ShapeProto;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/** Small modules built with the generated classes, and raw wire-format pieces for malformed ones. */
final class HandMadeHlo {
    static final int F32 = 11;
    static final int S32 = 4;
    static final int PRED = 1;
    static final int TUPLE = 13;

    private HandMadeHlo() {}

    static ShapeProto array(int type, long... dims) {
        return ShapeProto.newBuilder()
                .setElementType(type)
                .addAllDimensions(Arrays.stream(dims).boxed().toList())
                .build();
    }

    static ShapeProto array(int type, long[] dims, long[] minorToMajor) {
        return array(type, dims).toBuilder()
                .setLayout(LayoutProto.newBuilder()
                        .addAllMinorToMajor(Arrays.stream(minorToMajor).boxed().toList()))
                .build();
    }

    static ShapeProto tuple(ShapeProto... elements) {
        return ShapeProto.newBuilder()
                .setElementType(TUPLE)
                .addAllTupleShapes(Arrays.asList(elements))
                .build();
    }

    static HloInstructionProto.Builder ins(long id, String name, String opcode, ShapeProto shape, long... operands) {
        return HloInstructionProto.newBuilder()
                .setId(id)
                .setName(name)
                .setOpcode(opcode)
                .setShape(shape)
                .addAllOperandIds(Arrays.stream(operands).boxed().toList());
    }

    static HloInstructionProto.Builder parameter(long id, String name, long number, ShapeProto shape) {
        return ins(id, name, "parameter", shape).setParameterNumber(number);
    }

    static HloComputationProto computation(
            long id, String name, long rootId, HloInstructionProto.Builder... instructions) {
        HloComputationProto.Builder c =
                HloComputationProto.newBuilder().setId(id).setName(name).setRootId(rootId);
        for (HloInstructionProto.Builder i : instructions) {
            c.addInstructions(i);
        }
        return c.build();
    }

    static HloModuleProto module(String name, HloComputationProto... computations) {
        HloComputationProto entry = computations[computations.length - 1];
        return HloModuleProto.newBuilder()
                .setName(name)
                .setEntryComputationName(entry.getName())
                .setEntryComputationId(entry.getId())
                .addAllComputations(Arrays.asList(computations))
                .build();
    }

    /** {@code x + y} with both f32[2,3], returning the tuple (sum, x) and its first element. */
    static HloModuleProto addTupleGte() {
        ShapeProto f = array(F32, 2, 3);
        return module(
                "add_tuple_gte",
                computation(
                        10,
                        "main",
                        5,
                        parameter(1, "x", 0, f),
                        parameter(2, "y", 1, f),
                        ins(3, "sum", "add", f, 1, 2),
                        ins(4, "pair", "tuple", tuple(f, f), 3, 1),
                        ins(5, "first", "get-tuple-element", f, 4).setTupleIndex(0)));
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A length-delimited field: tag, length, payload. */
    static byte[] field(int number, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varint(out, ((long) number << 3) | 2);
        varint(out, payload.length);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
