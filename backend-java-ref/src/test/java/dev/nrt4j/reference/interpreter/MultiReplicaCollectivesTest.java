package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.BFloat16;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.text.HloTextParser;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Programs run by N ranks in N threads that meet at one {@link CollectiveRendezvous}. */
class MultiReplicaCollectivesTest {
    private static final String ADD =
            "add {\n  a = f32[] parameter(0)\n  b = f32[] parameter(1)\n  ROOT s = f32[] add(a, b)\n}\n\n";

    /** What one rank ended with: its result or its failure. */
    private record Outcome(Value value, Throwable error) {
        float[] floats() {
            assertThat(error).isNull();
            return value.asArray().floats();
        }
    }

    /**
     * Runs {@code module} as ranks {@code 0 .. running-1} of {@code replicas}, each with
     * {@code args.apply(rank)}, on one rendezvous.
     */
    private static List<Outcome> run(
            String module,
            int replicas,
            int running,
            long collectiveTimeoutNanos,
            CollectiveRendezvous rendezvous,
            IntFunction<List<Value>> args)
            throws InterruptedException {
        HloModule m = HloTextParser.parse(module, "test");
        ExecutorService pool = Executors.newFixedThreadPool(running);
        try {
            List<Future<Value>> futures = new ArrayList<>();
            for (int r = 0; r < running; r++) {
                int rank = r;
                futures.add(pool.submit(() -> new Evaluator(m, OpRegistry.standard(), 1)
                        .run(args.apply(rank), Long.MAX_VALUE, rank, replicas, rendezvous, collectiveTimeoutNanos)));
            }
            List<Outcome> out = new ArrayList<>();
            for (Future<Value> f : futures) {
                try {
                    out.add(new Outcome(f.get(30, TimeUnit.SECONDS), null));
                } catch (ExecutionException e) {
                    out.add(new Outcome(null, e.getCause()));
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError("a rank hung", e);
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Outcome> run(String module, int replicas, IntFunction<List<Value>> args)
            throws InterruptedException {
        CollectiveRendezvous rv = new CollectiveRendezvous(replicas);
        List<Outcome> out = run(module, replicas, replicas, 5_000_000_000L, rv, args);
        assertThat(rv.openSlots()).as("slots left behind").isZero();
        assertThat(rv.isBroken()).isFalse();
        return out;
    }

    private static String module(int replicas, String computations, String entry) {
        return "HloModule t, replica_count=" + replicas + "\n\n" + computations + "ENTRY main {\n" + entry + "\n}\n";
    }

    private static Array f32(long[] dims, float... v) {
        return Array.wrap(ElementType.F32, dims, v.clone());
    }

    /** Rank r's vector: {r+1, 10(r+1), r/2}, so sums over groups differ by group. */
    private static Array vector(int r) {
        return f32(new long[] {3}, r + 1, 10 * (r + 1), r / 2f);
    }

    @Test
    void allReduceSumsOverAllRanks() throws Exception {
        for (int n : new int[] {2, 4, 8}) {
            String text = module(
                    n,
                    ADD,
                    "  x = f32[3] parameter(0)\n  ROOT r = f32[3] all-reduce(x), replica_groups={}, to_apply=add");
            List<Outcome> out = run(text, n, r -> List.of(vector(r)));
            float[] expected = new float[3];
            for (int r = 0; r < n; r++) {
                for (int i = 0; i < 3; i++) {
                    expected[i] += vector(r).floats()[i];
                }
            }
            for (int r = 0; r < n; r++) {
                assertThat(out.get(r).floats()).as("rank %d of %d", r, n).containsExactly(expected);
            }
        }
    }

    @Test
    void allReduceOverPairsSumsWithinEachPair() throws Exception {
        String text = module(
                4,
                ADD,
                "  x = f32[3] parameter(0)\n"
                        + "  ROOT r = f32[3] all-reduce(x), replica_groups={{0,1},{2,3}}, to_apply=add");
        List<Outcome> out = run(text, 4, r -> List.of(vector(r)));
        for (int r = 0; r < 4; r++) {
            int first = r & ~1;
            float[] a = vector(first).floats();
            float[] b = vector(first + 1).floats();
            assertThat(out.get(r).floats()).as("rank %d", r).containsExactly(a[0] + b[0], a[1] + b[1], a[2] + b[2]);
        }
    }

    @Test
    void allReduceFoldsInGroupOrderInTheReducersType() throws Exception {
        // subtract is not a recognized combiner, so this takes the scalar-call path; its order shows:
        // group {3,1,2,0} computes ((x3 - x1) - x2) - x0.
        String sub =
                "sub {\n  a = f32[] parameter(0)\n  b = f32[] parameter(1)\n  ROOT s = f32[] subtract(a, b)\n}\n\n";
        String text = module(
                4,
                sub,
                "  x = f32[1] parameter(0)\n"
                        + "  ROOT r = f32[1] all-reduce(x), replica_groups={{3,1,2,0}}, to_apply=sub");
        List<Outcome> out = run(text, 4, r -> List.of(f32(new long[] {1}, (float) Math.pow(10, r))));
        for (Outcome o : out) {
            assertThat(o.floats()).containsExactly(1000f - 10f - 100f - 1f);
        }
        // bf16 rounds after every step: 256 + 1 is a tie that rounds back to 256, three times over,
        // where one rounding of the exact sum 259 would give 260.
        String bf = "addb {\n  a = bf16[] parameter(0)\n  b = bf16[] parameter(1)\n  ROOT s = bf16[] add(a, b)\n}\n\n";
        String text2 = module(4, bf, "  x = bf16[1] parameter(0)\n  ROOT r = bf16[1] all-reduce(x), to_apply=addb");
        List<Outcome> out2 = run(
                text2,
                4,
                r -> List.of(Array.wrap(
                        ElementType.BF16, new long[] {1}, new short[] {BFloat16.fromFloat(r == 0 ? 256f : 1f)})));
        for (Outcome o : out2) {
            assertThat(o.error()).isNull();
            assertThat(o.value().asArray().shorts()).containsExactly(BFloat16.fromFloat(256f));
        }
    }

    @Test
    void allReduceOfSeveralOperandsReducesEachOne() throws Exception {
        String text = module(
                2,
                ADD,
                "  x = f32[2] parameter(0)\n  y = f32[1,3] parameter(1)\n"
                        + "  ROOT r = (f32[2], f32[1,3]) all-reduce(x, y), replica_groups={{0,1}}, to_apply=add");
        List<Outcome> out = run(
                text, 2, r -> List.of(f32(new long[] {2}, r, 2 * r + 0.5f), f32(new long[] {1, 3}, r + 1, -7 * r, 4)));
        for (Outcome o : out) {
            assertThat(o.error()).isNull();
            assertThat(o.value().asTuple().get(0).asArray().floats()).containsExactly(1f, 3f);
            assertThat(o.value().asTuple().get(1).asArray().floats()).containsExactly(3f, -7f, 8f);
        }
    }

    /** Rank r's f32[rows, cols] with element (i, j) = 100 r + 10 i + j. */
    private static Array matrix(int r, int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                v[i * cols + j] = 100 * r + 10 * i + j;
            }
        }
        return f32(new long[] {rows, cols}, v);
    }

    @Test
    void allGatherConcatenatesInGroupOrder() throws Exception {
        String rows = module(
                4,
                "",
                "  x = f32[2,3] parameter(0)\n"
                        + "  ROOT g = f32[8,3] all-gather(x), replica_groups={{0,1,2,3}}, dimensions={0}");
        List<Outcome> out = run(rows, 4, r -> List.of(matrix(r, 2, 3)));
        float[] expected = new float[24];
        for (int r = 0; r < 4; r++) {
            System.arraycopy(matrix(r, 2, 3).floats(), 0, expected, 6 * r, 6);
        }
        for (Outcome o : out) {
            assertThat(o.floats()).containsExactly(expected);
        }
        // Along the minor dimension each row interleaves the ranks' rows; groups {1,0} and {3,2} reverse order.
        String cols = module(
                4,
                "",
                "  x = f32[2,3] parameter(0)\n"
                        + "  ROOT g = f32[2,6] all-gather(x), replica_groups={{1,0},{3,2}}, dimensions={1}");
        List<Outcome> out2 = run(cols, 4, r -> List.of(matrix(r, 2, 3)));
        for (int r = 0; r < 4; r++) {
            int a = r | 1;
            int b = r & ~1;
            float[] e = new float[12];
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 6; j++) {
                    e[i * 6 + j] = 100 * (j < 3 ? a : b) + 10 * i + j % 3;
                }
            }
            assertThat(out2.get(r).floats()).as("rank %d", r).containsExactly(e);
        }
    }

    @Test
    void reduceScatterGivesEachRankItsBlockOfTheSum() throws Exception {
        String text = module(
                4,
                ADD,
                "  x = f32[8,2] parameter(0)\n"
                        + "  ROOT r = f32[2,2] reduce-scatter(x), replica_groups={{0,1,2,3}}, dimensions={0}, to_apply=add");
        List<Outcome> out = run(text, 4, r -> List.of(matrix(r, 8, 2)));
        for (int k = 0; k < 4; k++) {
            float[] e = new float[4];
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    for (int r = 0; r < 4; r++) {
                        e[i * 2 + j] += 100 * r + 10 * (2 * k + i) + j;
                    }
                }
            }
            assertThat(out.get(k).floats()).as("rank %d", k).containsExactly(e);
        }
    }

    @Test
    void allToAllSendsBlockJToMemberJ() throws Exception {
        String text = module(
                4,
                "",
                "  x = f32[4,2] parameter(0)\n"
                        + "  ROOT a = f32[4,2] all-to-all(x), replica_groups={{0,1,2,3}}, dimensions={0}");
        List<Outcome> out = run(text, 4, r -> List.of(matrix(r, 4, 2)));
        for (int k = 0; k < 4; k++) {
            float[] e = new float[8];
            for (int r = 0; r < 4; r++) {
                e[2 * r] = 100 * r + 10 * k;
                e[2 * r + 1] = 100 * r + 10 * k + 1;
            }
            assertThat(out.get(k).floats()).as("rank %d", k).containsExactly(e);
        }
    }

    @Test
    void collectivePermuteShiftsAroundARingAndZeroesUnreachedRanks() throws Exception {
        StringBuilder ring = new StringBuilder();
        for (int r = 0; r < 8; r++) {
            ring.append(r == 0 ? "" : ",")
                    .append('{')
                    .append(r)
                    .append(',')
                    .append((r + 1) % 8)
                    .append('}');
        }
        String text = module(
                8,
                "",
                "  x = f32[3] parameter(0)\n" + "  ROOT p = f32[3] collective-permute(x), source_target_pairs={" + ring
                        + "}");
        List<Outcome> out = run(text, 8, r -> List.of(vector(r)));
        for (int r = 0; r < 8; r++) {
            assertThat(out.get(r).floats())
                    .as("rank %d", r)
                    .containsExactly(vector((r + 7) % 8).floats());
        }
        String one = module(
                2,
                "",
                "  x = f32[3] parameter(0)\n  ROOT p = f32[3] collective-permute(x), source_target_pairs={{0,1}}");
        List<Outcome> out2 = run(one, 2, r -> List.of(vector(r)));
        assertThat(out2.get(0).floats()).containsExactly(0f, 0f, 0f);
        assertThat(out2.get(1).floats()).containsExactly(vector(0).floats());
    }

    @Test
    void replicaIdIsTheRank() throws Exception {
        String text = module(
                4,
                "",
                "  id = u32[] replica-id()\n  v = u32[1] reshape(id)\n"
                        + "  g = u32[4] all-gather(v), replica_groups={}, dimensions={0}\n  ROOT t = (u32[], u32[4]) tuple(id, g)");
        List<Outcome> out = run(text, 4, r -> List.of());
        for (int r = 0; r < 4; r++) {
            assertThat(out.get(r).error()).isNull();
            assertThat(out.get(r).value().asTuple().get(0).asArray().ints()).containsExactly(r);
            assertThat(out.get(r).value().asTuple().get(1).asArray().ints()).containsExactly(0, 1, 2, 3);
        }
    }

    @Test
    void collectivesInsideAWhileLoopStayAligned() throws Exception {
        // Each rank alone in its group still reaches the rendezvous, so the pair all-reduce after it
        // meets the same sequence number on every rank.
        String comps = ADD
                + "body {\n  s = (s32[], f32[2]) parameter(0)\n  i = s32[] get-tuple-element(s), index=0\n"
                + "  x = f32[2] get-tuple-element(s), index=1\n  one = s32[] constant(1)\n  j = s32[] add(i, one)\n"
                + "  alone = f32[2] all-reduce(x), replica_groups={{0},{1},{2},{3}}, to_apply=add\n"
                + "  y = f32[2] all-reduce(alone), replica_groups={}, to_apply=add\n"
                + "  ROOT t = (s32[], f32[2]) tuple(j, y)\n}\n\n"
                + "cond {\n  s = (s32[], f32[2]) parameter(0)\n  i = s32[] get-tuple-element(s), index=0\n"
                + "  three = s32[] constant(3)\n  ROOT lt = pred[] compare(i, three), direction=LT\n}\n\n";
        String text = module(
                4,
                comps,
                "  x = f32[2] parameter(0)\n  zero = s32[] constant(0)\n"
                        + "  init = (s32[], f32[2]) tuple(zero, x)\n  w = (s32[], f32[2]) while(init), condition=cond, body=body\n"
                        + "  ROOT r = f32[2] get-tuple-element(w), index=1");
        List<Outcome> out = run(text, 4, r -> List.of(f32(new long[] {2}, r + 1, -r)));
        // Sums 10, -6; each further round multiplies by the 4 ranks: 3 rounds give 10*16, -6*16.
        for (Outcome o : out) {
            assertThat(o.floats()).containsExactly(160f, -96f);
        }
    }

    @Test
    void aMissingRankFailsTheOthersWithinTheTimeout() throws Exception {
        String text = module(
                4, ADD, "  x = f32[3] parameter(0)\n  ROOT r = f32[3] all-reduce(x), replica_groups={}, to_apply=add");
        CollectiveRendezvous rv = new CollectiveRendezvous(4);
        long start = System.nanoTime();
        List<Outcome> out = run(text, 4, 3, 300_000_000L, rv, r -> List.of(vector(r)));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(elapsedMs).isLessThan(3000);
        int timeouts = 0;
        for (Outcome o : out) {
            assertThat(o.error()).isInstanceOf(NeuronException.class);
            Status s = ((NeuronException) o.error()).status();
            assertThat(s).isIn(Status.TIMEOUT, Status.EXEC_HW_ERR_COLLECTIVES);
            assertThat(o.error()).hasMessageContaining("rank 3").hasMessageContaining("all-reduce");
            if (s == Status.TIMEOUT) {
                timeouts++;
            }
        }
        assertThat(timeouts).isPositive();
        assertThat(rv.openSlots()).isZero();
        // The straggler arriving after the failure fails at once rather than waiting out its timeout.
        long late = System.nanoTime();
        List<Outcome> straggler = run(text, 4, 1, 5_000_000_000L, rv, r -> List.of(vector(3)));
        assertThat(((NeuronException) straggler.get(0).error()).status()).isEqualTo(Status.EXEC_HW_ERR_COLLECTIVES);
        assertThat((System.nanoTime() - late) / 1_000_000).isLessThan(1000);
    }
}
