package dev.nrt4j.hlo.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.BFloat16;
import dev.nrt4j.Float16;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.HloLiteral;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Literals of every supported element type, converted as XLA's parser converts them. */
class HloTextLiteralTest {

    private static HloLiteral constant(String shape, String literal) {
        return HloTextParser.parse(
                        "HloModule l\nENTRY e {\n  ROOT c = " + shape + " constant(" + literal + ")\n}\n", "lit")
                .entry()
                .root()
                .literal()
                .orElseThrow();
    }

    private static ByteBuffer data(String shape, String literal) {
        return constant(shape, literal).data();
    }

    private static byte[] bytes(String shape, String literal) {
        return constant(shape, literal).toByteArray();
    }

    private static NeuronException refused(String shape, String literal) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> constant(shape, literal));
        assertThat(t).isInstanceOf(NeuronException.class);
        NeuronException e = (NeuronException) t;
        assertThat(e.status()).isEqualTo(Status.INVALID);
        assertThat(e.getMessage()).containsPattern("3:\\d+: ");
        return e;
    }

    @Test
    void integersOfEveryWidthAtTheirLimits() {
        assertThat(bytes("s8[3]", "{-128, 0, 127}")).containsExactly(-128, 0, 127);
        assertThat(bytes("u8[2]", "{0, 255}")).containsExactly(0, -1);
        ByteBuffer s16 = data("s16[2]", "{-32768, 32767}");
        assertThat(s16.getShort(0)).isEqualTo((short) -32768);
        assertThat(s16.getShort(2)).isEqualTo((short) 32767);
        assertThat(data("u16[]", "65535").getShort(0)).isEqualTo((short) -1);
        ByteBuffer s32 = data("s32[2]", "{-2147483648, 2147483647}");
        assertThat(s32.getInt(0)).isEqualTo(Integer.MIN_VALUE);
        assertThat(s32.getInt(4)).isEqualTo(Integer.MAX_VALUE);
        assertThat(data("u32[]", "4294967295").getInt(0)).isEqualTo(-1);
        ByteBuffer s64 = data("s64[2]", "{-9223372036854775808, 9223372036854775807}");
        assertThat(s64.getLong(0)).isEqualTo(Long.MIN_VALUE);
        assertThat(s64.getLong(8)).isEqualTo(Long.MAX_VALUE);
        assertThat(data("u64[]", "18446744073709551615").getLong(0)).isEqualTo(-1L);
        assertThat(bytes("s4[2]", "{-8, 7}")).containsExactly(-8, 7);
        assertThat(bytes("u4[]", "15")).containsExactly(15);
        assertThat(data("s32[]", "-0").getInt(0)).isZero();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "s8[]; 128",
                "s8[]; -129",
                "u8[]; 256",
                "u8[]; -1",
                "s16[]; 32768",
                "u16[]; 65536",
                "s32[]; 2147483648",
                "s32[]; -2147483649",
                "u32[]; 4294967296",
                "s64[]; 9223372036854775808",
                "u64[]; 18446744073709551616",
                "u64[]; -1",
                "s4[]; 8",
                "u4[]; 16",
                "s32[]; 99999999999999999999999999999999999999999999999999"
            })
    void integersOutOfRangeAreInvalid(String shape, String literal) {
        assertThat(refused(shape, literal).getMessage()).contains("out of range");
    }

    @Test
    void integersRefuseFractionsAndWords() {
        assertThat(refused("s32[]", "1.5").getMessage()).contains("'.'");
        refused("s32[]", "true");
        refused("s32[]", "1e3");
    }

    @Test
    void predAcceptsWordsAndZeroOrOne() {
        assertThat(bytes("pred[4]", "{true, false, 1, 0}")).containsExactly(1, 0, 1, 0);
        assertThat(refused("pred[]", "2").getMessage()).contains("true, false, 0 or 1");
        refused("pred[]", "yes");
    }

    @Test
    void f32AndF64IncludingSpecialValues() {
        ByteBuffer f = data("f32[8]", "{1.5, -2, 3e2, 1.17549435e-38, inf, -inf, nan, -nan}");
        assertThat(f.getFloat(0)).isEqualTo(1.5f);
        assertThat(f.getFloat(4)).isEqualTo(-2f);
        assertThat(f.getFloat(8)).isEqualTo(300f);
        assertThat(f.getFloat(12)).isEqualTo(Float.MIN_NORMAL);
        assertThat(f.getFloat(16)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(f.getFloat(20)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(f.getInt(24)).isEqualTo(0x7FC0_0000);
        assertThat(f.getInt(28)).isEqualTo(0xFFC0_0000);
        ByteBuffer d = data("f64[4]", "{0.1, -1E-300, nan, -inf}");
        assertThat(d.getDouble(0)).isEqualTo(0.1);
        assertThat(d.getDouble(8)).isEqualTo(-1e-300);
        assertThat(d.getLong(16)).isEqualTo(0x7FF8_0000_0000_0000L);
        assertThat(d.getDouble(24)).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void nanPayloadsAreKeptExactly() {
        assertThat(data("f32[]", "nan(0x1)").getInt(0)).isEqualTo(0x7F80_0001);
        assertThat(data("f32[]", "-nan(0x7fffff)").getInt(0)).isEqualTo(0xFFFF_FFFF);
        assertThat(data("f64[]", "nan(0x8000000000001)").getLong(0)).isEqualTo(0x7FF8_0000_0000_0001L);
        assertThat(data("f16[]", "nan(0x3ff)").getShort(0)).isEqualTo((short) 0x7FFF);
        assertThat(data("bf16[]", "-nan(0x1)").getShort(0)).isEqualTo((short) 0xFF81);
        assertThat(refused("f32[]", "nan(0x800000)").getMessage()).contains("23 mantissa bits");
        assertThat(refused("bf16[]", "nan(0x80)").getMessage()).contains("7 mantissa bits");
        refused("f32[]", "nan(0x0)");
        refused("f32[]", "nan(12)");
    }

    @Test
    void halfPrecisionRoundsToNearestEvenThroughFloat() {
        // 1 + 2^-8 lies exactly between two bf16 values (1 and 1 + 2^-7): ties go to the even one, 1.
        // 1 + 3 * 2^-8 lies between 1 + 2^-7 (odd) and 1 + 2^-6 (even): ties go to 1 + 2^-6.
        // 1.0039063 is just above the first tie, but as a float it is the tie itself, so going through
        // float (as XLA does) gives 1 where rounding the double directly would give 1 + 2^-7.
        ByteBuffer bf = data("bf16[5]", "{1.00390625, 1.01171875, 1.0039063, 1.0039064, -0}");
        assertThat(bf.getShort(0)).isEqualTo((short) 0x3F80);
        assertThat(bf.getShort(2)).isEqualTo((short) 0x3F82);
        assertThat(bf.getShort(4)).isEqualTo((short) 0x3F80);
        assertThat(bf.getShort(6)).isEqualTo((short) 0x3F81);
        assertThat(bf.getShort(8)).isEqualTo((short) 0x8000);
        ByteBuffer h = data("f16[5]", "{1.00048828125, 65504, 6e-8, 0.1, -inf}");
        assertThat(h.getShort(0)).isEqualTo((short) 0x3C00);
        assertThat(h.getShort(2)).isEqualTo((short) 0x7BFF);
        assertThat(h.getShort(4)).isEqualTo((short) 0x0001);
        assertThat(h.getShort(6)).isEqualTo(Float16.fromFloat(0.1f));
        assertThat(h.getShort(8)).isEqualTo((short) 0xFC00);
        assertThat(data("bf16[]", "3.14159").getShort(0)).isEqualTo(BFloat16.fromFloat(3.14159f));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "f16[]; 65505",
                "f16[]; -1e5",
                "bf16[]; 3.4e38",
                "f32[]; 3.5e38",
                "f32[]; -1e39",
                "c64[]; (1e39, 0)"
            })
    void finiteValuesBeyondTheTypeAreInvalid(String shape, String literal) {
        assertThat(refused(shape, literal).getMessage()).contains("out of range");
    }

    @Test
    void decimalsBeyondTheDoubleRangeAreInvalidRatherThanInfinite() {
        assertThat(refused("f32[]", "1e400").getMessage()).contains("write inf");
        assertThat(refused("f64[]", "-1e309").getMessage()).contains("out of range");
    }

    @Test
    void complexNumbersAsRealImaginaryPairs() {
        ByteBuffer c = data("c64[2]", "{(1, -2.5), (inf, nan)}");
        assertThat(c.getFloat(0)).isEqualTo(1f);
        assertThat(c.getFloat(4)).isEqualTo(-2.5f);
        assertThat(c.getFloat(8)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(Float.isNaN(c.getFloat(12))).isTrue();
        ByteBuffer z = data("c128[]", "(0.1, 0.2)");
        assertThat(z.getDouble(0)).isEqualTo(0.1);
        assertThat(z.getDouble(8)).isEqualTo(0.2);
        refused("c64[]", "1");
    }

    @Test
    void complexPartsKeepNanPayloadsOfTheirComponentType() {
        ByteBuffer c = data("c64[]", "(-nan(0x7f7f00), nan)");
        assertThat(c.getInt(0)).isEqualTo(0xFFFF_7F00);
        assertThat(c.getInt(4)).isEqualTo(0x7FC0_0000);
        ByteBuffer z = data("c128[]", "(1, nan(0x1))");
        assertThat(z.getLong(8)).isEqualTo(0x7FF0_0000_0000_0001L);
    }

    @Test
    void nestedBracesAreRowMajorWhateverTheLayout() {
        HloLiteral l = constant("s32[2,3]{0,1}", "{ { 1, 2, 3 }, { 4, 5, 6 } }");
        assertThat(l.shape().hasDefaultLayout()).isTrue();
        ByteBuffer b = l.data();
        for (int i = 0; i < 6; i++) {
            assertThat(b.getInt(4 * i)).isEqualTo(i + 1);
        }
        assertThat(data("f32[2,0]", "{ {}, {} }").remaining()).isZero();
        assertThat(data("f32[0,4]", "{}").remaining()).isZero();
        assertThat(data("f32[1,1,1,1]", "{{{{7}}}}").getFloat(0)).isEqualTo(7f);
        assertThat(data("f32[]", "{2}").getFloat(0)).isEqualTo(2f);
    }

    @Test
    void wrongCountsAtAnyLevelAreInvalid() {
        assertThat(refused("s32[2,3]", "{ {1, 2, 3}, {4, 5} }").getMessage()).contains("dimension 1");
        assertThat(refused("s32[2,3]", "{ {1, 2, 3}, {4, 5, 6, 7} }").getMessage())
                .contains("more");
        assertThat(refused("s32[2,3]", "{ {1, 2, 3} }").getMessage()).contains("dimension 0");
        assertThat(refused("s32[2,3]", "{ {1, 2, 3}, {4, 5, 6}, {7, 8, 9} }").getMessage())
                .contains("more");
        refused("s32[2]", "1");
        refused("s32[]", "{1, 2}");
    }

    @Test
    void tuplesOfLiterals() {
        HloLiteral t = constant("(f32[2], (s32[], pred[]), ())", "({1, 2}, (3, true), ())");
        assertThat(t.isTuple()).isTrue();
        assertThat(t.elements()).hasSize(3);
        assertThat(t.elements().get(0).data().getFloat(4)).isEqualTo(2f);
        assertThat(t.elements().get(1).elements().get(0).data().getInt(0)).isEqualTo(3);
        assertThat(t.elements().get(1).elements().get(1).data().get(0)).isEqualTo((byte) 1);
        assertThat(t.elements().get(2).elements()).isEmpty();
        refused("(f32[], f32[])", "(1)");
        refused("(f32[])", "(1, 2)");
    }

    @Test
    void littleEndianBytes() {
        byte[] bytes = constant("s32[]", "258").toByteArray();
        assertThat(bytes).containsExactly(2, 1, 0, 0);
        assertThat(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt())
                .isEqualTo(258);
    }

    @Test
    void elidedConstantsPointToTheProtobuf() {
        for (String[] c : new String[][] {
            {"f32[20]", "{...}"},
            {"f32[2,20]", "{ {...}, {...} }"},
            {"f32[2,3]", "{ {1,2,3}, {...} }"},
            {"(f32[], f32[20])", "(1, {...})"},
            {"f32[3]", "{1, ...}"}
        }) {
            NeuronException e = refused(c[0], c[1]);
            assertThat(e.getMessage()).contains("elides a large constant").contains(".hlo_module.pb");
        }
    }

    @Test
    void unsupportedLiteralTypesSayWhatToDo() {
        assertThat(refused("f8e4m3fn[]", "1").getMessage()).contains("f8e4m3fn").contains(".hlo_module.pb");
        refused("token[]", "1");
    }

    @Test
    void malformedNumbers() {
        refused("f32[]", "1.5.5");
        refused("f32[]", "1e");
        refused("f32[]", "--1");
        refused("f32[]", "infinity");
        refused("f32[]", "0x10");
        refused("f32[]", ".");
    }
}
