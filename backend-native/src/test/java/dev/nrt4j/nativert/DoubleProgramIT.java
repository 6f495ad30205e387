package dev.nrt4j.nativert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.LoadOptions;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronException;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import dev.nrt4j.TensorPlacement;
import dev.nrt4j.nativert.binding.RawTensorInfo;
import dev.nrt4j.spi.TensorHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The double's program format 2 (the contract with the stand-in neuronx-cc): each op and dtype computes
 * what the format says, rounding and wrapping included, and every ill-formed program is refused at
 * {@code nrt_load} with {@code NRT_INVALID}. Through the binding this JVM has (FFM, or JNA on the JDK 17
 * leg).
 */
class DoubleProgramIT {
    @TempDir
    Path dir;

    private NativeRuntime rt;

    @BeforeEach
    void open() {
        LibnrtDouble.use();
        rt = (NativeRuntime)
                new NativeBackendProvider().open(RuntimeOptions.builder().build());
    }

    @AfterEach
    void close() {
        rt.close();
        LibnrtDouble.assertNothingLeaked();
    }

    /** Inputs input0.. of the given bytes, one output output0 of {@code outBytes}; returns output0's bytes. */
    private byte[] run(String program, int outBytes, byte[]... inputs) {
        NativeModel m = load(program, outBytes, sizes(inputs));
        List<TensorHandle> made = new ArrayList<>();
        try {
            Map<String, TensorHandle> in = new LinkedHashMap<>();
            for (int i = 0; i < inputs.length; i++) {
                TensorHandle t = rt.allocate(TensorPlacement.DEVICE, m.core(), inputs[i].length, "input" + i);
                made.add(t);
                t.write(0, ByteBuffer.wrap(inputs[i]));
                in.put("input" + i, t);
            }
            TensorHandle out = rt.allocate(TensorPlacement.DEVICE, m.core(), outBytes, "output0");
            made.add(out);
            m.execute(in, Map.of("output0", out));
            ByteBuffer got = ByteBuffer.allocate(outBytes);
            out.read(0, got);
            return got.array();
        } finally {
            made.forEach(TensorHandle::free);
            m.unload();
        }
    }

    private static int[] sizes(byte[]... inputs) {
        int[] s = new int[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            s[i] = inputs[i].length;
        }
        return s;
    }

    private NativeModel load(String program, int outBytes, int... inputBytes) {
        return (NativeModel) rt.load(
                ModelSource.of(TestNeffs.write(dir, "p.neff", neff(program, outBytes, inputBytes))),
                LoadOptions.anyCore());
    }

    private static byte[] neff(String program, int outBytes, int... inputBytes) {
        List<Object> vars = new ArrayList<>();
        for (int i = 0; i < inputBytes.length; i++) {
            vars.addAll(List.of("input" + i, "input", i, inputBytes[i]));
        }
        vars.addAll(List.of("output0", "output", inputBytes.length, outBytes));
        return TestNeffs.neff(program, vars.toArray());
    }

    private static String prog(String... lines) {
        return TestNeffs.program(lines);
    }

    private static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] f32(float... v) {
        ByteBuffer b = le(4 * v.length);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    private static float[] floats(byte[] b) {
        ByteBuffer r = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.length / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = r.getFloat();
        }
        return out;
    }

    private static byte[] u16(int... v) {
        ByteBuffer b = le(2 * v.length);
        for (int x : v) {
            b.putShort((short) x);
        }
        return b.array();
    }

    private static int[] shorts(byte[] b) {
        ByteBuffer r = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[b.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = r.getShort() & 0xffff;
        }
        return out;
    }

    private static byte[] s32(int... v) {
        ByteBuffer b = le(4 * v.length);
        for (int x : v) {
            b.putInt(x);
        }
        return b.array();
    }

    private static int[] ints(byte[] b) {
        ByteBuffer r = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[b.length / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = r.getInt();
        }
        return out;
    }

    @Test
    void constBroadcastAddMultiplyAndCopyInF32() {
        byte[] out = run(
                prog(
                        "%0 = input input0 f32 2 3",
                        "%1 = const f32 0x1.8p+1",
                        "%2 = broadcast %1 2 3",
                        "%3 = multiply %0 %2",
                        "%4 = const f32 0.5",
                        "%5 = broadcast %4 2 3",
                        "%6 = add %3 %5",
                        "%7 = copy %6",
                        "output output0 %7"),
                24,
                f32(1, 2, 3, 4, 5, -6));
        assertThat(floats(out)).containsExactly(3.5f, 6.5f, 9.5f, 12.5f, 15.5f, -17.5f);
    }

    @Test
    void bf16AndF16ResultsAreRoundedOnceToNearestEven() {
        // bf16: 1 + 2^-8 is a tie between 1 and 1 + 2^-7 -> 1 (even); (1 + 2^-7) + 2^-8 -> 1 + 2^-6 (even).
        byte[] bf = run(
                prog("%0 = input input0 bf16 2", "%1 = input input1 bf16 2", "%2 = add %0 %1", "output output0 %2"),
                4,
                u16(0x3F80, 0x3F81),
                u16(0x3B80, 0x3B80));
        assertThat(shorts(bf)).containsExactly(0x3F80, 0x3F82);
        // f16: 1 + 2^-11 ties to 1; 65504 + 16 = 65520 ties to 65536, which overflows to infinity;
        // 2^-24 * 0.5 ties to 0 and 3*2^-24 * 0.5 ties to 2*2^-24 (gradual underflow).
        byte[] sum = run(
                prog("%0 = input input0 f16 2", "%1 = input input1 f16 2", "%2 = add %0 %1", "output output0 %2"),
                4,
                u16(0x3C00, 0x7BFF),
                u16(0x1000, 0x4C00));
        assertThat(shorts(sum)).containsExactly(0x3C00, 0x7C00);
        byte[] tiny = run(
                prog(
                        "%0 = input input0 f16 2",
                        "%1 = const f16 0.5", "%2 = broadcast %1 2", "%3 = multiply %0 %2", "output output0 %3"),
                4,
                u16(0x0001, 0x0003));
        assertThat(shorts(tiny)).containsExactly(0x0000, 0x0002);
        // A decimal constant is rounded once to the dtype: 1.00390625 is the bf16 tie above.
        byte[] c = run(
                prog(
                        "%0 = input input0 bf16 1",
                        "%1 = const bf16 1.00390625", "%2 = broadcast %1 1", "%3 = add %0 %2", "output output0 %3"),
                2,
                u16(0x0000));
        assertThat(shorts(c)).containsExactly(0x3F80);
    }

    @Test
    void dotAccumulatesInAscendingKWithoutFusedMultiplyAdd() {
        float x = 1 + 0x1p-12f;
        // [-1, x] . [1, x]: -1 + round(x*x) = 2^-11 exactly; a fused multiply-add would give 2^-11 + 2^-24.
        byte[] fma = run(
                prog("%0 = input input0 f32 1 2", "%1 = input input1 f32 2 1", "%2 = dot %0 %1", "output output0 %2"),
                4,
                f32(-1, x),
                f32(1, x));
        assertThat(floats(fma)).containsExactly(0x1p-11f);
        // 2^24 + 1 - 2^24 in ascending k is 0 (2^24 + 1 rounds to 2^24); descending it would be 1.
        byte[] order = run(
                prog("%0 = input input0 f32 1 3", "%1 = input input1 f32 3 1", "%2 = dot %0 %1", "output output0 %2"),
                4,
                f32(0x1p24f, 1, -0x1p24f),
                f32(1, 1, 1));
        assertThat(floats(order)).containsExactly(0f);
        byte[] mm = run(
                prog("%0 = input input0 s32 2 2", "%1 = input input1 s32 2 2", "%2 = dot %0 %1", "output output0 %2"),
                16,
                s32(1, 2, 3, 4),
                s32(5, 6, 7, 8));
        assertThat(ints(mm)).containsExactly(19, 22, 43, 50);
    }

    @Test
    void integerArithmeticWrapsAndPredIsOrAndAnd() {
        assertThat(ints(run(
                        prog(
                                "%0 = input input0 s32 2",
                                "%1 = input input1 s32 2",
                                "%2 = add %0 %1",
                                "%3 = multiply %0 %1",
                                "%4 = add %2 %3",
                                "output output0 %2"),
                        8,
                        s32(Integer.MAX_VALUE, 65536),
                        s32(1, 65536))))
                .containsExactly(Integer.MIN_VALUE, 131072);
        assertThat(ints(run(
                        prog(
                                "%0 = input input0 s32 1",
                                "%1 = input input1 s32 1", "%2 = multiply %0 %1", "output output0 %2"),
                        4,
                        s32(65536),
                        s32(65536))))
                .containsExactly(0);
        assertThat(run(
                        prog(
                                "%0 = input input0 s8 2",
                                "%1 = const s8 1", "%2 = broadcast %1 2", "%3 = add %0 %2", "output output0 %3"),
                        2,
                        new byte[] {127, -1}))
                .containsExactly(-128, 0);
        assertThat(run(
                        prog(
                                "%0 = input input0 u8 2",
                                "%1 = const u8 255", "%2 = broadcast %1 2", "%3 = multiply %0 %2", "output output0 %3"),
                        2,
                        new byte[] {2, 1}))
                .containsExactly((byte) 254, (byte) 255);
        ByteBuffer s64 = le(8).putLong(Long.MAX_VALUE);
        byte[] wrapped = run(
                prog("%0 = input input0 s64", "%1 = const s64 1", "%2 = add %0 %1", "output output0 %2"),
                8,
                s64.array());
        assertThat(ByteBuffer.wrap(wrapped).order(ByteOrder.LITTLE_ENDIAN).getLong())
                .isEqualTo(Long.MIN_VALUE);
        // Any non-zero byte is true; results are 0 or 1.
        assertThat(run(
                        prog(
                                "%0 = input input0 pred 4",
                                "%1 = input input1 pred 4", "%2 = add %0 %1", "output output0 %2"),
                        4,
                        new byte[] {0, 7, 0, 1},
                        new byte[] {0, 0, 9, 1}))
                .containsExactly(0, 1, 1, 1);
        assertThat(run(
                        prog(
                                "%0 = input input0 pred 4",
                                "%1 = input input1 pred 4", "%2 = multiply %0 %1", "output output0 %2"),
                        4,
                        new byte[] {0, 7, 0, 1},
                        new byte[] {0, 0, 9, 1}))
                .containsExactly(0, 0, 0, 1);
    }

    @Test
    void aOneRankAllReduceIsTheValueItself() {
        assertThat(floats(run(
                        prog("%0 = input input0 f32 3", "%1 = all-reduce-sum %0", "output output0 %1"),
                        12,
                        f32(1, -2, 3))))
                .containsExactly(1, -2, 3);
    }

    @Test
    void tensorInfoTakesNamesAndSizesFromDefJsonAndTypesFromTheProgram() {
        NativeModel m = (NativeModel) rt.load(
                ModelSource.of(TestNeffs.write(
                        dir,
                        "info.neff",
                        TestNeffs.neff(
                                prog(
                                        "# a comment line",
                                        "",
                                        "%0 = input b s8  3 1   # spaces and a comment",
                                        "%1 = input a pred",
                                        "%2 = copy %0",
                                        "output o.1 %1",
                                        "output z %2"),
                                // var_ids out of textual order: reported inputs first, then outputs, each by var_id.
                                "z",
                                "output",
                                5,
                                3,
                                "b",
                                "input",
                                1,
                                3,
                                "o.1",
                                "output",
                                4,
                                1,
                                "a",
                                "input",
                                0,
                                1))),
                LoadOptions.anyCore());
        try {
            assertThat(m.rawTensorInfo()).extracting(RawTensorInfo::name).containsExactly("a", "b", "o.1", "z");
            RawTensorInfo a = m.rawTensorInfo().get(0);
            assertThat(a.dtype()).as("pred is reported as UINT8").isEqualTo(0x3);
            assertThat(a.shape()).isEmpty();
            assertThat(m.rawTensorInfo().get(1).dtype()).isEqualTo(0x2);
            assertThat(m.rawTensorInfo().get(1).shape()).containsExactly(3, 1);
            assertThat(m.rawTensorInfo().get(3).size()).isEqualTo(3);
        } finally {
            m.unload();
        }
    }

    /** Each of these breaks one rule of the format; the double must refuse it at load. */
    @Test
    void everyIllFormedProgramIsRefusedAtLoadWithInvalid() {
        String in = "%0 = input input0 f32 2";
        String out = "output output0 %1";
        List<String> bad = List.of(
                "", // empty
                "nrt4j-program 1\n" + in + "\n%1 = copy %0\n" + out, // another version
                "%0 = input input0 f32 2\nnrt4j-program 2", // version line not first
                prog("nrt4j-program 2", in, "%1 = copy %0", out), // version line twice
                prog(in, "%2 = copy %0", out), // out of order
                prog(in, "%1 = copy %0", "%1 = copy %0", out), // defined twice
                prog(in, "%1 = copy %2", out), // used before defined
                prog(in, "%1 = copy %01", out), // not a canonical reference
                prog(in, "%1 = negate %0", out), // unknown op
                prog("%0 = input input0 f64 1", "%1 = copy %0", out), // unknown dtype
                prog("%0 = input input0 f32 3", "%1 = copy %0", out), // size differs from def.json
                prog(
                        "%0 = input input0 f32 2",
                        "%1 = input input0 f32 2", "%2 = copy %0", "output output0 %2"), // bound twice
                prog("%0 = input nosuch f32 2", "%1 = copy %0", out), // not in def.json
                prog("%0 = input output0 f32 2", "%1 = copy %0", out), // an output named on an input line
                prog(in, "%1 = copy %0"), // output never written
                prog(in, "%1 = copy %0", out, out), // output written twice
                prog("%0 = const f32 1", "%1 = broadcast %0 2", out), // input never bound
                prog(in, "%1 = add %0", out), // wrong arity
                prog(
                        in,
                        "%1 = const s32 1",
                        "%2 = broadcast %1 2",
                        "%3 = add %0 %2",
                        "output output0 %0"), // dtypes differ
                prog(
                        in,
                        "%1 = const f32 1",
                        "%2 = broadcast %1 1 2",
                        "%3 = add %0 %2",
                        "output output0 %0"), // shapes differ
                prog(in, "%1 = dot %0 %0", out), // dot of rank 1
                prog(in, "%1 = broadcast %0 2", out), // broadcast of a non-scalar
                prog(in, "%1 = const s8 200", "%2 = copy %0", "output output0 %2"), // constant out of range
                prog(in, "%1 = const u8 -1", "%2 = copy %0", "output output0 %2"),
                prog(in, "%1 = const pred 2", "%2 = copy %0", "output output0 %2"),
                prog(in, "%1 = const f32 1.5x", "%2 = copy %0", "output output0 %2"),
                prog(in, "%1 = const f32", "%2 = copy %0", "output output0 %2"),
                prog("%0 = input\tinput0 f32 2", "%1 = copy %0", out), // a tab is not a separator
                prog("%0 = input input0 f32 2\r", "%1 = copy %0", out), // nor a carriage return
                prog("cores 0", in, "%1 = copy %0", out), // no cores
                prog("ranks 1", "ranks 1", in, "%1 = copy %0", out), // given twice
                prog("cores two", in, "%1 = copy %0", out),
                prog(in, "%1 copy %0", out), // no '='
                prog(in, "%1 = copy %0", "output output0"), // output without a value
                prog(in, "%1 = copy %0", "bogus statement"),
                prog("%0 = input input0 f32 1 1 1 1 1 1 1 1 2", "%1 = copy %0", out), // nine dims
                prog("%0 = input input0 f32 -2", "%1 = copy %0", out), // negative dim
                prog("%0 = input input0 x4packed 8", "%1 = add %0 %0", out) // no arithmetic on x4packed
                );
        for (int i = 0; i < bad.size(); i++) {
            String p = bad.get(i);
            byte[] neff = neff(p, 8, 8);
            assertThatThrownBy(() -> rt.lib().load(neff, -1, -1))
                    .as("program %d:%n%s", i, p)
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID));
        }
        byte[] nul = neff(prog(in, "%1 = copy %0", out).replace("copy", "co\0py"), 8, 8);
        assertThatThrownBy(() -> rt.lib().load(nul, -1, -1))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID));
        // The same program, well formed, loads: the failures above are the rule each one breaks.
        rt.lib().unload(rt.lib().load(neff(prog(in, "%1 = copy %0", out), 8, 8), -1, -1));
    }

    @Test
    void aMalformedDefJsonOrAMissingProgramIsInvalid() {
        byte[] noProgram = new dev.nrt4j.neff.NeffBuilder()
                .directory("sg00/")
                .file("sg00/def.json", dev.nrt4j.neff.NeffBuilder.defJson("input0", "input", 0, 4))
                .build();
        byte[] badJson = new dev.nrt4j.neff.NeffBuilder()
                .directory("sg00/")
                .file("sg00/def.json", "{\"var\": {\"input0\": {\"type\": \"input\", \"size\": }}}")
                .file("nrt4j.program", prog("%0 = input input0 f32 1", "output output0 %0"))
                .build();
        for (byte[] neff : List.of(TestNeffs.withLnc(noProgram, 0), TestNeffs.withLnc(badJson, 0))) {
            assertThatThrownBy(() -> rt.lib().load(neff, -1, -1))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID));
        }
    }
}
