package dev.nrt4j.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.HostTensor;
import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.Status;
import dev.nrt4j.device.NeuronChip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/** Programs that never end: the default timeout, an explicit one, close while they run, and malformed loops. */
@Isolated("claims simulated cores, which are shared by every runtime of the JVM")
class RunawayExecutionTest {
    private static final String ENDLESS = String.join(
            "\n",
            "HloModule endless",
            "cond {",
            "  p = (s32[]) parameter(0)",
            "  ROOT t = pred[] constant(true)",
            "}",
            "body {",
            "  p = (s32[]) parameter(0)",
            "  x = s32[] get-tuple-element(p), index=0",
            "  one = s32[] constant(1)",
            "  y = s32[] add(x, one)",
            "  ROOT r = (s32[]) tuple(y)",
            "}",
            "ENTRY e {",
            "  x = s32[] parameter(0)",
            "  s = (s32[]) tuple(x)",
            "  w = (s32[]) while(s), condition=cond, body=body",
            "  ROOT r = s32[] get-tuple-element(w), index=0",
            "}");
    private static final Map<String, HostTensor> ZERO =
            Map.of("input0", HostTensor.of(dev.nrt4j.DType.INT32, dev.nrt4j.Shape.scalar(), new byte[4]));

    @TempDir
    Path dir;

    private ModelSource program(String name, String text) throws Exception {
        return ModelSource.of(Files.writeString(dir.resolve(name + ".hlo.txt"), text));
    }

    @Test
    void withoutATimeoutTheChipsLibnrtDefaultApplies() {
        assertThat(ExecutionLimits.of(null, NeuronChip.TRAINIUM).timeoutNanos())
                .isEqualTo(Duration.ofSeconds(600).toNanos());
        assertThat(ExecutionLimits.of(null, NeuronChip.INFERENTIA2).timeoutNanos())
                .isEqualTo(Duration.ofSeconds(600).toNanos());
        assertThat(ExecutionLimits.of(null, NeuronChip.TRAINIUM2).timeoutNanos())
                .isEqualTo(Duration.ofSeconds(600).toNanos());
        assertThat(ExecutionLimits.of(null, NeuronChip.INFERENTIA).timeoutNanos())
                .isEqualTo(Duration.ofSeconds(30).toNanos());
        // A missing rank is still reported within the collective wait, not after ten minutes.
        assertThat(ExecutionLimits.of(null, NeuronChip.TRAINIUM).collectiveTimeoutNanos())
                .isEqualTo(Duration.ofSeconds(30).toNanos());
        ExecutionLimits explicit = ExecutionLimits.of(Duration.ofSeconds(7), NeuronChip.TRAINIUM);
        assertThat(explicit.timeoutNanos()).isEqualTo(Duration.ofSeconds(7).toNanos());
        assertThat(explicit.collectiveTimeoutNanos())
                .isEqualTo(Duration.ofSeconds(7).toNanos());
    }

    @Test
    void anEndlessLoopEndsWithTimeoutWhenOneIsSet() throws Exception {
        try (NeuronRuntime rt = NeuronRuntime.open(ReferenceRuntimeTest.options()
                        .execTimeout(Duration.ofMillis(300))
                        .build());
                Model m = rt.load(program("endless", ENDLESS))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> m.run(ZERO))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.TIMEOUT))
                    .hasMessageContaining("NEURON_RT_EXEC_TIMEOUT");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            // The core is free again afterwards: the next execution starts, and times out in turn.
            assertThatThrownBy(() -> m.run(ZERO))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.TIMEOUT));
        }
    }

    @Test
    void closeStopsAnEndlessLoopWithoutATimeoutWithinASecond() throws Exception {
        NeuronRuntime rt = NeuronRuntime.open(ReferenceRuntimeTest.options().build());
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Model m = rt.load(program("endless", ENDLESS));
            CountDownLatch calling = new CountDownLatch(1);
            Future<Object> running = pool.submit(() -> {
                calling.countDown();
                try {
                    return m.run(ZERO);
                } catch (NeuronException e) {
                    return e;
                }
            });
            calling.await();
            Thread.sleep(300);
            assertThat(running.isDone())
                    .as("the loop is still running when close begins")
                    .isFalse();

            long start = System.nanoTime();
            rt.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("close").isLessThan(Duration.ofSeconds(1));
            // Close waited for the cancelled execution to stop, so its outcome is already there.
            Object outcome = running.get(100, TimeUnit.MILLISECONDS);
            assertThat(outcome).isInstanceOfSatisfying(NeuronException.class, e -> {
                assertThat(e.status()).isEqualTo(Status.CLOSED);
                assertThat(e.getMessage()).contains("closed while this execution was in flight");
            });
        } finally {
            pool.shutdownNow();
            rt.close();
        }
    }

    @Test
    void aLoopWhoseConditionIsNotPredIsRefusedAtLoad() throws Exception {
        String counting = ENDLESS.replace("ROOT t = pred[] constant(true)", "ROOT t = s32[] constant(1)");
        try (NeuronRuntime rt =
                NeuronRuntime.open(ReferenceRuntimeTest.options().build())) {
            ModelSource source = program("counting", counting);
            assertThatThrownBy(() -> rt.load(source))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                    .hasMessageContaining("while w")
                    .hasMessageContaining("returns s32[]")
                    .hasMessageContaining("expected pred[]");
            assertThat(rt.openResources()).isEmpty();
        }
    }

    @Test
    void closeStopsARankWaitingForPeersThatNeverArrive() throws Exception {
        String allReduce = ReferenceModelTest.ALL_REDUCE_2;
        // No timeout: rank 0 would wait the 30 s collective wait for rank 1, which is never run.
        NeuronRuntime rt = NeuronRuntime.open(ReferenceRuntimeTest.options().build());
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            ModelSource source = program("ar", allReduce);
            Model r0 = rt.load(source, dev.nrt4j.LoadOptions.onCore(0).asRank(0, 2));
            rt.load(source, dev.nrt4j.LoadOptions.onCore(1).asRank(1, 2));
            Future<Object> waiting = pool.submit(() -> {
                try {
                    return r0.run(Map.of("input0", HostTensor.of(new float[] {1, 2, 3})));
                } catch (NeuronException e) {
                    return e;
                }
            });
            Thread.sleep(300);
            assertThat(waiting.isDone()).as("rank 0 waits at the all-reduce").isFalse();
            long start = System.nanoTime();
            rt.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("close").isLessThan(Duration.ofSeconds(1));
            assertThat(waiting.get(100, TimeUnit.MILLISECONDS))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.CLOSED));
        } finally {
            pool.shutdownNow();
            rt.close();
        }
    }
}
