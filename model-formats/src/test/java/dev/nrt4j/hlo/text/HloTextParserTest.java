package dev.nrt4j.hlo.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.hlo.ConvolutionDimensions;
import dev.nrt4j.hlo.DotDimensions;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.GatherDimensions;
import dev.nrt4j.hlo.HloComputation;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.HloShape;
import dev.nrt4j.hlo.PaddingDimension;
import dev.nrt4j.hlo.ScatterDimensions;
import dev.nrt4j.hlo.SliceDimension;
import dev.nrt4j.hlo.SourceTargetPair;
import dev.nrt4j.hlo.TriangularSolveOptions;
import dev.nrt4j.hlo.Window;
import dev.nrt4j.hlo.WindowDimension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-written modules, each attribute syntax checked against the IR field by field. */
class HloTextParserTest {

    private static HloInstruction find(HloModule m, String name) {
        for (HloComputation c : m.computations()) {
            for (HloInstruction i : c.instructions()) {
                if (i.name().equals(name)) {
                    return i;
                }
            }
        }
        throw new AssertionError("no instruction " + name);
    }

    @Test
    void axpyWithPercentNamesLayoutsAndParameterList() {
        HloModule m = HloTextParser.parse("""
                HloModule axpy_module, entry_computation_layout={(f32[], f32[2,4]{1,0}, f32[2,4]{1,0})->f32[2,4]{1,0}}

                ENTRY %axpy.v5 (alpha: f32[], x: f32[2,4], y: f32[2,4]) -> f32[2,4] {
                  %alpha = f32[] parameter(0)
                  %broadcast = f32[2,4]{1,0} broadcast(f32[] %alpha), dimensions={}
                  %x = f32[2,4]{1,0} parameter(1)
                  %multiply = f32[2,4]{1,0} multiply(f32[2,4]{1,0} %broadcast, f32[2,4]{1,0} %x)
                  %y = f32[2,4]{0,1} parameter(2)
                  ROOT %add = f32[2,4]{1,0} add(f32[2,4]{1,0} %multiply, f32[2,4]{0,1} %y)
                }
                """, "axpy");
        assertThat(m.name()).isEqualTo("axpy_module");
        assertThat(m.replicaCount()).isEqualTo(1);
        assertThat(m.partitionCount()).isEqualTo(1);
        HloComputation e = m.entry();
        assertThat(e.name()).isEqualTo("axpy.v5");
        assertThat(e.parameters()).extracting(HloInstruction::name).containsExactly("alpha", "x", "y");
        assertThat(e.root().name()).isEqualTo("add");
        assertThat(e.root().operands()).extracting(HloInstruction::name).containsExactly("multiply", "y");
        assertThat(find(m, "broadcast").dimensions()).isEmpty();
        HloShape y = find(m, "y").shape();
        assertThat(y.dims()).containsExactly(2, 4);
        assertThat(y.minorToMajor()).containsExactly(0, 1);
        assertThat(y.hasDefaultLayout()).isFalse();
        assertThat(e.root().shape().hasDefaultLayout()).isTrue();
    }

    @Test
    void entryIsTheLastComputationAndRootTheLastInstructionWithoutMarkers() {
        HloModule m = HloTextParser.parse("""
                HloModule m, replica_count=4, num_partitions=2
                add {
                  a = f32[] parameter(0)
                  b = f32[] parameter(1)
                  add = f32[] add(a, b)
                }
                main {
                  x = f32[8,16]{1,0} parameter(0)
                  zero = f32[] constant(0)
                  r = f32[8] reduce(x, zero), dimensions={1}, to_apply=add
                  n = f32[8] negate(r)
                }
                """, "m");
        assertThat(m.replicaCount()).isEqualTo(4);
        assertThat(m.partitionCount()).isEqualTo(2);
        assertThat(m.entry().name()).isEqualTo("main");
        assertThat(m.entry().root().name()).isEqualTo("n");
        assertThat(m.computation("add").orElseThrow().root().name()).isEqualTo("add");
        HloInstruction r = find(m, "r");
        assertThat(r.operands()).extracting(HloInstruction::name).containsExactly("x", "zero");
        assertThat(r.dimensions()).containsExactly(1L);
        assertThat(r.calledComputations()).extracting(HloComputation::name).containsExactly("add");
    }

    @Test
    void computationsMayBeCalledBeforeTheyAreDefinedAndRootNeedNotBeLast() {
        HloModule m = HloTextParser.parse("""
                HloModule m
                ENTRY main {
                  ROOT c = f32[4] call(p), to_apply=later
                  p = f32[4] parameter(0)
                }
                later {
                  q = f32[4] parameter(0)
                  ROOT e = f32[4] exponential(q)
                }
                """, "m");
        assertThat(m.entry().name()).isEqualTo("main");
        assertThat(m.entry().root().name()).isEqualTo("c");
        assertThat(m.entry().instructions()).extracting(HloInstruction::name).containsExactly("p", "c");
        assertThat(m.entry().root().calledComputations())
                .extracting(HloComputation::name)
                .containsExactly("later");
        assertThat(m.computations()).extracting(HloComputation::name).containsExactly("later", "main");
    }

    @Test
    void convolutionWindowAndDimLabels() {
        HloModule m = HloTextParser.parse("""
                HloModule conv
                ENTRY c {
                  in = f32[1,5,6,3] parameter(0)
                  k = f32[3,2,3,8] parameter(1)
                  ROOT conv = f32[1,2,3,8] convolution(in, k), window={size=3x2 stride=2x3 pad=1_1x0_-1 lhs_dilate=1x2 rhs_dilate=2x1 rhs_reversal=1x0}, dim_labels=b01f_01io->b01f, feature_group_count=1, batch_group_count=1, operand_precision={high,default}
                }
                """, "conv");
        HloInstruction conv = m.entry().root();
        assertThat(conv.window())
                .contains(new Window(List.of(
                        new WindowDimension(3, 2, 1, 1, 2, 1, true), new WindowDimension(2, 3, 0, -1, 1, 2, false))));
        assertThat(conv.convolutionDimensions())
                .contains(new ConvolutionDimensions(0, 3, List.of(1, 2), 2, 3, List.of(0, 1), 0, 3, List.of(1, 2)));
        assertThat(conv.featureGroupCount()).isEqualTo(1);
        assertThat(conv.batchGroupCount()).isEqualTo(1);
    }

    @Test
    void permutedDimLabelsGiveEachLabelsPosition() {
        HloModule m = HloTextParser.parse("""
                HloModule conv
                ENTRY c {
                  in = f32[3,5,1] parameter(0)
                  k = f32[8,3,2] parameter(1)
                  ROOT conv = f32[4,8,1] convolution(in, k), window={size=2}, dim_labels=f0b_oi0->0fb, feature_group_count=1
                }
                """, "conv");
        HloInstruction conv = m.entry().root();
        assertThat(conv.convolutionDimensions())
                .contains(new ConvolutionDimensions(2, 0, List.of(1), 1, 0, List.of(2), 2, 1, List.of(0)));
        assertThat(conv.window().orElseThrow().dimensions()).containsExactly(WindowDimension.ofSize(2));
    }

    @Test
    void reduceWindowAndSelectAndScatter() {
        HloModule m = HloTextParser.parse("""
                HloModule rw
                max {
                  a = f32[] parameter(0)
                  b = f32[] parameter(1)
                  ROOT m = f32[] maximum(a, b)
                }
                ge {
                  a = f32[] parameter(0)
                  b = f32[] parameter(1)
                  ROOT g = pred[] compare(a, b), direction=GE
                }
                add {
                  a = f32[] parameter(0)
                  b = f32[] parameter(1)
                  ROOT s = f32[] add(a, b)
                }
                ENTRY e {
                  x = f32[4,6] parameter(0)
                  init = f32[] constant(-inf)
                  rw = f32[2,3] reduce-window(x, init), window={size=2x2 stride=2x2}, to_apply=max
                  src = f32[2,3] parameter(1)
                  zero = f32[] constant(0)
                  ROOT sas = f32[4,6] select-and-scatter(x, src, zero), window={size=2x2 stride=2x2 pad=0_0x0_0}, select=ge, scatter=add
                }
                """, "rw");
        HloInstruction rw = find(m, "rw");
        WindowDimension d = new WindowDimension(2, 2, 0, 0, 1, 1, false);
        assertThat(rw.window()).contains(new Window(List.of(d, d)));
        assertThat(rw.calledComputations()).extracting(HloComputation::name).containsExactly("max");
        HloInstruction sas = find(m, "sas");
        assertThat(sas.calledComputations()).extracting(HloComputation::name).containsExactly("ge", "add");
        assertThat(sas.operands()).hasSize(3);
        assertThat(find(m, "g").comparisonDirection()).contains("GE");
        assertThat(find(m, "g").comparisonType()).isEmpty();
    }

    @Test
    void sliceDynamicSlicePadConcatenateTransposeReverseIota() {
        HloModule m = HloTextParser.parse("""
                HloModule s
                ENTRY e {
                  p = f32[8,9] parameter(0)
                  sl = f32[3,2] slice(p), slice={[0:3:1], [1:9:4]}
                  sl2 = f32[2,9] slice(p), slice={[2:4], [0:9]}
                  i = s32[] parameter(1)
                  ds = f32[2,3] dynamic-slice(p, i, i), dynamic_slice_sizes={2,3}
                  pv = f32[] constant(0)
                  pd = f32[11,27] pad(p, pv), padding=1_2x-1_3_2
                  cat = f32[16,9] concatenate(p, p), dimensions={0}
                  tr = f32[9,8]{0,1} transpose(p), dimensions={1,0}
                  rv = f32[8,9] reverse(p), dimensions={0,1}
                  io = s32[4,5] iota(), iota_dimension=1
                  ROOT t = (f32[3,2], f32[2,9], f32[2,3], f32[11,27], f32[16,9], f32[9,8]{0,1}, f32[8,9], s32[4,5]) tuple(sl, sl2, ds, pd, cat, tr, rv, io)
                }
                """, "s");
        assertThat(find(m, "sl").slice()).containsExactly(new SliceDimension(0, 3, 1), new SliceDimension(1, 9, 4));
        assertThat(find(m, "sl2").slice()).containsExactly(new SliceDimension(2, 4, 1), new SliceDimension(0, 9, 1));
        assertThat(find(m, "ds").dynamicSliceSizes()).containsExactly(2L, 3L);
        assertThat(find(m, "ds").operands()).extracting(HloInstruction::name).containsExactly("p", "i", "i");
        assertThat(find(m, "pd").padding())
                .containsExactly(new PaddingDimension(1, 2, 0), new PaddingDimension(-1, 3, 2));
        assertThat(find(m, "cat").dimensions()).containsExactly(0L);
        assertThat(find(m, "tr").dimensions()).containsExactly(1L, 0L);
        assertThat(find(m, "tr").shape().minorToMajor()).containsExactly(0, 1);
        assertThat(find(m, "rv").dimensions()).containsExactly(0L, 1L);
        assertThat(find(m, "io").dimensions()).containsExactly(1L);
        HloShape t = m.entry().root().shape();
        assertThat(t.isTuple()).isTrue();
        assertThat(t.tupleShapes()).hasSize(8);
        assertThat(t.tupleShapes().get(7)).isEqualTo(HloShape.array(ElementType.S32, 4, 5));
    }

    @Test
    void dotGatherScatterAndCompare() {
        HloModule m = HloTextParser.parse("""
                HloModule d
                upd {
                  a = f32[] parameter(0)
                  ROOT b = f32[] parameter(1)
                }
                ENTRY e {
                  a = f32[2,3,4] parameter(0)
                  b = f32[2,4,5] parameter(1)
                  dot = f32[2,3,5] dot(a, b), lhs_batch_dims={0}, lhs_contracting_dims={2}, rhs_batch_dims={0}, rhs_contracting_dims={1}, operand_precision={default,default}
                  idx = s32[6,1] parameter(2)
                  g = f32[6,3,4] gather(a, idx), offset_dims={1,2}, collapsed_slice_dims={0}, start_index_map={0}, index_vector_dim=1, slice_sizes={1,3,4}, indices_are_sorted=true
                  u = f32[6,3,4] parameter(3)
                  sc = f32[2,3,4] scatter(a, idx, u), update_window_dims={1,2}, inserted_window_dims={0}, scatter_dims_to_operand_dims={0}, index_vector_dim=1, indices_are_sorted=false, unique_indices=true, to_apply=upd
                  cmp = pred[2,3,4] compare(a, a), direction=LT, type=TOTALORDER
                  cmp2 = pred[2,3,4] compare(a, a), direction=NE, order=TOTAL
                  ROOT t = (f32[2,3,5], f32[6,3,4], f32[2,3,4], pred[2,3,4], pred[2,3,4]) tuple(dot, g, sc, cmp, cmp2)
                }
                """, "d");
        assertThat(find(m, "dot").dotDimensions())
                .contains(new DotDimensions(List.of(2), List.of(1), List.of(0), List.of(0)));
        HloInstruction g = find(m, "g");
        assertThat(g.gatherDimensions())
                .contains(new GatherDimensions(List.of(1, 2), List.of(0), List.of(0), 1, List.of(), List.of()));
        assertThat(g.gatherSliceSizes()).containsExactly(1L, 3L, 4L);
        assertThat(g.indicesAreSorted()).isTrue();
        assertThat(g.scatterDimensions()).isEmpty();
        HloInstruction sc = find(m, "sc");
        assertThat(sc.scatterDimensions())
                .contains(new ScatterDimensions(List.of(1, 2), List.of(0), List.of(0), 1, List.of(), List.of()));
        assertThat(sc.uniqueIndices()).isTrue();
        assertThat(sc.indicesAreSorted()).isFalse();
        assertThat(sc.calledComputations()).extracting(HloComputation::name).containsExactly("upd");
        assertThat(sc.gatherDimensions()).isEmpty();
        assertThat(find(m, "cmp").comparisonDirection()).contains("LT");
        assertThat(find(m, "cmp").comparisonType()).contains("TOTALORDER");
        assertThat(find(m, "cmp2").comparisonType()).contains("TOTALORDER");
        assertThat(find(m, "dot").gatherDimensions()).isEmpty();
    }

    @Test
    void whileConditionalSortCallAndFusionCallees() {
        HloModule m = HloTextParser.parse("""
                HloModule w
                cond {
                  s = (s32[], f32[4]) parameter(0)
                  i = s32[] get-tuple-element(s), index=0
                  n = s32[] constant(10)
                  ROOT lt = pred[] compare(i, n), direction=LT
                }
                body {
                  s = (s32[], f32[4]) parameter(0)
                  i = s32[] get-tuple-element(s), index=0
                  v = f32[4] get-tuple-element(s), index=1
                  one = s32[] constant(1)
                  j = s32[] add(i, one)
                  ROOT t = (s32[], f32[4]) tuple(j, v)
                }
                neg {
                  x = f32[4] parameter(0)
                  ROOT n = f32[4] negate(x)
                }
                id {
                  x = f32[4] parameter(0)
                  ROOT c = f32[4] copy(x)
                }
                less {
                  a = f32[] parameter(0)
                  b = f32[] parameter(1)
                  ROOT lt = pred[] compare(a, b), direction=LT, type=FLOAT
                }
                ENTRY e {
                  p = f32[4] parameter(0)
                  zero = s32[] constant(0)
                  init = (s32[], f32[4]) tuple(zero, p)
                  w = (s32[], f32[4]) while(init), condition=cond, body=body
                  k = pred[] constant(true)
                  c1 = f32[4] conditional(k, p, p), true_computation=neg, false_computation=id
                  b = s32[] parameter(1)
                  c2 = f32[4] conditional(b, p, p, p), branch_computations={id, neg, id}
                  srt = f32[4] sort(p), dimensions={0}, is_stable=true, to_apply=less
                  f = f32[4] fusion(p), kind=kLoop, calls=neg
                  cl = f32[4] call(p), to_apply=id
                  ROOT t = (f32[4], f32[4], f32[4], f32[4], f32[4]) tuple(c1, c2, srt, f, cl)
                }
                """, "w");
        assertThat(find(m, "w").calledComputations())
                .extracting(HloComputation::name)
                .containsExactly("body", "cond");
        assertThat(find(m, "c1").calledComputations())
                .extracting(HloComputation::name)
                .containsExactly("neg", "id");
        assertThat(find(m, "c2").calledComputations())
                .extracting(HloComputation::name)
                .containsExactly("id", "neg", "id");
        HloInstruction srt = find(m, "srt");
        assertThat(srt.isStable()).isTrue();
        assertThat(srt.dimensions()).containsExactly(0L);
        assertThat(srt.calledComputations()).extracting(HloComputation::name).containsExactly("less");
        assertThat(find(m, "f").fusionKind()).contains("kLoop");
        assertThat(find(m, "f").calledComputations())
                .extracting(HloComputation::name)
                .containsExactly("neg");
        assertThat(m.computation("body").orElseThrow().instructions().get(2).tupleIndex())
                .isEqualTo(1);
        assertThat(m.computation("less").orElseThrow().root().comparisonType()).contains("FLOAT");
        assertThat(m.entry().parameters()).hasSize(2);
    }

    @Test
    void collectivesInListIotaAndMeshForms() {
        HloModule m = HloTextParser.parse("""
                HloModule c, replica_count=8
                add {
                  a = f32[] parameter(0)
                  b = f32[] parameter(1)
                  ROOT s = f32[] add(a, b)
                }
                ENTRY e {
                  x = f32[4] parameter(0)
                  ar = f32[4] all-reduce(x), channel_id=3, replica_groups={{0,1},{2,3},{4,5},{6,7}}, use_global_device_ids=true, to_apply=add
                  ag = f32[16] all-gather(x), replica_groups=[2,4]<=[8], dimensions={0}
                  rs = f32[2] reduce-scatter(x), replica_groups=[4,2]<=[2,4]T(1,0), dimensions={0}, to_apply=add
                  a2a = f32[4] all-to-all(x), replica_groups={}, dimensions={0}
                  cp = f32[4] collective-permute(x), source_target_pairs={{0,1},{1,2},{7,0}}
                  mr = f32[4] all-reduce(x), replica_groups=mesh['a'=2,'b'=4] {'a'}, to_apply=add
                  ROOT t = (f32[4], f32[16], f32[2], f32[4], f32[4], f32[4]) tuple(ar, ag, rs, a2a, cp, mr)
                }
                """, "c");
        assertThat(m.replicaCount()).isEqualTo(8);
        HloInstruction ar = find(m, "ar");
        assertThat(ar.replicaGroups())
                .containsExactly(List.of(0L, 1L), List.of(2L, 3L), List.of(4L, 5L), List.of(6L, 7L));
        assertThat(ar.channelId()).isEqualTo(3);
        assertThat(ar.useGlobalDeviceIds()).isTrue();
        assertThat(find(m, "ag").replicaGroups()).containsExactly(List.of(0L, 1L, 2L, 3L), List.of(4L, 5L, 6L, 7L));
        assertThat(find(m, "ag").dimensions()).containsExactly(0L);
        // iota over [2,4] transposed to [4,2]: rows of the transpose are (0,4), (1,5), (2,6), (3,7).
        assertThat(find(m, "rs").replicaGroups())
                .containsExactly(List.of(0L, 4L), List.of(1L, 5L), List.of(2L, 6L), List.of(3L, 7L));
        assertThat(find(m, "rs").calledComputations())
                .extracting(HloComputation::name)
                .containsExactly("add");
        assertThat(find(m, "a2a").replicaGroups()).isEmpty();
        assertThat(find(m, "cp").sourceTargetPairs())
                .containsExactly(new SourceTargetPair(0, 1), new SourceTargetPair(1, 2), new SourceTargetPair(7, 0));
        // Devices 0..7 as a 2x4 mesh; grouping over 'a' pairs each column: {0,4}, {1,5}, ...
        assertThat(find(m, "mr").replicaGroups())
                .containsExactly(List.of(0L, 4L), List.of(1L, 5L), List.of(2L, 6L), List.of(3L, 7L));
    }

    @Test
    void customCallBackendConfigAndIgnoredAttributes() {
        HloModule m = HloTextParser.parse("""
                HloModule cc, is_scheduled=true, frontend_attributes={xla.sdy.meshes={mesh = #sdy.mesh<["i"=4]>}}
                ENTRY e {
                  x = f32[4]{0:T(128)S(1)} parameter(0), sharding={devices=[4]<=[4]}, metadata={op_name="jit(f)/x" source_file="a, b.py" source_line=3}
                  a = f32[4] custom-call(x), custom_call_target="my_target\\"q\\"", backend_config="cfg\\n\\101", api_version=API_VERSION_STATUS_RETURNING, custom_call_has_side_effect=true
                  b = f32[4] custom-call(a), custom_call_target="t2", backend_config={"k": {"n": [1, 2]}}, frontend_attributes={x="y"}
                  /* a comment with ROOT in it */
                  ROOT r = f32[4] add(a, b) // trailing comment
                }
                """, "cc");
        HloInstruction a = find(m, "a");
        assertThat(a.customCallTarget()).contains("my_target\"q\"");
        assertThat(a.backendConfig()).contains("cfg\nA");
        assertThat(find(m, "b").backendConfig()).contains("{\"k\": {\"n\": [1, 2]}}");
        assertThat(find(m, "x").shape()).isEqualTo(HloShape.array(ElementType.F32, 4));
        assertThat(m.entry().root().name()).isEqualTo("r");
    }

    @Test
    void remainingTypedAttributes() {
        HloModule m = HloTextParser.parse("""
                HloModule r
                ENTRY e {
                  x = f32[4,4] parameter(0)
                  rp = f32[4,4] reduce-precision(x), exponent_bits=5, mantissa_bits=10
                  st = u64[2] parameter(1)
                  rbg = (u64[2], u32[4,4]) rng-bit-generator(st), algorithm=rng_philox
                  lo = f32[] constant(0)
                  hi = f32[] constant(1)
                  rn = f32[4,4] rng(lo, hi), distribution=rng_uniform
                  c = c64[4,4] convert(x)
                  ff = c64[4,4] fft(c), fft_type=FFT, fft_length={4,4}
                  ts = f32[4,4] triangular-solve(x, x), left_side=true, lower=true, transpose_a=TRANSPOSE
                  ch = f32[4,4] cholesky(x), lower=true
                  tk = (f32[4,2], s32[4,2]) topk(x), k=2, largest=true
                  ROOT t = (f32[4,4], (u64[2], u32[4,4]), f32[4,4], c64[4,4], f32[4,4], f32[4,4]) tuple(rp, rbg, rn, ff, ts, ch)
                }
                """, "r");
        assertThat(find(m, "rp").exponentBits()).isEqualTo(5);
        assertThat(find(m, "rp").mantissaBits()).isEqualTo(10);
        assertThat(find(m, "rbg").rngAlgorithm()).contains("rng_philox");
        assertThat(find(m, "rn").rngDistribution()).contains("rng_uniform");
        assertThat(find(m, "ff").fftType()).contains("FFT");
        assertThat(find(m, "ff").fftLength()).containsExactly(4L, 4L);
        assertThat(find(m, "ts").triangularSolveOptions())
                .contains(new TriangularSolveOptions(true, true, false, "TRANSPOSE"));
        assertThat(find(m, "ch").choleskyLower()).contains(true);
        assertThat(find(m, "rp").choleskyLower()).isEmpty();
        assertThat(m.entry().root().shape().tupleShapes().get(1).isTuple()).isTrue();
    }

    @Test
    void tokensTuplesOfTuplesAndEmptyShapes() {
        HloModule m = HloTextParser.parse("""
                HloModule t
                ENTRY e {
                  tok = token[] after-all()
                  z = f32[0,3] parameter(0)
                  in = (token[], f32[0,3]) tuple(tok, z)
                  none = () tuple()
                  ROOT t = ((token[], f32[0,3]), ()) tuple(in, none)
                }
                """, "t");
        HloShape t = m.entry().root().shape();
        assertThat(t.tupleShapes().get(0).tupleShapes().get(0)).isEqualTo(HloShape.token());
        assertThat(t.tupleShapes().get(0).tupleShapes().get(1).elementCount()).isZero();
        assertThat(t.tupleShapes().get(1).tupleShapes()).isEmpty();
    }

    @Test
    void readsFilesAsUtf8(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m.hlo.txt");
        Files.writeString(f, "HloModule m\nENTRY e {\n  ROOT p = f32[2] parameter(0)\n}\n", StandardCharsets.UTF_8);
        assertThat(HloTextParser.parse(f).entry().root().name()).isEqualTo("p");
    }
}
