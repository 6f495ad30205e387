package dev.nrt4j.hlo.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloDiff;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloLiteral;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.HloModuleAssembler;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import dev.nrt4j.hlo.proto.schema.HloModuleProto;
import dev.nrt4j.hlo.proto.schema.LiteralProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Constants of every array element type, in the default, a column-major and a rank-3 layout, and
 * tuples of them: written, read back bit for bit, and stored in XLA's field for the type in the
 * instruction's layout. The IR is built directly, since HLO text has no syntax for some types.
 */
class HloProtoWriterLiteralTest {

    static Stream<ElementType> arrayTypes() {
        return Arrays.stream(ElementType.values()).filter(ElementType::isArrayType);
    }

    /** Distinct bytes per element; preds alternate 0 and 1, the only bytes a pred may hold. */
    private static byte[] data(ElementType type, long elements) {
        byte[] out = new byte[(int) (elements * type.byteSize())];
        for (int i = 0; i < out.length; i++) {
            out[i] = type == ElementType.PRED ? (byte) (i % 2) : (byte) (0x11 * (i + 1));
        }
        return out;
    }

    private static HloModule constant(HloShape shape, HloLiteral literal) {
        HloModuleAssembler a = new HloModuleAssembler("test").name("literal");
        a.computation("e", "e")
                .add(HloInstruction.builder("c", "c", HloOpcode.CONSTANT, shape).literal(literal));
        return a.assemble();
    }

    /** Writes, checks XLA's rules, reads back and compares; returns the written literal. */
    private static LiteralProto roundTrip(HloModule m) {
        byte[] bytes = HloProtoWriter.write(m);
        HloModuleProto proto;
        try {
            proto = HloModuleProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        assertThat(XlaLoadRules.violations(proto)).isEmpty();
        assertThat(HloDiff.between(m, HloProtoReader.read(bytes, "written"))).isEmpty();
        return proto.getComputations(0).getInstructions(0).getLiteral();
    }

    @ParameterizedTest
    @MethodSource("arrayTypes")
    void everyTypeInEveryLayoutReadsBackBitForBit(ElementType type) {
        for (int[] layout : List.of(new int[] {1, 0}, new int[] {0, 1})) {
            HloShape shape = HloShape.array(type, new long[] {2, 3}, layout);
            roundTrip(constant(shape, HloLiteral.array(HloShape.array(type, 2, 3), data(type, 6))));
        }
        HloShape rank3 = HloShape.array(type, new long[] {2, 3, 4}, new int[] {1, 2, 0});
        roundTrip(constant(rank3, HloLiteral.array(HloShape.array(type, 2, 3, 4), data(type, 24))));
        HloShape scalar = HloShape.array(type);
        roundTrip(constant(scalar, HloLiteral.array(scalar, data(type, 1))));
    }

    @Test
    void eachTypeHasItsOwnField() {
        LiteralProto s32 = roundTrip(constant(
                HloShape.array(ElementType.S32, 2),
                HloLiteral.array(
                        HloShape.array(ElementType.S32, 2),
                        le(8, b -> b.putInt(-7).putInt(1 << 30)))));
        assertThat(s32.getS32SList()).containsExactly(-7, 1 << 30);
        LiteralProto u64 = roundTrip(constant(
                HloShape.array(ElementType.U64, 1),
                HloLiteral.array(HloShape.array(ElementType.U64, 1), le(8, b -> b.putLong(-1L)))));
        assertThat(u64.getU64SList()).as("2^64-1 as Java's long").containsExactly(-1L);
        LiteralProto c64 = roundTrip(constant(
                HloShape.array(ElementType.C64, 1),
                HloLiteral.array(
                        HloShape.array(ElementType.C64, 1),
                        le(8, b -> b.putFloat(1.5f).putFloat(-2f)))));
        assertThat(c64.getC64SList()).as("real, imaginary").containsExactly(1.5f, -2f);
        LiteralProto s8 = roundTrip(constant(
                HloShape.array(ElementType.S8, 3),
                HloLiteral.array(HloShape.array(ElementType.S8, 3), new byte[] {-128, 0, 127})));
        assertThat(s8.getS8S().toByteArray()).containsExactly(-128, 0, 127);
        LiteralProto pred = roundTrip(constant(
                HloShape.array(ElementType.PRED, 3),
                HloLiteral.array(HloShape.array(ElementType.PRED, 3), new byte[] {1, 0, 1})));
        assertThat(pred.getPredsList()).containsExactly(true, false, true);
    }

    @Test
    void nanPayloadsAndSignedZeroSurvive() {
        int[] bits = {0x7FC00001, 0xFFA00000, 0x80000000, 0x7F800000};
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : bits) {
            b.putInt(v);
        }
        HloShape shape = HloShape.array(ElementType.F32, 4);
        LiteralProto f32 = roundTrip(constant(shape, HloLiteral.array(shape, b.array())));
        assertThat(f32.getF32SList())
                .extracting(Float::floatToRawIntBits)
                .containsExactly(0x7FC00001, 0xFFA00000, 0x80000000, 0x7F800000);
    }

    @Test
    void tupleConstantsKeepEachElementsLayout() {
        HloShape a = HloShape.array(ElementType.F32, new long[] {2, 3}, new int[] {0, 1});
        HloShape b = HloShape.array(ElementType.S8, 2);
        HloLiteral literal = HloLiteral.tuple(List.of(
                HloLiteral.array(a.withDefaultLayout(), le(24, x -> {
                    for (int i = 1; i <= 6; i++) {
                        x.putFloat(i);
                    }
                })),
                HloLiteral.tuple(List.of(HloLiteral.array(b, new byte[] {5, 6})))));
        LiteralProto p = roundTrip(constant(HloShape.tuple(List.of(a, HloShape.tuple(List.of(b)))), literal));
        assertThat(p.getTupleLiteralsCount()).isEqualTo(2);
        assertThat(p.getTupleLiterals(0).getF32SList()).as("column-major").containsExactly(1f, 4f, 2f, 5f, 3f, 6f);
        assertThat(p.getTupleLiterals(1).getTupleLiterals(0).getS8S().toByteArray())
                .containsExactly(5, 6);
    }

    @Test
    void aPredByteOtherThanZeroOrOneIsRefused() {
        HloShape shape = HloShape.array(ElementType.PRED, 3);
        HloModule m = constant(shape, HloLiteral.array(shape, new byte[] {0, 2, 1}));
        assertThatThrownBy(() -> HloProtoWriter.write(m))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("instruction 'c' in computation 'e'")
                .hasMessageContaining("pred element 1 is 2");
    }

    @Test
    void aLiteralOfAnotherShapeThanItsInstructionIsRefused() {
        // The type checker refuses such a module when it is assembled, so it never reaches the writer.
        assertThatThrownBy(() -> constant(
                        HloShape.array(ElementType.F32, 3),
                        HloLiteral.array(HloShape.array(ElementType.F32, 2), new byte[8])))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                .hasMessageContaining("constant c: declares f32[3] but its literal is f32[2]");
    }

    private static byte[] le(int bytes, java.util.function.Consumer<ByteBuffer> fill) {
        ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        fill.accept(b);
        return b.array();
    }
}
