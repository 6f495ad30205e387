package dev.nrt4j.hlo.proto;

import static dev.nrt4j.hlo.proto.HandMadeHlo.array;
import static dev.nrt4j.hlo.proto.HandMadeHlo.computation;
import static dev.nrt4j.hlo.proto.HandMadeHlo.ins;
import static dev.nrt4j.hlo.proto.HandMadeHlo.module;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloLiteral;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.proto.schema.LiteralProto;
import dev.nrt4j.hlo.proto.schema.ShapeProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Constants of every array element type, written in the default layout and in a column-major one,
 * read back as row-major little-endian bytes.
 */
class HloProtoLiteralTest {
    /** Row-major indices of f32[2,3] in the order a {0,1} (column-major) layout stores them. */
    private static final int[] COLUMN_MAJOR_2X3 = {0, 3, 1, 4, 2, 5};

    private static final int[] ROW_MAJOR_2X3 = {0, 1, 2, 3, 4, 5};

    static Stream<ElementType> arrayTypes() {
        return Arrays.stream(ElementType.values()).filter(ElementType::isArrayType);
    }

    @ParameterizedTest
    @MethodSource("arrayTypes")
    void defaultLayoutLiteralsReadAsRowMajorLittleEndian(ElementType type) {
        checkLiteral(type, null, ROW_MAJOR_2X3);
    }

    @ParameterizedTest
    @MethodSource("arrayTypes")
    void columnMajorLiteralsAreReorderedToRowMajor(ElementType type) {
        checkLiteral(type, new long[] {0, 1}, COLUMN_MAJOR_2X3);
    }

    private static void checkLiteral(ElementType type, long[] minorToMajor, int[] physicalOrder) {
        long[] dims = {2, 3};
        ShapeProto shape =
                minorToMajor == null ? array(type.protoNumber(), dims) : array(type.protoNumber(), dims, minorToMajor);
        LiteralProto.Builder l = LiteralProto.newBuilder().setShape(shape);
        byte[][] elements = new byte[6][];
        for (int i = 0; i < 6; i++) {
            elements[i] = element(type, i);
        }
        for (int p : physicalOrder) {
            append(l, type, elements[p], p);
        }
        HloLiteral literal = readConstant(shape, l.build());

        assertThat(literal.shape().elementType()).isEqualTo(type);
        assertThat(literal.shape().dims()).containsExactly(2, 3);
        assertThat(literal.shape().hasDefaultLayout()).isTrue();
        assertThat(literal.toByteArray()).isEqualTo(concat(elements));
    }

    @Test
    void rankThreeLayoutIsReordered() {
        long[] dims = {2, 3, 4};
        ShapeProto shape = array(HandMadeHlo.F32, dims, new long[] {1, 2, 0});
        LiteralProto.Builder l = LiteralProto.newBuilder().setShape(shape);
        // minor_to_major {1,2,0}: dimension 1 varies fastest, then 2, then 0.
        for (int d0 = 0; d0 < 2; d0++) {
            for (int d2 = 0; d2 < 4; d2++) {
                for (int d1 = 0; d1 < 3; d1++) {
                    l.addF32S(d0 * 12 + d1 * 4 + d2);
                }
            }
        }
        ByteBuffer expected = ByteBuffer.allocate(24 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 24; i++) {
            expected.putFloat(i);
        }
        HloLiteral literal = readConstant(shape, l.build());
        assertThat(literal.toByteArray()).isEqualTo(expected.array());
    }

    @Test
    void tupleLiteralsKeepTheirElements() {
        ShapeProto s32 = array(HandMadeHlo.S32, 2);
        ShapeProto pred = array(HandMadeHlo.PRED);
        ShapeProto tuple = HandMadeHlo.tuple(s32, HandMadeHlo.tuple(pred));
        LiteralProto literal = LiteralProto.newBuilder()
                .setShape(tuple)
                .addTupleLiterals(
                        LiteralProto.newBuilder().setShape(s32).addS32S(7).addS32S(-1))
                .addTupleLiterals(LiteralProto.newBuilder()
                        .setShape(HandMadeHlo.tuple(pred))
                        .addTupleLiterals(
                                LiteralProto.newBuilder().setShape(pred).addPreds(true)))
                .build();
        HloLiteral read = readConstant(tuple, literal);
        assertThat(read.isTuple()).isTrue();
        assertThat(read.elements()).hasSize(2);
        assertThat(read.elements().get(0).toByteArray()).containsExactly(7, 0, 0, 0, -1, -1, -1, -1);
        assertThat(read.elements().get(1).elements().get(0).toByteArray()).containsExactly(1);
        assertThat(read.shape().toString()).isEqualTo("(s32[2], (pred[]))");
    }

    @Test
    void emptyArraysReadWithNoData() {
        ShapeProto shape = array(HandMadeHlo.F32, 0, 5);
        HloLiteral read =
                readConstant(shape, LiteralProto.newBuilder().setShape(shape).build());
        assertThat(read.toByteArray()).isEmpty();
        assertThat(read.shape().elementCount()).isZero();
    }

    static HloLiteral readConstant(ShapeProto shape, LiteralProto literal) {
        byte[] bytes = module(
                        "constant",
                        computation(1, "main", 1, ins(1, "c", "constant", shape).setLiteral(literal)))
                .toByteArray();
        HloInstruction c = HloProtoReader.read(bytes, "constant test").entry().root();
        assertThat(c.opcode()).isEqualTo(HloOpcode.CONSTANT);
        return c.literal().orElseThrow();
    }

    /** Element {@code i} of a test array, as the IR stores it: distinct, and non-trivial in every byte. */
    private static byte[] element(ElementType type, int i) {
        ByteBuffer b = ByteBuffer.allocate(type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case PRED:
                b.put((byte) (i % 2));
                break;
            case S32:
                b.putInt(-(i + 1) * 1_000_003);
                break;
            case U32:
                b.putInt(0xF000_0000 + i);
                break;
            case S64:
                b.putLong(-(i + 1) * 1_000_000_000_007L);
                break;
            case U64:
                b.putLong(0xF000_0000_0000_0000L + i);
                break;
            case F32:
                b.putFloat((i + 1) * -1.5f);
                break;
            case F64:
                b.putDouble((i + 1) * 1e300);
                break;
            case C64:
                b.putFloat(i + 0.25f).putFloat(-i - 0.5f);
                break;
            case C128:
                b.putDouble(i + 0.125).putDouble(-i * 1e-300);
                break;
            default:
                for (int k = 0; k < type.byteSize(); k++) {
                    b.put((byte) (i * 37 + k * 101 + 3));
                }
        }
        return b.array();
    }

    /** Adds one element to the literal's field for the type, decoding it from the IR's bytes. */
    private static void append(LiteralProto.Builder l, ElementType type, byte[] e, int i) {
        ByteBuffer b = ByteBuffer.wrap(e).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case PRED:
                l.addPreds(e[0] != 0);
                break;
            case S32:
                l.addS32S(b.getInt());
                break;
            case U32:
                l.addU32S(b.getInt());
                break;
            case S64:
                l.addS64S(b.getLong());
                break;
            case U64:
                l.addU64S(b.getLong());
                break;
            case F32:
                l.addF32S(b.getFloat());
                break;
            case F64:
                l.addF64S(b.getDouble());
                break;
            case C64:
                l.addC64S(b.getFloat()).addC64S(b.getFloat());
                break;
            case C128:
                l.addC128S(b.getDouble()).addC128S(b.getDouble());
                break;
            default:
                appendBytes(l, type, e);
        }
    }

    private static void appendBytes(LiteralProto.Builder l, ElementType type, byte[] e) {
        ByteString x = ByteString.copyFrom(e);
        switch (type) {
            case S8:
                l.setS8S(l.getS8S().concat(x));
                break;
            case U8:
                l.setU8S(l.getU8S().concat(x));
                break;
            case S16:
                l.setS16S(l.getS16S().concat(x));
                break;
            case U16:
                l.setU16S(l.getU16S().concat(x));
                break;
            case F16:
                l.setF16S(l.getF16S().concat(x));
                break;
            case BF16:
                l.setBf16S(l.getBf16S().concat(x));
                break;
            case F8E5M2:
                l.setF8E5M2S(l.getF8E5M2S().concat(x));
                break;
            case F8E4M3FN:
                l.setF8E4M3Fns(l.getF8E4M3Fns().concat(x));
                break;
            case F8E4M3B11FNUZ:
                l.setF8E4M3B11Fnuzs(l.getF8E4M3B11Fnuzs().concat(x));
                break;
            case F8E5M2FNUZ:
                l.setF8E5M2Fnuzs(l.getF8E5M2Fnuzs().concat(x));
                break;
            case F8E4M3FNUZ:
                l.setF8E4M3Fnuzs(l.getF8E4M3Fnuzs().concat(x));
                break;
            case F8E4M3:
                l.setF8E4M3S(l.getF8E4M3S().concat(x));
                break;
            case F8E3M4:
                l.setF8E3M4S(l.getF8E3M4S().concat(x));
                break;
            case F8E8M0FNU:
                l.setF8E8M0Fnus(l.getF8E8M0Fnus().concat(x));
                break;
            case F4E2M1FN:
                l.setF4E2M1Fns(l.getF4E2M1Fns().concat(x));
                break;
            case S4:
                l.setS4S(l.getS4S().concat(x));
                break;
            case U4:
                l.setU4S(l.getU4S().concat(x));
                break;
            case S2:
                l.setS2S(l.getS2S().concat(x));
                break;
            case U2:
                l.setU2S(l.getU2S().concat(x));
                break;
            case S1:
                l.setS1S(l.getS1S().concat(x));
                break;
            case U1:
                l.setU1S(l.getU1S().concat(x));
                break;
            default:
                throw new AssertionError("no byte field for " + type);
        }
    }

    private static byte[] concat(byte[][] parts) {
        List<Byte> all = new ArrayList<>();
        for (byte[] p : parts) {
            for (byte b : p) {
                all.add(b);
            }
        }
        byte[] out = new byte[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }
}
