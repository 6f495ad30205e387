package dev.nrt4j;

import static dev.nrt4j.TestRuntimes.program;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.testbackend.ContractCheck;
import dev.nrt4j.testbackend.Gate;
import dev.nrt4j.testbackend.MemoryBackend;
import dev.nrt4j.testbackend.MemoryBackendProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(ContractCheck.class)
class RuntimeLifecycleTest {
    @TempDir
    Path tmp;

    // Held in a field: JUL keeps loggers weakly, and a collected logger would lose the handler.
    private final Logger nrt4jLogger = Logger.getLogger("dev.nrt4j");
    private final Recorder recorder = new Recorder();

    private boolean parentHandlers;

    @BeforeEach
    void listen() {
        nrt4jLogger.addHandler(recorder);
        // The leak warnings these tests provoke are expected; keep them off the build's console.
        parentHandlers = nrt4jLogger.getUseParentHandlers();
        nrt4jLogger.setUseParentHandlers(false);
    }

    @AfterEach
    void stopListening() {
        nrt4jLogger.removeHandler(recorder);
        nrt4jLogger.setUseParentHandlers(parentHandlers);
    }

    private static final class Recorder extends Handler {
        final List<LogRecord> records = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}

        List<LogRecord> about(String tensorName) {
            List<LogRecord> out = new ArrayList<>();
            for (LogRecord r : records) {
                if (r.getMessage() != null && r.getMessage().contains("'" + tensorName + "'")) {
                    out.add(r);
                }
            }
            return out;
        }
    }

    /** Runs the collector until the runtime owns nothing and the device memory is free again. */
    private static void awaitCollected(NeuronRuntime rt) throws InterruptedException {
        MemoryBackend backend = MemoryBackend.of(rt);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!rt.openResources().isEmpty() || backend.totalUsedBytes() != 0 || backend.loadedModelCount() != 0) {
            assertThat(System.nanoTime())
                    .as("the Cleaner never freed %s", rt.openResources())
                    .isLessThan(deadline);
            System.gc();
            Thread.sleep(5);
        }
    }

    private static void awaitBlocked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            assertThat(t.isAlive()).as("thread ended instead of blocking").isTrue();
            assertThat(System.nanoTime()).as("thread never blocked").isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    @Test
    void closingTheRuntimeClosesEverythingItStillOwns() {
        NeuronRuntime rt = TestRuntimes.memory();
        MemoryBackend backend = MemoryBackend.of(rt);
        Model m = rt.load(program(tmp, "m.hlo.txt", "add f32 4"));
        TensorSet in = m.allocateInputs();
        Tensor input0 = in.get("input0");
        Tensor loose = rt.allocate("loose", 100, 1);
        Tensor host = rt.allocateHost("host", 10);
        TensorSet handmade = rt.newTensorSet().put("loose", loose);
        assertThat(rt.openResources())
                .hasSize(7)
                .contains("tensor 'loose' (100 bytes on core 1)", "tensor 'host' (10 bytes on host)");

        rt.close();

        assertThat(rt.isOpen()).isFalse();
        assertThat(List.of(m.isOpen(), in.isOpen(), input0.isOpen(), loose.isOpen(), host.isOpen(), handmade.isOpen()))
                .containsOnly(false);
        assertThat(rt.openResources()).isEmpty();
        assertThat(backend.totalUsedBytes()).isZero();
        assertThat(backend.loadedModelCount()).isZero();
        assertThat(backend.isClosed()).isTrue();
        assertThat(rt.toString()).endsWith("closed]");
        rt.close();
        // Closing children after their runtime is harmless.
        loose.close();
        m.close();
    }

    @Test
    void closingTheRuntimeReleasesTensorsBeforeModelsAndTheBackendLast() {
        NeuronRuntime rt = TestRuntimes.memory();
        MemoryBackend backend = MemoryBackend.of(rt);
        rt.load(program(tmp, "m.hlo.txt", "add f32 4"));
        rt.allocate("a", 8, 0);
        rt.allocate("b", 8, 1);

        rt.close();

        // The order RuntimeBackend.close() promises: libnrt wants tensors freed before their model is unloaded.
        assertThat(backend.releases()).containsExactly("tensor", "tensor", "model", "backend");
    }

    @Test
    void everyCallAfterCloseIsIllegalState() {
        NeuronRuntime rt = TestRuntimes.memory();
        Path p = program(tmp, "m.hlo.txt", "add f32 4");
        rt.close();

        List<ThrowingCallable> calls = List.of(
                () -> rt.allocate(4, 0),
                () -> rt.allocate("n", 4, 0),
                () -> rt.allocateHost("h", 4),
                rt::newTensorSet,
                () -> rt.load(p),
                () -> rt.load(ModelSource.of(p), LoadOptions.anyCore()),
                rt::devices);
        for (ThrowingCallable call : calls) {
            assertThatThrownBy(call).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
        // What was fixed at open stays readable.
        assertThat(rt.cores()).hasSize(MemoryBackend.CORES);
        assertThat(rt.backend().name()).isEqualTo("memory");
    }

    @Test
    void runtimeCloseWaitsForARunningExecution() throws Exception {
        NeuronRuntime rt = TestRuntimes.memory();
        MemoryBackend backend = MemoryBackend.of(rt);
        Gate gate = Gate.create("rt-close-" + UUID.randomUUID());
        Model m = rt.load(program(tmp, "g.hlo.txt", "gate " + gate.name() + " add s32 1"));
        TensorSet in = m.allocateInputs();
        TensorSet out = m.allocateOutputs();
        in.get("input0").write(new int[] {40});
        in.get("input1").write(new int[] {2});
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<int[]> execution = pool.submit(() -> {
                m.execute(in, out);
                return out.get("output0").readInts();
            });
            assertThat(gate.awaitArrivals(1, 10, TimeUnit.SECONDS)).isTrue();
            Thread closer = new Thread(rt::close, "runtime closer");
            closer.start();
            awaitBlocked(closer);

            assertThat(m.isOpen()).isTrue();
            gate.open();
            closer.join(10_000);

            assertThat(closer.isAlive()).isFalse();
            // The execution finished; reading its output then raced the close, so either is right.
            try {
                assertThat(execution.get(10, TimeUnit.SECONDS)).containsExactly(42);
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
            }
            assertThat(rt.openResources()).isEmpty();
            assertThat(backend.loadedModelCount()).isZero();
            assertThat(backend.totalUsedBytes()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void allocationsRacingCloseEitherSucceedAndAreClosedOrFailWithIllegalState() throws Exception {
        for (int round = 0; round < 10; round++) {
            NeuronRuntime rt = TestRuntimes.memory();
            MemoryBackend backend = MemoryBackend.of(rt);
            int threads = 6;
            CountDownLatch started = new CountDownLatch(threads);
            ConcurrentLinkedQueue<Tensor> made = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            for (int t = 0; t < threads; t++) {
                pool.submit(() -> {
                    started.countDown();
                    try {
                        while (true) {
                            Tensor x = rt.allocate("r", 8, 0);
                            made.add(x);
                            x.write(new long[] {7});
                            if (made.size() % 64 == 0) {
                                made.poll().close();
                            }
                        }
                    } catch (IllegalStateException closed) {
                        // expected once the runtime (or the tensor just made) is closed
                    } catch (Throwable e) {
                        unexpected.add(e);
                    }
                });
            }
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            rt.close();
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

            assertThat(unexpected).isEmpty();
            assertThat(made).allMatch(x -> !x.isOpen());
            assertThat(rt.openResources()).isEmpty();
            assertThat(backend.totalUsedBytes()).isZero();
        }
    }

    @Test
    void runtimeCloseWaitsForAFreeInProgressOnAnotherThread() throws Exception {
        NeuronRuntime rt = TestRuntimes.memory();
        MemoryBackend backend = MemoryBackend.of(rt);
        Gate gate = Gate.create("free-" + UUID.randomUUID());
        Tensor t = rt.allocate(Gate.HOLD_FREE + gate.name(), 32, 0);
        Thread userClose = new Thread(t::close, "user close");
        try {
            userClose.start();
            assertThat(gate.awaitArrivals(1, 10, TimeUnit.SECONDS)).isTrue();

            assertRuntimeCloseWaitsForGate(rt, backend, gate);
        } finally {
            gate.open();
            userClose.join(10_000);
        }
    }

    @Test
    void runtimeCloseWaitsForTheCleanerFreeingADroppedTensor() throws Exception {
        NeuronRuntime rt = TestRuntimes.memory();
        MemoryBackend backend = MemoryBackend.of(rt);
        Gate gate = Gate.create("cleaner-" + UUID.randomUUID());
        try {
            allocateAndForget(rt, Gate.HOLD_FREE + gate.name());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (gate.arrivals() == 0) {
                assertThat(System.nanoTime())
                        .as("the Cleaner never got to the tensor")
                        .isLessThan(deadline);
                System.gc();
                Thread.sleep(5);
            }

            assertRuntimeCloseWaitsForGate(rt, backend, gate);
        } finally {
            gate.open();
        }
    }

    /** With a free held at {@code gate} on another thread, the runtime's close must wait for it. */
    private static void assertRuntimeCloseWaitsForGate(NeuronRuntime rt, MemoryBackend backend, Gate gate)
            throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Thread closer = new Thread(
                () -> {
                    try {
                        rt.close();
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                },
                "runtime close");
        closer.start();
        try {
            awaitBlocked(closer);
            assertThat(backend.isClosed())
                    .as("backend closed while a free was still running")
                    .isFalse();
        } finally {
            gate.open();
            closer.join(10_000);
        }
        assertThat(failures).isEmpty();
        assertThat(closer.isAlive()).isFalse();
        assertThat(backend.isClosed()).isTrue();
        assertThat(backend.totalUsedBytes()).isZero();
        assertThat(rt.openResources()).isEmpty();
    }

    @Test
    void aDroppedTensorIsFreedByTheCleaner() throws Exception {
        try (NeuronRuntime rt = TestRuntimes.memory()) {
            allocateAndForget(rt, "quiet");
            assertThat(MemoryBackend.of(rt).usedBytes(0)).isEqualTo(1000);

            awaitCollected(rt);

            assertThat(recorder.about("quiet"))
                    .as("no warning without leak detection")
                    .noneMatch(r -> r.getLevel().intValue() >= Level.WARNING.intValue());
        }
    }

    private static void allocateAndForget(NeuronRuntime rt, String name) {
        rt.allocate(name, 1000, 0).write(new byte[] {1});
    }

    @Test
    void droppedModelsAndTheirSetsAreFreedByTheCleaner() throws Exception {
        try (NeuronRuntime rt = TestRuntimes.memory()) {
            loadRunAndForget(rt);
            assertThat(rt.openResources()).hasSize(6);

            awaitCollected(rt);
        }
    }

    private void loadRunAndForget(NeuronRuntime rt) {
        Model m = rt.load(program(tmp, "m.hlo.txt", "add f32 4"));
        TensorSet in = m.allocateInputs();
        TensorSet out = m.allocateOutputs();
        m.execute(in, out);
    }

    @Test
    void withLeakDetectionADroppedTensorIsReportedWithTheMethodThatAllocatedIt() throws Exception {
        try (NeuronRuntime rt = TestRuntimes.memoryWithLeakDetection()) {
            rt.allocate("leaky", 64, 1);

            awaitCollected(rt);

            List<LogRecord> records = recorder.about("leaky");
            assertThat(records).hasSize(1);
            LogRecord r = records.get(0);
            assertThat(r.getLevel()).isEqualTo(Level.WARNING);
            assertThat(r.getMessage()).contains("never closed").contains("64 bytes on core 1");
            assertThat(r.getThrown()).isNotNull();
            assertThat(r.getThrown().getStackTrace()).anySatisfy(frame -> {
                assertThat(frame.getClassName()).isEqualTo(RuntimeLifecycleTest.class.getName());
                assertThat(frame.getMethodName())
                        .isEqualTo("withLeakDetectionADroppedTensorIsReportedWithTheMethodThatAllocatedIt");
            });
        }
    }

    @Test
    void theRuntimesLogLevelFiltersNrt4jsOwnLog() throws Exception {
        Level before = nrt4jLogger.getLevel();
        nrt4jLogger.setLevel(Level.ALL);
        try {
            try (NeuronRuntime rt = NeuronRuntime.open(TestRuntimes.isolatedOptions()
                    .backend(MemoryBackendProvider.NAME)
                    .leakDetection(true)
                    .logLevel(System.Logger.Level.OFF)
                    .build())) {
                rt.allocate("silenced", 64, 1);
                awaitCollected(rt);
            }
            assertThat(recorder.records).as("OFF logs nothing, not even a leak").isEmpty();

            try (NeuronRuntime rt = NeuronRuntime.open(TestRuntimes.isolatedOptions()
                    .backend(MemoryBackendProvider.NAME)
                    .logLevel(System.Logger.Level.DEBUG)
                    .build())) {
                rt.load(program(tmp, "m.hlo.txt", "add f32 4")).close();
            }
            assertThat(recorder.records)
                    .extracting(LogRecord::getMessage)
                    .anySatisfy(m -> assertThat(m).startsWith("nrt4j: opened the "))
                    .anySatisfy(m -> assertThat(m).startsWith("nrt4j: loaded model 'm.hlo.txt' on core "))
                    .anySatisfy(m -> assertThat(m).startsWith("nrt4j: closed the runtime"));
            recorder.records.clear();

            try (NeuronRuntime rt = NeuronRuntime.open(TestRuntimes.isolatedOptions()
                    .backend(MemoryBackendProvider.NAME)
                    .logLevel(System.Logger.Level.INFO)
                    .build())) {
                rt.load(program(tmp, "m.hlo.txt", "add f32 4")).close();
            }
            assertThat(recorder.records).as("INFO leaves out the DEBUG lines").isEmpty();
        } finally {
            nrt4jLogger.setLevel(before);
        }
    }

    @Test
    void closedResourcesAreNeverReportedAsLeaks() throws Exception {
        try (NeuronRuntime rt = TestRuntimes.memoryWithLeakDetection()) {
            rt.allocate("tidy", 8, 0).close();
            Map<String, HostTensor> r = rt.load(program(tmp, "m.hlo.txt", "add f32 1"))
                    .run(Map.of(
                            "input0", HostTensor.of(new float[] {1}, 1), "input1", HostTensor.of(new float[] {2}, 1)));
            assertThat(r.get("output0").toFloatArray()).containsExactly(3);
            // Only the model is dropped open (run's sets are closed by run itself).
            awaitCollected(rt);

            assertThat(recorder.records)
                    .filteredOn(x -> x.getLevel() == Level.WARNING)
                    .extracting(LogRecord::getMessage)
                    .singleElement()
                    .asString()
                    .startsWith("nrt4j: model 'm.hlo.txt'");
        }
    }

    @Test
    void aDroppedRuntimeIsClosedByTheCleanerEvenWithOwnedSetsOpen() throws Exception {
        MemoryBackend backend = openUseAndForget();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!backend.isClosed()) {
            assertThat(System.nanoTime())
                    .as("the Cleaner never closed the dropped runtime")
                    .isLessThan(deadline);
            System.gc();
            Thread.sleep(5);
        }
        assertThat(backend.totalUsedBytes()).isZero();
        assertThat(backend.loadedModelCount()).isZero();
        assertThat(recorder.records).anySatisfy(r -> {
            assertThat(r.getLevel()).isEqualTo(Level.WARNING);
            assertThat(r.getMessage()).contains("runtime was never closed");
            assertThat(r.getThrown().getStackTrace())
                    .anySatisfy(frame -> assertThat(frame.getMethodName()).isEqualTo("openUseAndForget"));
        });
    }

    private MemoryBackend openUseAndForget() {
        NeuronRuntime rt = TestRuntimes.memoryWithLeakDetection();
        loadRunAndForget(rt);
        rt.allocate("forgotten", 16, 0);
        return MemoryBackend.of(rt);
    }

    @Test
    void aCopyToATensorThatIsBeingClosedFailsAtOnceInsteadOfWaiting() throws Exception {
        try (NeuronRuntime rt = TestRuntimes.memory();
                Tensor source = rt.allocate("source", 32, 0)) {
            Gate gate = Gate.create("closing-target-" + UUID.randomUUID());
            Tensor target = rt.allocate(Gate.HOLD_FREE + gate.name(), 32, 0);
            Thread closer = new Thread(target::close, "target close");
            try {
                closer.start();
                assertThat(gate.awaitArrivals(1, 10, TimeUnit.SECONDS)).isTrue();
                // The closer holds the target's release; waiting for it while holding the source could
                // deadlock against a closer of the source, so the copy must give up at once.
                assertThatThrownBy(() -> source.copyTo(target))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("being closed");
            } finally {
                gate.open();
                closer.join(10_000);
            }
            assertThatThrownBy(() -> source.copyTo(target))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is closed");
        }
    }
}
