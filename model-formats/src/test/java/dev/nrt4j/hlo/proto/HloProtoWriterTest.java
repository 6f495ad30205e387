package dev.nrt4j.hlo.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.HloComputation;
import dev.nrt4j.hlo.HloDiff;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.proto.schema.HloComputationProto;
import dev.nrt4j.hlo.proto.schema.HloInstructionProto;
import dev.nrt4j.hlo.proto.schema.HloModuleProto;
import dev.nrt4j.hlo.proto.schema.ReplicaGroup;
import dev.nrt4j.hlo.text.HloTextParser;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HLO text programs written as {@code HloModuleProto}: the bytes parse with the generated classes,
 * hold what XLA looks for ({@link XlaLoadRules}, entry name, opcode strings, parameter numbers,
 * literal fields), and read back into the module the text parsed to ({@link HloDiff}). Needs no
 * corpus.
 */
class HloProtoWriterTest {

    /** The text's module, its proto, and the module read back from the proto. */
    record RoundTrip(HloModule parsed, HloModuleProto proto, HloModule read) {
        HloInstructionProto instruction(String name) {
            for (HloComputationProto c : proto.getComputationsList()) {
                for (HloInstructionProto i : c.getInstructionsList()) {
                    if (i.getName().equals(name)) {
                        return i;
                    }
                }
            }
            throw new AssertionError("no instruction " + name + " in the proto");
        }

        HloComputationProto computation(String name) {
            return proto.getComputationsList().stream()
                    .filter(c -> c.getName().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no computation " + name + " in the proto"));
        }

        HloInstruction readInstruction(String name) {
            for (HloComputation c : read.computations()) {
                for (HloInstruction i : c.instructions()) {
                    if (i.name().equals(name)) {
                        return i;
                    }
                }
            }
            throw new AssertionError("no instruction " + name + " read back");
        }
    }

    static RoundTrip roundTrip(String text) {
        HloModule parsed = HloTextParser.parse(text, "test");
        byte[] bytes = HloProtoWriter.write(parsed);
        HloModuleProto proto;
        try {
            proto = HloModuleProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("the writer's bytes are not an HloModuleProto", e);
        }
        assertThat(XlaLoadRules.violations(proto)).as("what XLA would refuse").isEmpty();
        HloModule read = HloProtoReader.read(bytes, "written");
        assertThat(HloDiff.between(parsed, read))
                .as("difference after the round trip")
                .isEmpty();
        // Writing what was read gives the same bytes: nothing depends on where the module came from.
        assertThat(HloProtoWriter.write(read)).as("bytes of a second write").isEqualTo(bytes);
        return new RoundTrip(parsed, proto, read);
    }

    private static List<String> opcodes(HloComputationProto c) {
        return c.getInstructionsList().stream()
                .map(HloInstructionProto::getOpcode)
                .toList();
    }

    private static float f32(HloInstruction constant, int element) {
        return constant.literal().orElseThrow().data().getFloat(4 * element);
    }

    @Test
    void addOfTwoVectors() {
        RoundTrip r = roundTrip("""
                HloModule add64
                ENTRY main {
                  x = f32[64] parameter(0)
                  y = f32[64] parameter(1)
                  ROOT s = f32[64] add(x, y)
                }
                """);
        HloModuleProto p = r.proto();
        assertThat(p.getName()).isEqualTo("add64");
        assertThat(p.getEntryComputationName()).isEqualTo("main");
        HloComputationProto main = r.computation("main");
        assertThat(p.getEntryComputationId()).isEqualTo(main.getId());
        assertThat(opcodes(main)).containsExactly("parameter", "parameter", "add");
        assertThat(r.instruction("x").getParameterNumber()).isZero();
        assertThat(r.instruction("y").getParameterNumber()).isEqualTo(1);
        assertThat(r.instruction("s").getOperandIdsList())
                .containsExactly(r.instruction("x").getId(), r.instruction("y").getId());
        assertThat(main.getRootId()).isEqualTo(r.instruction("s").getId());
        var shape = r.instruction("s").getShape();
        assertThat(shape.getElementType()).isEqualTo(HandMadeHlo.F32);
        assertThat(shape.getDimensionsList()).containsExactly(64L);
        assertThat(shape.getLayout().getMinorToMajorList()).containsExactly(0L);
        assertThat(p.getHostProgramShape().getParametersCount()).isEqualTo(2);
        assertThat(p.getHostProgramShape().getResult()).isEqualTo(shape);
        assertThat(main.getProgramShape().getParameterNamesList()).containsExactly("x", "y");
        assertThat(p.hasDeviceAssignment()).as("one device needs no assignment").isFalse();
    }

    @Test
    void copy() {
        RoundTrip r = roundTrip("""
                HloModule copy
                ENTRY main {
                  x = f32[3,5] parameter(0)
                  ROOT c = f32[3,5] copy(x)
                }
                """);
        assertThat(opcodes(r.computation("main"))).containsExactly("parameter", "copy");
        assertThat(r.instruction("c").getShape().getLayout().getMinorToMajorList())
                .as("row-major, as XLA writes it")
                .containsExactly(1L, 0L);
    }

    @Test
    void dotOfF32Matrices() {
        RoundTrip r = roundTrip("""
                HloModule matmul
                ENTRY main {
                  a = f32[8,16] parameter(0)
                  b = f32[16,4] parameter(1)
                  ROOT d = f32[8,4] dot(a, b), lhs_contracting_dims={1}, rhs_contracting_dims={0}
                }
                """);
        HloInstructionProto d = r.instruction("d");
        assertThat(d.getOpcode()).isEqualTo("dot");
        assertThat(d.getDotDimensionNumbers().getLhsContractingDimensionsList()).containsExactly(1L);
        assertThat(d.getDotDimensionNumbers().getRhsContractingDimensionsList()).containsExactly(0L);
        assertThat(d.getShape().getDimensionsList()).containsExactly(8L, 4L);
        assertThat(r.readInstruction("d").dotDimensions().orElseThrow().lhsContracting())
                .containsExactly(1);
    }

    @Test
    void dotOfBf16MatricesWithBatchAndF32Result() {
        RoundTrip r = roundTrip("""
                HloModule matmul_bf16
                ENTRY main {
                  a = bf16[2,8,16] parameter(0)
                  b = bf16[2,16,4] parameter(1)
                  ROOT d = f32[2,8,4] dot(a, b), lhs_batch_dims={0}, lhs_contracting_dims={2}, rhs_batch_dims={0}, rhs_contracting_dims={1}
                }
                """);
        assertThat(r.instruction("a").getShape().getElementType()).as("BF16").isEqualTo(16);
        assertThat(r.instruction("d").getDotDimensionNumbers().getLhsBatchDimensionsList())
                .containsExactly(0L);
        assertThat(r.instruction("d").getDotDimensionNumbers().getRhsContractingDimensionsList())
                .containsExactly(1L);
    }

    @Test
    void tupleOfBroadcastConstantMultiplyAdd() {
        RoundTrip r = roundTrip("""
                HloModule axpb
                ENTRY main {
                  x = f32[2,3] parameter(0)
                  a = f32[] constant(2.5)
                  ab = f32[2,3] broadcast(a), dimensions={}
                  m = f32[2,3] multiply(ab, x)
                  b = f32[2,3] constant({{1, 2, 3}, {4, 5, 6}})
                  s = f32[2,3] add(m, b)
                  h = bf16[2] constant({1.5, -2})
                  ROOT t = (f32[2,3], f32[2,3], bf16[2]) tuple(s, m, h)
                }
                """);
        assertThat(r.instruction("a").getLiteral().getF32SList()).containsExactly(2.5f);
        assertThat(r.instruction("a").getLiteral().getShape().hasLayout())
                .as("XLA refuses literals without layout")
                .isTrue();
        assertThat(r.instruction("b").getLiteral().getF32SList()).containsExactly(1f, 2f, 3f, 4f, 5f, 6f);
        // bf16 as little-endian bytes: 1.5 is 0x3FC0, -2 is 0xC000.
        assertThat(r.instruction("h").getLiteral().getBf16S().toByteArray()).containsExactly(0xC0, 0x3F, 0x00, 0xC0);
        assertThat(r.instruction("ab").getDimensionsList()).isEmpty();
        assertThat(f32(r.readInstruction("a"), 0)).isEqualTo(2.5f);
        assertThat(f32(r.readInstruction("b"), 5)).isEqualTo(6f);
        assertThat(r.readInstruction("b").shape()).hasToString("f32[2,3]");
        assertThat(r.read().entry().resultShape()).hasToString("(f32[2,3], f32[2,3], bf16[2])");
        var result = r.proto().getHostProgramShape().getResult();
        assertThat(result.getElementType()).as("TUPLE").isEqualTo(HandMadeHlo.TUPLE);
        assertThat(result.getTupleShapesCount()).isEqualTo(3);
    }

    @Test
    void whileLoopWithTupleStateAndConstantCondition() {
        RoundTrip r = roundTrip("""
                HloModule forever
                cond {
                  cs = (s32[], f32[4]) parameter(0)
                  ROOT go = pred[] constant(true)
                }
                body {
                  bs = (s32[], f32[4]) parameter(0)
                  i = s32[] get-tuple-element(bs), index=0
                  v = f32[4] get-tuple-element(bs), index=1
                  one = s32[] constant(1)
                  j = s32[] add(i, one)
                  ROOT next = (s32[], f32[4]) tuple(j, v)
                }
                ENTRY main {
                  p = f32[4] parameter(0)
                  zero = s32[] constant(0)
                  init = (s32[], f32[4]) tuple(zero, p)
                  ROOT w = (s32[], f32[4]) while(init), condition=cond, body=body
                }
                """);
        HloInstructionProto w = r.instruction("w");
        assertThat(w.getOpcode()).isEqualTo("while");
        assertThat(w.getCalledComputationIdsList())
                .as("body first, then condition, as XLA orders them")
                .containsExactly(
                        r.computation("body").getId(), r.computation("cond").getId());
        assertThat(r.instruction("go").getLiteral().getPredsList()).containsExactly(true);
        assertThat(r.instruction("v").getTupleIndex()).isEqualTo(1);
        assertThat(r.instruction("i").getTupleIndex()).isZero();
        assertThat(r.proto().getComputationsList())
                .extracting(HloComputationProto::getName)
                .as("callees before callers")
                .containsExactly("cond", "body", "main");
        assertThat(r.read().entry().root().calledComputations())
                .extracting(HloComputation::name)
                .containsExactly("body", "cond");
    }

    @Test
    void allReduceOverTwoReplicas() {
        RoundTrip r = roundTrip("""
                HloModule m, replica_count=2
                sum {
                  a = f32[] parameter(0)
                  b = f32[] parameter(1)
                  ROOT s = f32[] add(a, b)
                }
                ENTRY main {
                  x = f32[8] parameter(0)
                  ROOT r = f32[8] all-reduce(x), replica_groups={{0,1}}, to_apply=sum
                }
                """);
        HloInstructionProto ar = r.instruction("r");
        assertThat(ar.getOpcode()).isEqualTo("all-reduce");
        assertThat(ar.getReplicaGroupsList())
                .extracting(ReplicaGroup::getReplicaIdsList)
                .containsExactly(List.of(0L, 1L));
        assertThat(ar.getCalledComputationIdsList())
                .containsExactly(r.computation("sum").getId());
        var d = r.proto().getDeviceAssignment();
        assertThat(d.getReplicaCount()).isEqualTo(2);
        assertThat(d.getComputationCount()).isEqualTo(1);
        assertThat(d.getComputationDevices(0).getReplicaDeviceIdsList()).containsExactly(0L, 1L);
        assertThat(r.read().replicaCount()).isEqualTo(2);
        assertThat(r.read().partitionCount()).isEqualTo(1);
    }

    @Test
    void replicasAndPartitionsGetXlasDefaultPlacement() {
        RoundTrip r = roundTrip("""
                HloModule m, replica_count=2, num_partitions=3
                ENTRY main {
                  ROOT x = f32[8] parameter(0)
                }
                """);
        var d = r.proto().getDeviceAssignment();
        assertThat(d.getComputationDevicesList())
                .extracting(c -> c.getReplicaDeviceIdsList())
                .containsExactly(List.of(0L, 1L), List.of(2L, 3L), List.of(4L, 5L));
        assertThat(r.read().partitionCount()).isEqualTo(3);
    }

    @Test
    void constantInAColumnMajorLayoutIsWrittenInThatOrder() {
        RoundTrip r = roundTrip("""
                HloModule cm
                ENTRY main {
                  ROOT c = f32[2,3]{0,1} constant({{1, 2, 3}, {4, 5, 6}})
                }
                """);
        var literal = r.instruction("c").getLiteral();
        assertThat(literal.getShape().getLayout().getMinorToMajorList())
                .as("the instruction's layout")
                .containsExactly(0L, 1L);
        assertThat(literal.getF32SList()).as("physical order").containsExactly(1f, 4f, 2f, 5f, 3f, 6f);
        assertThat(f32(r.readInstruction("c"), 1)).as("row-major again").isEqualTo(2f);
    }

    @Test
    void attributesOfWindowsSlicesAndDimensionNumbers() {
        roundTrip("""
                HloModule shapes
                max {
                  ma = f32[] parameter(0)
                  mb = f32[] parameter(1)
                  ROOT mm = f32[] maximum(ma, mb)
                }
                ge {
                  ga = f32[] parameter(0)
                  gb = f32[] parameter(1)
                  ROOT gg = pred[] compare(ga, gb), direction=GE
                }
                add {
                  aa = f32[] parameter(0)
                  ab = f32[] parameter(1)
                  ROOT as = f32[] add(aa, ab)
                }
                upd {
                  ua = f32[] parameter(0)
                  ROOT ub = f32[] parameter(1)
                }
                ENTRY main {
                  in = f32[1,5,6,3] parameter(0)
                  k = f32[3,2,3,8] parameter(1)
                  conv = f32[1,2,3,8] convolution(in, k), window={size=3x2 stride=2x3 pad=1_1x0_-1 lhs_dilate=1x2 rhs_dilate=2x1 rhs_reversal=1x0}, dim_labels=b01f_01io->b01f, feature_group_count=1, batch_group_count=1
                  x = f32[4,6] parameter(2)
                  ninf = f32[] constant(-inf)
                  rw = f32[2,3] reduce-window(x, ninf), window={size=2x2 stride=2x2}, to_apply=max
                  src = f32[2,3] parameter(3)
                  zero = f32[] constant(0)
                  sas = f32[4,6] select-and-scatter(x, src, zero), window={size=2x2 stride=2x2 pad=0_0x0_0}, select=ge, scatter=add
                  p = f32[8,9] parameter(4)
                  sl = f32[3,2] slice(p), slice={[0:3:1], [1:9:4]}
                  i = s32[] parameter(5)
                  ds = f32[2,3] dynamic-slice(p, i, i), dynamic_slice_sizes={2,3}
                  pd = f32[11,27] pad(p, zero), padding=1_2x-1_3_2
                  cat = f32[16,9] concatenate(p, p), dimensions={0}
                  tr = f32[9,8]{0,1} transpose(p), dimensions={1,0}
                  rv = f32[8,9] reverse(p), dimensions={0,1}
                  io = s32[4,5] iota(), iota_dimension=1
                  a = f32[2,3,4] parameter(6)
                  idx = s32[6,1] parameter(7)
                  g = f32[6,3,4] gather(a, idx), offset_dims={1,2}, collapsed_slice_dims={0}, start_index_map={0}, index_vector_dim=1, slice_sizes={1,3,4}, indices_are_sorted=true
                  u = f32[6,3,4] parameter(8)
                  sc = f32[2,3,4] scatter(a, idx, u), update_window_dims={1,2}, inserted_window_dims={0}, scatter_dims_to_operand_dims={0}, index_vector_dim=1, indices_are_sorted=false, unique_indices=true, to_apply=upd
                  cmp = pred[2,3,4] compare(a, a), direction=LT, type=TOTALORDER
                  red = f32[2,3] reduce(a, zero), dimensions={2}, to_apply=add
                  ROOT t = (f32[1,2,3,8], f32[2,3], f32[4,6], f32[3,2], f32[2,3], f32[11,27], f32[16,9], f32[9,8]{0,1}, f32[8,9], s32[4,5], f32[6,3,4], f32[2,3,4], pred[2,3,4], f32[2,3]) tuple(conv, rw, sas, sl, ds, pd, cat, tr, rv, io, g, sc, cmp, red)
                }
                """);
    }

    @Test
    void attributesOfControlFlowCollectivesAndTheRest() {
        RoundTrip r = roundTrip("""
                HloModule rest, replica_count=8
                neg {
                  nx = f32[4] parameter(0)
                  ROOT nn = f32[4] negate(nx)
                }
                id {
                  ix = f32[4] parameter(0)
                  ROOT ic = f32[4] copy(ix)
                }
                less {
                  la = f32[] parameter(0)
                  lb = f32[] parameter(1)
                  ROOT lt = pred[] compare(la, lb), direction=LT, type=FLOAT
                }
                sum {
                  sa = f32[] parameter(0)
                  sb = f32[] parameter(1)
                  ROOT ss = f32[] add(sa, sb)
                }
                ENTRY main {
                  p = f32[4] parameter(0)
                  k = pred[] constant(true)
                  c1 = f32[4] conditional(k, p, p), true_computation=neg, false_computation=id
                  b = s32[] parameter(1)
                  c2 = f32[4] conditional(b, p, p, p), branch_computations={id, neg, id}
                  srt = f32[4] sort(p), dimensions={0}, is_stable=true, to_apply=less
                  f = f32[4] fusion(p), kind=kLoop, calls=neg
                  cl = f32[4] call(p), to_apply=id
                  ar = f32[4] all-reduce(p), channel_id=3, replica_groups={{0,1},{2,3},{4,5},{6,7}}, use_global_device_ids=true, to_apply=sum
                  ag = f32[16] all-gather(p), replica_groups=[2,4]<=[8], dimensions={0}
                  rs = f32[2] reduce-scatter(p), replica_groups=[4,2]<=[2,4]T(1,0), dimensions={0}, to_apply=sum
                  a2a = f32[4] all-to-all(p), replica_groups={}, dimensions={0}
                  cp = f32[4] collective-permute(p), source_target_pairs={{0,1},{1,2},{7,0}}
                  cc = f32[4] custom-call(p), custom_call_target="my_target", backend_config="cfg\\n\\101"
                  cj = f32[4] custom-call(cc), custom_call_target="t2", backend_config={"k": {"n": [1, 2]}}
                  x = f32[4,4] parameter(2)
                  rp = f32[4,4] reduce-precision(x), exponent_bits=5, mantissa_bits=10
                  st = u64[2] parameter(3)
                  rbg = (u64[2], u32[4,4]) rng-bit-generator(st), algorithm=rng_philox
                  rbd = (u64[2], u32[4,4]) rng-bit-generator(st), algorithm=rng_default
                  lo = f32[] constant(0)
                  hi = f32[] constant(1)
                  rn = f32[4,4] rng(lo, hi), distribution=rng_normal
                  cv = c64[4,4] convert(x)
                  cs = c64[4,3] slice(cv), slice={[0:4], [0:3]}
                  ff = f32[4,4] fft(cs), fft_type=IRFFT, fft_length={4,4}
                  ts = f32[4,4] triangular-solve(x, x), left_side=true, lower=true, transpose_a=ADJOINT
                  ch = f32[4,4] cholesky(x), lower=false
                  tok = token[] after-all()
                  ROOT t = (f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[16], f32[2], f32[4], f32[4], f32[4], f32[4,4], (u64[2], u32[4,4]), (u64[2], u32[4,4]), f32[4,4], f32[4,4], f32[4,4], f32[4,4], token[]) tuple(c1, c2, srt, f, cl, ar, ag, rs, a2a, cp, cj, rp, rbg, rbd, rn, ff, ts, ch, tok)
                }
                """);
        assertThat(r.instruction("c1").getCalledComputationIdsList())
                .containsExactly(
                        r.computation("neg").getId(), r.computation("id").getId());
        assertThat(r.instruction("rbg").getRngAlgorithm()).as("RNG_PHILOX").isEqualTo(2);
        assertThat(r.instruction("rn").getDistribution()).as("RNG_NORMAL").isEqualTo(2);
        assertThat(r.instruction("ff").getFftType()).as("IRFFT").isEqualTo(3);
        assertThat(r.instruction("ts").getTriangularSolveOptions().getTransposeA())
                .as("ADJOINT")
                .isEqualTo(3);
        assertThat(r.instruction("ch").hasCholeskyOptions()).isTrue();
        assertThat(r.instruction("cc").getCustomCallTarget()).isEqualTo("my_target");
        assertThat(r.instruction("cc").getBackendConfig().toStringUtf8()).isEqualTo("cfg\nA");
        assertThat(r.instruction("ag").getReplicaGroupsList())
                .extracting(ReplicaGroup::getReplicaIdsList)
                .as("the compact form, written out")
                .containsExactly(List.of(0L, 1L, 2L, 3L), List.of(4L, 5L, 6L, 7L));
        assertThat(r.instruction("ar").getChannelId()).isEqualTo(3);
        assertThat(r.instruction("ar").getUseGlobalDeviceIds()).isTrue();
        assertThat(r.readInstruction("ch").choleskyLower()).contains(false);
    }

    @Test
    void namesRepeatedAcrossComputationsAreMadeUniqueForXla() {
        HloModule parsed = HloTextParser.parse("""
                HloModule dup
                f {
                  p = f32[4] parameter(0)
                  ROOT p.1 = f32[4] negate(p)
                }
                ENTRY main {
                  p = f32[4] parameter(0)
                  ROOT r = f32[4] call(p), to_apply=f
                }
                """, "dup");
        byte[] bytes = HloProtoWriter.write(parsed);
        HloModule read = HloProtoReader.read(bytes, "written");
        // 'p.1' is taken in f, so main's 'p' becomes 'p.2'; the first 'p' keeps its name.
        assertThat(read.computation("f").orElseThrow().instructions())
                .extracting(HloInstruction::name)
                .containsExactly("p", "p.1");
        HloComputation main = read.entry();
        assertThat(main.instructions()).extracting(HloInstruction::name).containsExactly("p.2", "r");
        assertThat(main.root().operand(0).name()).isEqualTo("p.2");
        assertThat(main.root().calledComputations())
                .extracting(HloComputation::name)
                .containsExactly("f");
    }

    @Test
    void writesAFileTheReaderReads(@TempDir Path dir) {
        HloModule m = HloTextParser.parse("HloModule f\nENTRY e {\n  ROOT p = s32[3] parameter(0)\n}\n", "f");
        Path file = dir.resolve("model.hlo_module.pb");
        HloProtoWriter.write(m, file);
        assertThat(HloDiff.between(m, HloProtoReader.read(file))).isEmpty();
        assertThatThrownBy(() -> HloProtoWriter.write(m, dir))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.FAILURE))
                .hasMessageContaining("write HLO " + dir);
    }

    @Test
    void valuesTheProtoCannotHoldAreRefusedNamingTheInstruction() {
        // A missing tuple index and a zero stride are refused by the type checker already at parse.
        assertThatThrownBy(() -> HloTextParser.parse("""
                HloModule m
                ENTRY e {
                  s = (f32[], f32[]) parameter(0)
                  ROOT g = f32[] get-tuple-element(s)
                }
                """, "refused"))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                .hasMessageContaining("get-tuple-element g: index=-1 is out of range");
        assertRefused(
                """
                HloModule m
                ENTRY e {
                  st = u64[2] parameter(0)
                  ROOT rbg = (u64[2], u32[4]) rng-bit-generator(st)
                }
                """,
                "instruction 'rbg' in computation 'e' has no rng_algorithm; the proto would read it as rng_default");
        assertRefused("""
                HloModule m
                ENTRY e {
                  x = f32[4] parameter(0)
                  ROOT c = f32[4] custom-call(x), custom_call_target="t", backend_config=""
                }
                """, "instruction 'c' in computation 'e' has an empty backend_config");
        assertThatThrownBy(() -> HloTextParser.parse("""
                HloModule m
                ENTRY e {
                  x = f32[8] parameter(0)
                  ROOT s = f32[4] slice(x), slice={[0:8:0]}
                }
                """, "refused"))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                .hasMessageContaining("slice s: slice [0:8:0] of dimension 0 is out of the bounds");
    }

    private static void assertRefused(String text, String message) {
        HloModule m = HloTextParser.parse(text, "refused");
        assertThatThrownBy(() -> HloProtoWriter.write(m))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void diffFindsWhatARoundTripCouldLose() {
        String text = """
                HloModule m
                ENTRY e {
                  x = f32[2] parameter(0)
                  c = f32[2] constant({1, 2})
                  ROOT s = f32[2] add(x, c)
                }
                """;
        HloModule m = HloTextParser.parse(text, "a");
        assertThat(HloDiff.between(m, HloTextParser.parse(text, "b"))).isEmpty();
        // One bit of one literal element: 2.0f is 0x40000000, 0x40000001 differs in the last mantissa bit.
        float nextUp = Math.nextUp(2f);
        assertThat(ByteBuffer.allocate(4)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putFloat(nextUp)
                        .get(0))
                .isEqualTo((byte) 1);
        assertThat(HloDiff.between(m, HloTextParser.parse(text.replace("{1, 2}", "{1, " + nextUp + "}"), "b")))
                .hasValueSatisfying(
                        d -> assertThat(d).contains("instruction 'c'").contains("literal"));
        assertThat(HloDiff.between(m, HloTextParser.parse(text.replace("add(x, c)", "add(c, x)"), "b")))
                .hasValueSatisfying(d -> assertThat(d).contains("operands [x, c] vs [c, x]"));
        assertThat(HloDiff.between(m, HloTextParser.parse(text.replace("add(", "subtract("), "b")))
                .hasValueSatisfying(d -> assertThat(d).contains("opcode"));
    }

    /**
     * Every accessor of the IR is compared. An attribute added to the IR fails this test, as a
     * reminder to write it in {@link InstructionWriter} (and read it in the reader) before adding it here.
     */
    @Test
    void diffComparesEveryInstructionAttribute() {
        assertThat(HloDiff.INSTRUCTION_ACCESSORS)
                .extracting(java.lang.reflect.Method::getName)
                .containsExactlyInAnyOrder(
                        "name",
                        "opcode",
                        "shape",
                        "index",
                        "parameterNumber",
                        "literal",
                        "tupleIndex",
                        "dimensions",
                        "window",
                        "convolutionDimensions",
                        "featureGroupCount",
                        "batchGroupCount",
                        "slice",
                        "dynamicSliceSizes",
                        "padding",
                        "dotDimensions",
                        "gatherDimensions",
                        "gatherSliceSizes",
                        "scatterDimensions",
                        "comparisonDirection",
                        "comparisonType",
                        "isStable",
                        "indicesAreSorted",
                        "uniqueIndices",
                        "customCallTarget",
                        "backendConfig",
                        "replicaGroups",
                        "channelId",
                        "useGlobalDeviceIds",
                        "sourceTargetPairs",
                        "rngAlgorithm",
                        "rngDistribution",
                        "exponentBits",
                        "mantissaBits",
                        "fusionKind",
                        "fftType",
                        "fftLength",
                        "triangularSolveOptions",
                        "choleskyLower");
    }
}
