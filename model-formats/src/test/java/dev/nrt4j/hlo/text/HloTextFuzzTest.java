package dev.nrt4j.hlo.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nrt4j.BFloat16;
import dev.nrt4j.Float16;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.HloComputation;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloModule;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link HloTextParser}. Without {@code JAZZER_FUZZ} each target runs once per file in
 * {@code HloTextFuzzTestInputs/<method>/}; with it, Jazzer mutates from there.
 */
class HloTextFuzzTest {

    /**
     * Arbitrary text either parses or fails with {@code NeuronException(INVALID)} and a line:column;
     * any other exception, an OutOfMemoryError, a StackOverflowError or a hang is a finding.
     */
    @FuzzTest(maxDuration = "10m")
    // Tokens of the grammar, so that mutations get past the first few characters. libFuzzer's
    // dictionary format cannot hold newlines, quotes or backslashes as written here, so none appear.
    @DictionaryEntries({
        "HloModule m",
        "ENTRY ",
        "ROOT ",
        " = ",
        "f32[2,3]{1,0}",
        "s32[]",
        "pred[]",
        "bf16[4]",
        "c64[2]",
        "(f32[], s32[])",
        "token[]",
        "parameter(0)",
        "constant(",
        "{...}",
        "nan(0x1)",
        "-inf",
        "add(",
        "reduce(",
        "tuple(",
        "get-tuple-element(",
        "while(",
        "conditional(",
        "convolution(",
        "all-reduce(",
        ", dimensions={",
        ", to_apply=",
        ", window={size=2x2 stride=1x1 pad=0_0x1_1}",
        ", dim_labels=b01f_01io->b01f",
        ", slice={[0:2:1]}",
        ", padding=0_0_1x1_1",
        ", replica_groups=",
        "{{0,1},{2,3}}",
        "[2,2]<=[2,2]T(1,0)",
        "mesh['x'=2] {'x'}",
        ", source_target_pairs={{0,1}}",
        ", metadata={op_name=x}",
        ", backend_config={}",
        ", condition=",
        ", body=",
        ", branch_computations={",
        ", direction=LT",
        ", index=0",
        "/*",
        "*/",
        "//",
        "replica_count=2",
        "9223372036854775807",
        "99999999999"
    })
    void parseAcceptsOrRejectsCleanly(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        HloModule m;
        try {
            m = HloTextParser.parse(text, "fuzz");
        } catch (NeuronException e) {
            assertThat(e.status()).isEqualTo(Status.INVALID);
            // The parser gives a line:column; the type checker names the computation and instruction.
            assertThat(e.getMessage()).containsPattern("\\]: \\d+:\\d+: |type-check HLO .*\\]: computation '");
            return;
        }
        // What was accepted is a consistent graph: operands live in the same computation, before their users.
        for (HloComputation c : m.computations()) {
            for (HloInstruction i : c.instructions()) {
                for (HloInstruction o : i.operands()) {
                    assertThat(c.instructions().get(o.index())).isSameAs(o);
                    assertThat(o.index()).isLessThan(i.index());
                }
            }
            assertThat(c.instructions()).contains(c.root());
        }
        assertThat(m.computations()).contains(m.entry());
    }

    /**
     * Array constants of fuzzed element type, dimensions and values, written as HLO text the way XLA
     * prints them, must read back to exactly the bits they were written from (NaNs with their payload).
     */
    @FuzzTest(maxDuration = "10m")
    void constantsReadBackBitExact(FuzzedDataProvider data) {
        String[] types = {
            "pred", "s8", "s16", "s32", "s64", "u8", "u16", "u32", "u64", "f16", "bf16", "f32", "f64", "c64", "c128"
        };
        String type = data.pickValue(types);
        int rank = data.consumeInt(0, 3);
        int[] dims = new int[rank];
        int count = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = data.consumeInt(0, 4);
            count *= dims[i];
        }
        int size = switch (type) {
            case "pred", "s8", "u8" -> 1;
            case "s16", "u16", "f16", "bf16" -> 2;
            case "s32", "u32", "f32" -> 4;
            case "c64", "s64", "u64", "f64" -> 8;
            default -> 16;
        };
        ByteBuffer expected = ByteBuffer.allocate(count * size).order(ByteOrder.LITTLE_ENDIAN);
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
            values[i] = value(type, data, expected);
        }
        StringBuilder shape = new StringBuilder(type).append('[');
        for (int i = 0; i < rank; i++) {
            shape.append(i == 0 ? "" : ",").append(dims[i]);
        }
        shape.append(']');
        String text = "HloModule fuzz\n\nENTRY main {\n  ROOT c = " + shape + " constant(" + nest(values, dims, 0, 0)
                + ")\n}\n";
        HloModule m = HloTextParser.parse(text, "fuzz");
        byte[] actual = m.entry().root().literal().orElseThrow().toByteArray();
        assertThat(actual).as(text).isEqualTo(expected.array());
    }

    private static String nest(String[] values, int[] dims, int level, int offset) {
        if (level == dims.length) {
            return values[offset];
        }
        int inner = 1;
        for (int i = level + 1; i < dims.length; i++) {
            inner *= dims[i];
        }
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < dims[level]; i++) {
            b.append(i == 0 ? "" : ", ").append(nest(values, dims, level + 1, offset + i * inner));
        }
        return b.append('}').toString();
    }

    /** One value as text, with its bytes appended to {@code expected}. */
    private static String value(String type, FuzzedDataProvider data, ByteBuffer expected) {
        switch (type) {
            case "pred": {
                boolean v = data.consumeBoolean();
                expected.put((byte) (v ? 1 : 0));
                return data.consumeBoolean() ? String.valueOf(v) : v ? "1" : "0";
            }
            case "s8": {
                byte v = data.consumeByte();
                expected.put(v);
                return Byte.toString(v);
            }
            case "u8": {
                byte v = data.consumeByte();
                expected.put(v);
                return Integer.toString(v & 0xFF);
            }
            case "s16": {
                short v = data.consumeShort();
                expected.putShort(v);
                return Short.toString(v);
            }
            case "u16": {
                short v = data.consumeShort();
                expected.putShort(v);
                return Integer.toString(v & 0xFFFF);
            }
            case "s32": {
                int v = data.consumeInt();
                expected.putInt(v);
                return Integer.toString(v);
            }
            case "u32": {
                int v = data.consumeInt();
                expected.putInt(v);
                return Integer.toUnsignedString(v);
            }
            case "s64": {
                long v = data.consumeLong();
                expected.putLong(v);
                return Long.toString(v);
            }
            case "u64": {
                long v = data.consumeLong();
                expected.putLong(v);
                return Long.toUnsignedString(v);
            }
            case "f16": {
                short bits = data.consumeShort();
                expected.putShort(bits);
                return floatText(Float16.toFloat(bits), bits & 0x8000, (bits >>> 10 & 0x1F) == 0x1F, bits & 0x3FF);
            }
            case "bf16": {
                short bits = data.consumeShort();
                expected.putShort(bits);
                return floatText(BFloat16.toFloat(bits), bits & 0x8000, (bits >>> 7 & 0xFF) == 0xFF, bits & 0x7F);
            }
            case "f32": {
                int bits = data.consumeInt();
                expected.putInt(bits);
                return floatText(
                        Float.intBitsToFloat(bits), bits & 0x8000_0000, (bits >>> 23 & 0xFF) == 0xFF, bits & 0x7F_FFFF);
            }
            case "f64": {
                long bits = data.consumeLong();
                expected.putLong(bits);
                return doubleText(bits);
            }
            case "c64": {
                int re = data.consumeInt();
                int im = data.consumeInt();
                expected.putInt(re).putInt(im);
                return "("
                        + floatText(
                                Float.intBitsToFloat(re), re & 0x8000_0000, (re >>> 23 & 0xFF) == 0xFF, re & 0x7F_FFFF)
                        + ", "
                        + floatText(
                                Float.intBitsToFloat(im), im & 0x8000_0000, (im >>> 23 & 0xFF) == 0xFF, im & 0x7F_FFFF)
                        + ")";
            }
            default: {
                long re = data.consumeLong();
                long im = data.consumeLong();
                expected.putLong(re).putLong(im);
                return "(" + doubleText(re) + ", " + doubleText(im) + ")";
            }
        }
    }

    /**
     * XLA's spelling of a value of a binary float format: the exact value of a finite number (printed
     * from the double, which holds every narrower value exactly), inf, or nan with its payload.
     */
    private static String floatText(float v, long sign, boolean allOnesExponent, long mantissa) {
        if (allOnesExponent && mantissa != 0) {
            return (sign != 0 ? "-" : "") + "nan(0x" + Long.toHexString(mantissa) + ")";
        }
        if (Float.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return plain(Double.toString(v));
    }

    private static String doubleText(long bits) {
        double v = Double.longBitsToDouble(bits);
        if (Double.isNaN(v)) {
            return (bits < 0 ? "-" : "") + "nan(0x" + Long.toHexString(bits & 0xF_FFFF_FFFF_FFFFL) + ")";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return plain(Double.toString(v));
    }

    /** Java writes 1.0E10 where XLA writes 1e+10; both are read the same, but use XLA's spelling. */
    private static String plain(String javaDouble) {
        return javaDouble.replace("E-", "e-").replace("E", "e+");
    }
}
