package dev.nrt4j.nativert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.HostTensor;
import dev.nrt4j.LoadOptions;
import dev.nrt4j.Model;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import dev.nrt4j.Tensor;
import dev.nrt4j.nativert.binding.LibNrt;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executions as libnrt documents them: tensors that do not match the model are {@code NRT_INVALID}
 * (nrt_status.h); each NeuronCore runs one execution at a time while different cores run at once and
 * tensor calls never wait for an execution; an execution past {@code NEURON_RT_EXEC_TIMEOUT} fails with
 * {@code NRT_TIMEOUT} and leaves the core usable; ranks of a collective program meet at all-reduce-sum,
 * and a rank whose peers do not come times out without leaving anything behind for the next round.
 */
class DoubleExecutionIT {
    @TempDir
    Path dir;

    private ExecutorService pool;

    @BeforeEach
    void threads() {
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void nothingLeft() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        LibnrtDouble.assertNothingLeaked();
    }

    private static NeuronRuntime open(int timeoutSeconds) {
        return LibnrtDouble.open(RuntimeOptions.builder().execTimeout(Duration.ofSeconds(timeoutSeconds)));
    }

    private Model load(NeuronRuntime rt, String name, byte[] neff, LoadOptions where) {
        return rt.load(dev.nrt4j.ModelSource.of(TestNeffs.write(dir, name, neff)), where);
    }

    private static Status statusOf(Callable<?> c) {
        try {
            c.call();
            return Status.SUCCESS;
        } catch (NeuronException e) {
            return e.status();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private static Map<String, HostTensor> floats(float... v) {
        return Map.of("input0", HostTensor.of(v, v.length));
    }

    @Test
    void tensorsThatDoNotMatchTheModelAreInvalidAtTheBinding() {
        LibnrtDouble.use();
        NativeRuntime rt = (NativeRuntime)
                new NativeBackendProvider().open(RuntimeOptions.builder().build());
        LibNrt lib = rt.lib();
        long model = lib.load(TestNeffs.add(), 0, -1);
        long a = lib.tensorAllocate(LibNrt.PLACEMENT_DEVICE, 0, 24, "a");
        long b = lib.tensorAllocate(LibNrt.PLACEMENT_DEVICE, 0, 24, "b");
        long small = lib.tensorAllocate(LibNrt.PLACEMENT_DEVICE, 0, 20, "small");
        long out = lib.tensorAllocate(LibNrt.PLACEMENT_DEVICE, 0, 24, "out");
        List<Long> sets = new ArrayList<>();
        try {
            record Try(
                    String what,
                    String[] inNames,
                    long[] inTensors,
                    String[] outNames,
                    long[] outTensors,
                    Status expected) {}
            List<Try> tries = List.of(
                    new Try(
                            "input1 missing",
                            new String[] {"input0"},
                            new long[] {a},
                            new String[] {"output0"},
                            new long[] {out},
                            Status.INVALID),
                    new Try(
                            "input1 too small",
                            new String[] {"input0", "input1"},
                            new long[] {a, small},
                            new String[] {"output0"},
                            new long[] {out},
                            Status.INVALID),
                    new Try(
                            "a name the model does not have",
                            new String[] {"input0", "input1", "input2"},
                            new long[] {a, b, b},
                            new String[] {"output0"},
                            new long[] {out},
                            Status.INVALID),
                    new Try(
                            "an output in the input set",
                            new String[] {"input0", "input1", "output0"},
                            new long[] {a, b, out},
                            new String[] {"output0"},
                            new long[] {out},
                            Status.INVALID),
                    new Try(
                            "no output",
                            new String[] {"input0", "input1"},
                            new long[] {a, b},
                            new String[0],
                            new long[0],
                            Status.INVALID),
                    new Try(
                            "output too small",
                            new String[] {"input0", "input1"},
                            new long[] {a, b},
                            new String[] {"output0"},
                            new long[] {small},
                            Status.INVALID),
                    new Try(
                            "all there",
                            new String[] {"input0", "input1"},
                            new long[] {a, b},
                            new String[] {"output0"},
                            new long[] {out},
                            Status.SUCCESS));
            for (Try t : tries) {
                long in = lib.allocateTensorSet();
                sets.add(in);
                long os = lib.allocateTensorSet();
                sets.add(os);
                for (int i = 0; i < t.inNames().length; i++) {
                    lib.addTensorToTensorSet(in, t.inNames()[i], t.inTensors()[i]);
                }
                for (int i = 0; i < t.outNames().length; i++) {
                    lib.addTensorToTensorSet(os, t.outNames()[i], t.outTensors()[i]);
                }
                assertThat(statusOf(() -> {
                            lib.execute(model, in, os);
                            return null;
                        }))
                        .as(t.what())
                        .isEqualTo(t.expected());
            }
        } finally {
            sets.forEach(lib::destroyTensorSet);
            for (long t : new long[] {a, b, small, out}) {
                lib.tensorFree(t);
            }
            lib.unload(model);
            rt.close();
        }
    }

    @Test
    void anExecutionPastTheTimeoutFailsWithTimeoutAndTheCoreRecovers() throws Exception {
        try (NeuronRuntime rt = open(1);
                Model forever = load(rt, "forever.neff", TestNeffs.loopForever(), LoadOptions.onCore(0));
                Model copy = load(rt, "copy.neff", TestNeffs.copy(2), LoadOptions.onCore(0))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> forever.run(floats(1))).isInstanceOfSatisfying(NeuronException.class, e -> {
                assertThat(e.status()).isEqualTo(Status.TIMEOUT);
                assertThat(e.operation()).isEqualTo("nrt_execute");
            });
            assertThat(seconds(start))
                    .as("waited for the 1 s timeout, not much longer")
                    .isBetween(0.9, 20.0);
            assertThat(copy.run(floats(4, 5)).get("output0").toFloatArray())
                    .as("the core runs the next execution")
                    .containsExactly(4, 5);
            assertThat(statusOf(() -> forever.run(floats(1))))
                    .as("and times out again")
                    .isEqualTo(Status.TIMEOUT);
        }
    }

    @Test
    void differentCoresExecuteAtOnceAndOneCoreQueues() throws Exception {
        try (NeuronRuntime rt = open(2);
                Model slow0 = load(rt, "f0.neff", TestNeffs.loopForever(), LoadOptions.onCore(0));
                Model slow1 = load(rt, "f1.neff", TestNeffs.loopForever(), LoadOptions.onCore(1));
                Model copy0 = load(rt, "c0.neff", TestNeffs.copy(1), LoadOptions.onCore(0));
                Model copy2 = load(rt, "c2.neff", TestNeffs.copy(1), LoadOptions.onCore(2))) {
            // Two 2-second executions on two cores take 2 seconds, not 4.
            long start = System.nanoTime();
            Future<Status> a = pool.submit(() -> statusOf(() -> slow0.run(floats(1))));
            Future<Status> b = pool.submit(() -> statusOf(() -> slow1.run(floats(1))));
            Thread.sleep(300);
            // Meanwhile another core executes, and tensors are allocated, written, read and freed at once,
            // on a busy core too, and a model loads and unloads.
            long quick = System.nanoTime();
            assertThat(copy2.run(floats(7)).get("output0").toFloatArray()).containsExactly(7);
            try (Tensor t = rt.allocate("t", 1 << 20, 0)) {
                t.write(new float[] {1, 2});
                assertThat(t.readFloats()).startsWith(1, 2);
            }
            load(rt, "c3.neff", TestNeffs.copy(1), LoadOptions.onCore(3)).close();
            assertThat(seconds(quick))
                    .as("nothing above waited for the running executions")
                    .isLessThan(1.0);
            assertThat(a.isDone() || b.isDone())
                    .as("the 2 s executions were still running")
                    .isFalse();
            // A second execution on busy core 0 waits for the first to end.
            long queued = System.nanoTime();
            assertThat(copy0.run(floats(3)).get("output0").toFloatArray()).containsExactly(3);
            assertThat(seconds(queued))
                    .as("queued behind the execution on core 0")
                    .isGreaterThan(1.0);
            assertThat(a.get()).isEqualTo(Status.TIMEOUT);
            assertThat(b.get()).isEqualTo(Status.TIMEOUT);
            assertThat(seconds(start)).as("the two cores ran at once").isLessThan(3.5);
        }
    }

    @Test
    void twoRanksOnTwoCoresAllReduceToTheSum() throws Exception {
        byte[] neff = TestNeffs.allReduce(2, 3);
        try (NeuronRuntime rt = open(20);
                Model r0 = load(rt, "r0.neff", neff, LoadOptions.onCore(0).asRank(0, 2));
                Model r1 = load(rt, "r1.neff", neff, LoadOptions.onCore(1).asRank(1, 2))) {
            for (int round = 0; round < 3; round++) {
                float k = round;
                Future<float[]> f0 =
                        pool.submit(() -> r0.run(floats(1, 2, k)).get("output0").toFloatArray());
                Future<float[]> f1 = pool.submit(
                        () -> r1.run(floats(10, 20, 30)).get("output0").toFloatArray());
                assertThat(f0.get(30, TimeUnit.SECONDS)).containsExactly(11, 22, 30 + k);
                assertThat(f1.get(30, TimeUnit.SECONDS)).containsExactly(11, 22, 30 + k);
            }
        }
    }

    @Test
    void threeRanksSumInRankOrder() throws Exception {
        byte[] neff = TestNeffs.allReduce(3, 1);
        float[] values = {0x1p24f, 1, -0x1p24f};
        try (NeuronRuntime rt = open(20)) {
            List<Model> ranks = new ArrayList<>();
            try {
                // Loaded out of order, on cores that are not the rank numbers.
                for (int r : new int[] {2, 0, 1}) {
                    ranks.add(load(
                            rt,
                            "r" + r + ".neff",
                            neff,
                            LoadOptions.onCore(3 - r).asRank(r, 3)));
                }
                List<Future<float[]>> got = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    int r = new int[] {2, 0, 1}[i];
                    Model m = ranks.get(i);
                    got.add(pool.submit(
                            () -> m.run(floats(values[r])).get("output0").toFloatArray()));
                }
                // (2^24 + 1) - 2^24 in rank order is 0 (2^24 + 1 rounds to 2^24); in any other order it is 1 or 2^24.
                for (Future<float[]> f : got) {
                    assertThat(f.get(30, TimeUnit.SECONDS)).containsExactly(0f);
                }
            } finally {
                ranks.forEach(Model::close);
            }
        }
    }

    @Test
    void aRankWhosePeersNeverComeTimesOutAndLeavesNothingForTheNextRound() throws Exception {
        byte[] neff = TestNeffs.allReduce(2, 1);
        try (NeuronRuntime rt = open(1);
                Model r0 = load(rt, "r0.neff", neff, LoadOptions.onCore(0).asRank(0, 2));
                Model r1 = load(rt, "r1.neff", neff, LoadOptions.onCore(1).asRank(1, 2))) {
            long start = System.nanoTime();
            assertThat(statusOf(() -> r0.run(floats(100)))).as("rank 0 alone").isEqualTo(Status.TIMEOUT);
            assertThat(seconds(start)).isBetween(0.9, 20.0);
            // Rank 0's contribution went with its execution: rank 1 alone must not complete with it.
            assertThat(statusOf(() -> r1.run(floats(5))))
                    .as("rank 1 alone, after rank 0 left")
                    .isEqualTo(Status.TIMEOUT);
            Future<float[]> f0 =
                    pool.submit(() -> r0.run(floats(1)).get("output0").toFloatArray());
            Future<float[]> f1 =
                    pool.submit(() -> r1.run(floats(2)).get("output0").toFloatArray());
            assertThat(f0.get(30, TimeUnit.SECONDS))
                    .as("the next round has only its own values")
                    .containsExactly(3);
            assertThat(f1.get(30, TimeUnit.SECONDS)).containsExactly(3);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    @Test
    void collectiveProgramsLoadOnlyAsTheirRanks() {
        LibnrtDouble.use();
        NativeRuntime rt = (NativeRuntime)
                new NativeBackendProvider().open(RuntimeOptions.builder().build());
        try {
            LibNrt lib = rt.lib();
            byte[] two = TestNeffs.allReduce(2, 1);
            assertThat(statusOf(() -> lib.load(two, 0, -1)))
                    .as("nrt_load of a 2-rank program")
                    .isEqualTo(Status.INVALID);
            assertThat(statusOf(() -> lib.loadCollectives(two, 0, -1, 0, 3)))
                    .as("another group size")
                    .isEqualTo(Status.INVALID);
            assertThat(statusOf(() -> lib.loadCollectives(two, 0, -1, 2, 2)))
                    .as("rank 2 of 2")
                    .isEqualTo(Status.INVALID);
            assertThat(statusOf(() -> lib.loadCollectives(TestNeffs.copy(1), 0, -1, 0, 2)))
                    .as("a 1-rank program as one of 2")
                    .isEqualTo(Status.INVALID);
            assertThat(statusOf(() -> lib.loadCollectives(TestNeffs.allReduce(5, 1), 0, -1, 0, 5)))
                    .as("5 ranks, 4 cores")
                    .isEqualTo(Status.LOAD_NOT_ENOUGH_NC);
            long one = lib.loadCollectives(TestNeffs.copy(1), 0, -1, 0, 1);
            lib.unload(one);
            long rank1 = lib.loadCollectives(two, 1, -1, 1, 2);
            assertThat(lib.modelVnc(rank1)).hasValue(1);
            lib.unload(rank1);
        } finally {
            rt.close();
        }
    }
}
