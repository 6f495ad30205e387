package dev.nrt4j.hlo.proto;

import static dev.nrt4j.hlo.proto.HandMadeHlo.F32;
import static dev.nrt4j.hlo.proto.HandMadeHlo.array;
import static dev.nrt4j.hlo.proto.HandMadeHlo.computation;
import static dev.nrt4j.hlo.proto.HandMadeHlo.field;
import static dev.nrt4j.hlo.proto.HandMadeHlo.ins;
import static dev.nrt4j.hlo.proto.HandMadeHlo.module;
import static dev.nrt4j.hlo.proto.HandMadeHlo.parameter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.proto.schema.HloComputationProto;
import dev.nrt4j.hlo.proto.schema.HloModuleProto;
import dev.nrt4j.hlo.proto.schema.IotaReplicaGroupListProto;
import dev.nrt4j.hlo.proto.schema.LayoutProto;
import dev.nrt4j.hlo.proto.schema.LiteralProto;
import dev.nrt4j.hlo.proto.schema.ShapeProto;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed input fails with {@code NeuronException(INVALID)} naming the problem, and nothing else. */
class HloProtoBadInputTest {

    private static NeuronException refused(byte[] bytes) {
        NeuronException e = catchThrowableOfType(NeuronException.class, () -> HloProtoReader.read(bytes, "bad.pb"));
        assertThat(e).as("reading should have failed").isNotNull();
        assertThat(e.status()).isEqualTo(Status.INVALID);
        assertThat(e.getMessage()).startsWith("read HLO bad.pb failed [INVALID]: ");
        return e;
    }

    private static NeuronException refused(HloModuleProto m) {
        return refused(m.toByteArray());
    }

    @Test
    void randomBytes() {
        Random random = new Random(20240611);
        for (int n = 0; n < 2000; n++) {
            byte[] b = new byte[random.nextInt(400)];
            random.nextBytes(b);
            refused(b);
        }
        assertThat(refused(new byte[0]).getMessage()).contains("no computations");
        assertThat(refused(new byte[] {(byte) 0xff, (byte) 0xff}).getMessage()).contains("not a valid HloModuleProto");
    }

    /**
     * A module holding only fields 1 to 3 and one computation: every proper prefix either ends inside
     * a length-delimited field (truncated) or before the computation (no computations), so none of
     * them may read. Compressed, every prefix is a truncated gzip stream.
     */
    @Test
    void truncationAtEveryOffset() {
        HloModuleProto full =
                HandMadeHlo.addTupleGte().toBuilder().clearEntryComputationId().build();
        byte[] bytes = full.toByteArray();
        assertThat(HloProtoReader.read(bytes, "whole").entry().instructions()).hasSize(5);
        for (int n = 0; n < bytes.length; n++) {
            refused(Arrays.copyOf(bytes, n));
        }
        byte[] gz = HandMadeHlo.gzip(bytes);
        for (int n = 2; n < gz.length; n++) {
            refused(Arrays.copyOf(gz, n));
        }
        assertThat(refused(Arrays.copyOf(bytes, bytes.length - 3)).getMessage()).contains("ended unexpectedly");
    }

    @Test
    void unknownOpcodeIsNamedWithItsInstruction() {
        ShapeProto f = array(F32);
        assertThat(refused(module(
                                "m",
                                computation(
                                        1, "main", 2, parameter(1, "p", 0, f), ins(2, "odd", "frobnicate-2030", f, 1))))
                        .getMessage())
                .contains("instruction 'odd' in computation 'main' has the unknown opcode 'frobnicate-2030'");
        assertThat(refused(module("m", computation(1, "main", 2, parameter(1, "p", 0, f), ins(2, "n", "Negate", f, 1))))
                        .getMessage())
                .contains("instruction 'n' in computation 'main' has the unknown opcode 'Negate'");
    }

    /** The reader's vocabulary is HloOpcode: no XLA opcode is refused as unknown, whatever else is wrong. */
    @Test
    void everyHloOpcodeIsAKnownOpcode() {
        ShapeProto f = array(F32);
        for (HloOpcode op : HloOpcode.values()) {
            HloModuleProto m = module("m", computation(1, "main", 1, ins(1, "x", op.text(), f)));
            Throwable t = catchThrowable(() -> HloProtoReader.read(m.toByteArray(), "op.pb"));
            assertThat(t == null ? "" : t.getMessage()).as(op.text()).doesNotContain("unknown opcode");
        }
    }

    @Test
    void undefinedOperand() {
        ShapeProto f = array(F32);
        assertThat(refused(module(
                                "m", computation(1, "main", 2, parameter(1, "p", 0, f), ins(2, "n", "negate", f, 99))))
                        .getMessage())
                .contains("instruction 'n' in computation 'main' uses operand id 99, which is not defined there");
    }

    @Test
    void cycleOfInstructions() {
        ShapeProto f = array(F32);
        assertThat(refused(module(
                                "m",
                                computation(1, "main", 3, ins(2, "a", "negate", f, 3), ins(3, "b", "negate", f, 2))))
                        .getMessage())
                .contains("cycle")
                .contains("'a'")
                .contains("'b'");
        assertThat(refused(module("m", computation(1, "main", 2, ins(2, "self", "negate", f, 2))))
                        .getMessage())
                .contains("cycle");
    }

    @Test
    void recursionBetweenComputations() {
        ShapeProto f = array(F32);
        HloComputationProto a = computation(1, "a", 1, ins(1, "ca", "call", f).addCalledComputationIds(2));
        HloComputationProto b = computation(2, "b", 2, ins(2, "cb", "call", f).addCalledComputationIds(1));
        assertThat(refused(module("m", a, b)).getMessage()).contains("cycle").contains("recursion");
        HloComputationProto self =
                computation(3, "s", 3, ins(3, "cs", "call", f).addCalledComputationIds(3));
        assertThat(refused(module("m", self)).getMessage()).contains("recursion");
        HloComputationProto missing =
                computation(4, "t", 4, ins(4, "ct", "call", f).addCalledComputationIds(77));
        assertThat(refused(module("m", missing)).getMessage())
                .contains("calls computation id 77, which is not defined");
    }

    @Test
    void elementCountOverflow() {
        ShapeProto huge = array(F32, 1L << 40, 1L << 40);
        assertThat(refused(module("m", computation(1, "main", 1, parameter(1, "p", 0, huge))))
                        .getMessage())
                .contains("instruction 'p'")
                .contains("elements");
        assertThat(refused(module("m", computation(1, "main", 1, parameter(1, "p", 0, array(F32, -1)))))
                        .getMessage())
                .contains("negative dimension");
    }

    @Test
    void literalThatDoesNotMatchItsShape() {
        ShapeProto f = array(F32, 2, 3);
        LiteralProto five = LiteralProto.newBuilder()
                .setShape(f)
                .addF32S(1)
                .addF32S(2)
                .addF32S(3)
                .addF32S(4)
                .addF32S(5)
                .build();
        assertThat(refused(constant(f, five)).getMessage())
                .contains("a f32[2,3] literal needs 6 values in f32s, found 5");
        ShapeProto bf16 = array(16, 4);
        assertThat(refused(constant(
                                bf16,
                                LiteralProto.newBuilder()
                                        .setShape(bf16)
                                        .setBf16S(com.google.protobuf.ByteString.copyFrom(new byte[7]))
                                        .build()))
                        .getMessage())
                .contains("needs 8 bytes in bf16s, found 7");
        // Declares 2^31 bytes with none present: refused before anything of that size is allocated.
        ShapeProto big = array(6, 1L << 31);
        assertThat(refused(constant(big, LiteralProto.newBuilder().setShape(big).build()))
                        .getMessage())
                .contains("literal");
        ShapeProto s32 = array(4, 2);
        assertThat(refused(constant(
                                f,
                                LiteralProto.newBuilder()
                                        .setShape(s32)
                                        .addS32S(1)
                                        .addS32S(2)
                                        .build()))
                        .getMessage())
                .contains("has shape f32[2,3] but its literal is a s32[2]");
        assertThat(refused(constant(f, LiteralProto.newBuilder().addF32S(1).build()))
                        .getMessage())
                .contains("the literal has no shape");
        ShapeProto pair = HandMadeHlo.tuple(f, f);
        assertThat(refused(constant(
                                pair, LiteralProto.newBuilder().setShape(pair).build()))
                        .getMessage())
                .contains("has 0 tuple elements");
    }

    private static HloModuleProto constant(ShapeProto shape, LiteralProto literal) {
        return module(
                "m", computation(1, "main", 1, ins(1, "k", "constant", shape).setLiteral(literal)));
    }

    @Test
    void deepNesting() {
        // A literal nested 5,000 tuples deep, written by hand (the builders would recurse to serialize it).
        byte[] literal = field(1, new byte[] {0x10, 1});
        for (int i = 0; i < 5_000; i++) {
            literal = field(10, literal);
        }
        byte[] instruction = HandMadeHlo.concat(
                field(1, "k".getBytes()),
                field(2, "constant".getBytes()),
                field(3, array(F32).toByteArray()),
                field(8, literal));
        byte[] bytes = field(3, field(2, instruction));
        assertThat(refused(bytes).getMessage()).contains("nested more than " + HloProtoReader.MAX_NESTING + " levels");
        byte[] shape = array(F32).toByteArray();
        for (int i = 0; i < 5_000; i++) {
            shape = HandMadeHlo.concat(new byte[] {0x10, 13}, field(4, shape));
        }
        assertThat(refused(field(3, field(2, field(3, shape)))).getMessage()).contains("nested more than");
    }

    @Test
    void malformedShapesAndIds() {
        ShapeProto unknownType = ShapeProto.newBuilder().setElementType(99).build();
        assertThat(refused(module("m", computation(1, "main", 1, parameter(1, "p", 0, unknownType))))
                        .getMessage())
                .contains("element type 99");
        ShapeProto badLayout = array(F32, 2, 3).toBuilder()
                .setLayout(LayoutProto.newBuilder().addMinorToMajor(0).addMinorToMajor(0))
                .build();
        assertThat(refused(module("m", computation(1, "main", 1, parameter(1, "p", 0, badLayout))))
                        .getMessage())
                .contains("not a permutation");
        ShapeProto wrappedLayout = array(F32, 2, 3).toBuilder()
                .setLayout(LayoutProto.newBuilder().addMinorToMajor(1L << 32).addMinorToMajor(0))
                .build();
        assertThat(refused(module("m", computation(1, "main", 1, parameter(1, "p", 0, wrappedLayout))))
                        .getMessage())
                .contains("not a permutation");
        ShapeProto f = array(F32);
        assertThat(refused(module("m", computation(1, "main", 1, parameter(1, "p", 0, f), parameter(1, "q", 1, f))))
                        .getMessage())
                .contains("share id 1");
        assertThat(refused(module("m", computation(1, "main", 1, ins(1, "x", "", f))))
                        .getMessage())
                .contains("no opcode");
        assertThat(refused(module(
                                "m",
                                computation(1, "main", 1, ins(1, "x", "add", f).clearShape())))
                        .getMessage())
                .contains("no shape");
        assertThat(refused(module("m", computation(1, "main", 42, parameter(1, "p", 0, f))))
                        .getMessage())
                .contains("root id 42");
        assertThat(refused(module("m", computation(1, "main", 1, parameter(1, "p", 3, f))))
                        .getMessage())
                .contains("parameter");
        HloModuleProto noEntry = module("m", computation(1, "main", 1, parameter(1, "p", 0, f))).toBuilder()
                .setEntryComputationName("elsewhere")
                .build();
        assertThat(refused(noEntry).getMessage()).contains("entry computation 'elsewhere' is not defined");
        IotaReplicaGroupListProto absurd = IotaReplicaGroupListProto.newBuilder()
                .setNumReplicaGroups(1L << 40)
                .setNumDevicesPerGroup(1L << 40)
                .build();
        assertThat(refused(module(
                                "m",
                                computation(
                                        1,
                                        "main",
                                        2,
                                        parameter(1, "p", 0, f),
                                        ins(2, "a", "all-reduce", f, 1).setIotaCollectiveDeviceList(absurd))))
                        .getMessage())
                .contains("replica groups");
    }

    @Test
    void badGzip() {
        byte[] gz = HandMadeHlo.gzip(HandMadeHlo.addTupleGte().toByteArray());
        gz[12] ^= 0x55;
        gz[20] ^= 0x55;
        assertThat(refused(gz).getMessage()).contains("gzip");
        byte[] zeros = HandMadeHlo.gzip(new byte[100_000]);
        NeuronException e = catchThrowableOfType(
                NeuronException.class, () -> ProtoInput.gunzipIfCompressed(zeros, "bomb.pb.gz", 50_000));
        assertThat(e.status()).isEqualTo(Status.INVALID);
        assertThat(e.getMessage()).contains("inflates to more than 50000 bytes");
        assertThat(ProtoInput.gunzipIfCompressed(zeros, "fits.pb.gz", 100_000)).hasSize(100_000);
    }

    @Test
    void gzipInflationIsBoundedByTheFreeHeap() {
        // The bound follows the heap: a quarter of what is free, within [16 MiB, the reader's input limit].
        assertThat(ProtoInput.inflateLimit(4L << 30, 2L << 30)).isEqualTo(512 << 20);
        assertThat(ProtoInput.inflateLimit(512L << 20, 500L << 20)).isEqualTo(ProtoInput.MIN_INFLATE_LIMIT);
        assertThat(ProtoInput.inflateLimit(64L << 30, 0)).isEqualTo(HloProtoReader.MAX_INPUT_BYTES);
        Runtime rt = Runtime.getRuntime();
        assertThat(ProtoInput.inflateLimit(rt.maxMemory(), 0)).isLessThanOrEqualTo((int)
                Math.min(Integer.MAX_VALUE, Math.max(ProtoInput.MIN_INFLATE_LIMIT, rt.maxMemory() / 4)));
        // A bomb over the bound is refused with a status and a hint, having inflated no more than the bound.
        byte[] bomb = HandMadeHlo.gzip(new byte[ProtoInput.MIN_INFLATE_LIMIT + 1]);
        long start = System.nanoTime();
        NeuronException e = catchThrowableOfType(
                NeuronException.class,
                () -> ProtoInput.gunzipIfCompressed(bomb, "bomb.pb.gz", ProtoInput.MIN_INFLATE_LIMIT));
        assertThat(e.status()).isEqualTo(Status.INVALID);
        assertThat(e.getMessage())
                .contains("inflates to more than " + ProtoInput.MIN_INFLATE_LIMIT + " bytes")
                .contains("NRT4J_JAVA_OPTS=-Xmx");
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }

    @Test
    void missingFile(@TempDir Path dir) {
        NeuronException e =
                catchThrowableOfType(NeuronException.class, () -> HloProtoReader.read(dir.resolve("absent.pb")));
        assertThat(e.status()).isEqualTo(Status.INVALID);
        assertThat(e.getMessage()).contains("no such file");
    }
}
