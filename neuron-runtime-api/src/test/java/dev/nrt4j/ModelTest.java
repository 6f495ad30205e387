package dev.nrt4j;

import static dev.nrt4j.TestRuntimes.program;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.testbackend.Gate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelTest extends OnTheMemoryBackend {
    @TempDir
    Path tmp;

    private Model load(String text) {
        return rt.load(program(tmp, "m" + UUID.randomUUID() + ".hlo.txt", text));
    }

    private static void assertBadInput(ThrowingCallable call, String... mentions) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.EXEC_BAD_INPUT))
                .message()
                .contains(mentions);
    }

    /** Waits, without timing assumptions, until {@code t} is parked on a lock or latch. */
    private static void awaitBlocked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            assertThat(t.isAlive()).as("thread ended instead of blocking").isTrue();
            assertThat(System.nanoTime()).as("thread never blocked").isLessThan(deadline);
            Thread.onSpinWait();
            Thread.sleep(1);
        }
    }

    @Test
    void signatureNameAndCoreComeFromTheBackend() {
        Path p = program(tmp, "two.hlo.txt", "addsub s32 3");
        try (Model m = rt.load(ModelSource.of(p), LoadOptions.onCore(1));
                Model any = rt.load(p)) {
            assertThat(m.name()).isEqualTo("two.hlo.txt");
            assertThat(m.core()).isEqualTo(1);
            assertThat(any.core()).isEqualTo(0);
            assertThat(m.signature().inputs()).extracting(TensorInfo::name).containsExactly("input0", "input1");
            assertThat(m.signature().outputs()).extracting(TensorInfo::name).containsExactly("output0", "output1");
            assertThat(m.signature().input("input1"))
                    .get()
                    .extracting(TensorInfo::byteSize)
                    .isEqualTo(12L);
            assertThat(m.signature().output("output9")).isEmpty();
            assertThat(m.isOpen()).isTrue();
            assertThat(m.toString()).contains("two.hlo.txt").contains("core 1");
        }
    }

    @Test
    void aModelHeldInMemoryLoadsAndIsNamedAsSuch() {
        ModelSource source = ModelSource.of(
                "addsub s32 3".getBytes(java.nio.charset.StandardCharsets.UTF_8), ModelSource.Kind.HLO_TEXT);
        try (Model m = rt.load(source, LoadOptions.onCore(1))) {
            assertThat(m.name()).isEqualTo("<in-memory HLO_TEXT, 12 bytes>");
            assertThat(m.signature().outputs()).extracting(TensorInfo::name).containsExactly("output0", "output1");
        }
        assertThatThrownBy(() -> rt.load(source, LoadOptions.onCore(99)))
                .isInstanceOf(NeuronException.class)
                .hasMessageContaining("<in-memory HLO_TEXT, 12 bytes>")
                .hasMessageContaining("core 99");
    }

    @Test
    void checkAsksTheSelectedBackendWithoutOpeningIt() throws Exception {
        Path text = program(tmp, "ok.hlo.txt", "add f32 4");
        Path neff = java.nio.file.Files.write(tmp.resolve("m.neff"), new byte[] {1});
        RuntimeOptions memory = TestRuntimes.isolatedOptions().backend("memory").build();

        assertThat(NeuronRuntime.check(ModelSource.of(text), memory)).isEqualTo(ModelSupport.supported("memory"));
        ModelSupport no = NeuronRuntime.check(ModelSource.of(neff), memory);
        assertThat(no.isSupported()).isFalse();
        assertThat(no.backend()).isEqualTo("memory");
        assertThat(no.obstacles()).singleElement().asString().contains("not NEFF");
        assertThat(rt.check(ModelSource.of(neff))).isEqualTo(no);
        assertThatThrownBy(() -> ModelSupport.unsupported("x", java.util.List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void executeComputesIntoTheOutputs() {
        try (Model m = load("addsub f32 4");
                TensorSet in = m.allocateInputs();
                TensorSet out = m.allocateOutputs()) {
            in.get("input0").write(new float[] {1, 2, 3, 4});
            in.get("input1").write(new float[] {10, 20, 30, 40});

            m.execute(in, out);

            assertThat(out.get("output0").readFloats()).containsExactly(11, 22, 33, 44);
            assertThat(out.get("output1").readFloats()).containsExactly(-9, -18, -27, -36);
        }
    }

    @Test
    void setsBuiltByHandWorkAndExtraNamesAreIgnored() {
        try (Model m = load("add s32 2");
                Tensor a = rt.allocate("a", 8, 0);
                Tensor y = rt.allocate("y", 8, 0);
                Tensor junk = rt.allocate("junk", 3, 0);
                TensorSet in = rt.newTensorSet();
                TensorSet out = rt.newTensorSet()) {
            a.write(new int[] {5, -7});
            // One tensor under two names: the model reads it twice.
            in.put("input0", a).put("input1", a).put("unused", junk);
            out.put("output0", y);

            m.execute(in, out);

            assertThat(y.readInts()).containsExactly(10, -14);
        }
    }

    @Test
    void aMissingInputOrOutputIsBadInputNamingIt() {
        try (Model m = load("addsub f32 4");
                TensorSet in = m.allocateInputs();
                TensorSet out = m.allocateOutputs();
                Tensor t = rt.allocate("t", 16, 0);
                TensorSet partialIn = rt.newTensorSet().put("input0", t);
                TensorSet partialOut = rt.newTensorSet().put("output0", t)) {
            assertBadInput(() -> m.execute(partialIn, out), "input 'input1'", "missing");
            assertBadInput(() -> m.execute(in, partialOut), "output 'output1'", "missing");
            assertBadInput(() -> m.execute(rt.newTensorSet(), out), "input0");
        }
    }

    @Test
    void aWronglySizedInputOrOutputIsBadInputNamingItAndTheSizes() {
        try (Model m = load("add f32 4");
                TensorSet in = m.allocateInputs();
                TensorSet out = m.allocateOutputs();
                Tensor small = rt.allocate("small", 12, 0);
                Tensor big = rt.allocate("big", 20, 0)) {
            in.put("input1", small);
            assertBadInput(() -> m.execute(in, out), "input 'input1'", "12 bytes", "16");
            in.put("input1", rt.allocate("ok", 16, 0));
            out.put("output0", big);
            assertBadInput(() -> m.execute(in, out), "output 'output0'", "20 bytes", "16");
            assertThat(big.readBytes()).as("nothing executed").containsOnly(0);
        }
    }

    @Test
    void setsOfAnotherRuntimeAreInvalidAndClosedTensorsIllegalState() {
        try (Model m = load("add f32 4");
                TensorSet in = m.allocateInputs();
                TensorSet out = m.allocateOutputs();
                NeuronRuntime rt2 = TestRuntimes.memory();
                TensorSet foreign = rt2.newTensorSet()) {
            assertThatThrownBy(() -> m.execute(foreign, out))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                    .hasMessageContaining("another runtime");
            assertThatThrownBy(() -> m.execute(in, foreign))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID));
            in.get("input0").close();
            assertThatThrownBy(() -> m.execute(in, out)).isInstanceOf(IllegalStateException.class);
            // The failed execute released what it had entered: the output can still be closed.
            out.close();
            in.close();
            assertThatThrownBy(() -> m.execute(in, out)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void runTakesAndReturnsHostTensorsAndLeavesNothingBehind() {
        try (Model m = load("addsub s32 3")) {
            Map<String, HostTensor> r = m.run(Map.of(
                    "input0",
                    HostTensor.of(new int[] {1, 2, 3}, 3),
                    "input1",
                    HostTensor.of(new int[] {3, 2, 1}, 3),
                    "ignored",
                    HostTensor.of(new int[] {0}, 1)));

            assertThat(r.keySet()).containsExactly("output0", "output1");
            assertThat(r.get("output0")).isEqualTo(HostTensor.of(new int[] {4, 4, 4}, 3));
            assertThat(r.get("output1").toIntArray()).containsExactly(-2, 0, 2);
            assertThat(rt.openResources()).hasSize(1).allMatch(d -> d.startsWith("model"));
            assertThat(backend.totalUsedBytes()).isZero();
        }
    }

    @Test
    void runChecksNamesTypesAndShapes() {
        try (Model m = load("add f32 4")) {
            HostTensor ok = HostTensor.of(new float[4], 4);
            assertBadInput(() -> m.run(Map.of("input0", ok)), "input 'input1'", "missing");
            assertBadInput(
                    () -> m.run(Map.of("input0", ok, "input1", HostTensor.of(new int[4], 4))),
                    "'input1'",
                    "s32",
                    "f32");
            assertBadInput(
                    () -> m.run(Map.of("input0", HostTensor.of(new float[4], 2, 2), "input1", ok)),
                    "'input0'",
                    "[2, 2]");
            assertBadInput(() -> m.run(Map.of("input0", HostTensor.of(new float[5], 5), "input1", ok)), "'input0'");
            assertThat(rt.openResources()).hasSize(1);
        }
    }

    @Test
    void eightThreadsExecutingOneModelEachGetTheirOwnResult() throws Exception {
        int threads = 8;
        int iterations = 200;
        try (Model m = load("add s32 64")) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                results.add(pool.submit(() -> {
                    start.await();
                    int checked = 0;
                    try (TensorSet in = m.allocateInputs();
                            TensorSet out = m.allocateOutputs()) {
                        int[] a = new int[64];
                        int[] b = new int[64];
                        int[] expected = new int[64];
                        for (int i = 0; i < iterations; i++) {
                            for (int k = 0; k < 64; k++) {
                                a[k] = id * 1_000_000 + i * 100 + k;
                                b[k] = -k * id;
                                expected[k] = a[k] + b[k];
                            }
                            in.get("input0").write(a);
                            in.get("input1").write(b);
                            m.execute(in, out);
                            assertThat(out.get("output0").readInts()).containsExactly(expected);
                            checked++;
                        }
                    }
                    return checked;
                }));
            }
            start.countDown();
            for (Future<Integer> f : results) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(iterations);
            }
            pool.shutdown();
        }
    }

    @Test
    void executionsOfOneModelAreNotSerialisedByTheApi() throws Exception {
        int threads = 8;
        Gate gate = Gate.create("together-" + UUID.randomUUID());
        try (Model m = load("gate " + gate.name() + " add f32 1")) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<Float>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                float x = t;
                results.add(pool.submit(() -> {
                    Map<String, HostTensor> r = m.run(Map.of(
                            "input0",
                            HostTensor.of(new float[] {x}, 1),
                            "input1",
                            HostTensor.of(new float[] {0.5f}, 1)));
                    return r.get("output0").toFloatArray()[0];
                }));
            }
            boolean allInside = gate.awaitArrivals(threads, 10, TimeUnit.SECONDS);
            gate.open();
            assertThat(allInside)
                    .as("all %d executions were inside the backend at once (arrived: %d)", threads, gate.arrivals())
                    .isTrue();
            for (int t = 0; t < threads; t++) {
                assertThat(results.get(t).get(10, TimeUnit.SECONDS)).isEqualTo(t + 0.5f);
            }
            pool.shutdown();
        }
    }

    @Test
    void closeWaitsForARunningExecution() throws Exception {
        Gate gate = Gate.create("close-" + UUID.randomUUID());
        Model m = load("gate " + gate.name() + " add f32 2");
        TensorSet in = m.allocateInputs();
        TensorSet out = m.allocateOutputs();
        in.get("input0").write(new float[] {1, 2});
        in.get("input1").write(new float[] {3, 4});
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> execution = pool.submit(() -> m.execute(in, out));
            assertThat(gate.awaitArrivals(1, 10, TimeUnit.SECONDS)).isTrue();
            Thread closer = new Thread(m::close, "closer");
            closer.start();
            awaitBlocked(closer);

            assertThat(m.isOpen()).as("still open while the execution runs").isTrue();
            assertThat(backend.loadedModelCount()).isEqualTo(1);
            gate.open();
            execution.get(10, TimeUnit.SECONDS);
            closer.join(10_000);

            assertThat(closer.isAlive()).isFalse();
            assertThat(m.isOpen()).isFalse();
            assertThat(out.get("output0").readFloats()).containsExactly(4, 6);
            assertThat(backend.loadedModelCount()).isZero();
            // Had unload run during the execution, the backend would have recorded it (ContractCheck).
        } finally {
            pool.shutdownNow();
            in.close();
            out.close();
        }
    }

    @Test
    void everyCallAfterCloseIsIllegalState() {
        Model m = load("add f32 4");
        TensorSet in = m.allocateInputs();
        TensorSet out = m.allocateOutputs();
        m.close();
        m.close();

        assertThat(m.isOpen()).isFalse();
        assertThat(m.toString()).endsWith("[closed]");
        assertThat(m.signature().inputs()).hasSize(2);
        assertThatThrownBy(() -> m.execute(in, out)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(m::allocateInputs).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(m::allocateOutputs).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> m.run(
                        Map.of("input0", HostTensor.of(new float[4], 4), "input1", HostTensor.of(new float[4], 4))))
                .isInstanceOf(IllegalStateException.class);
        assertThat(in.get("input0").isOpen())
                .as("closing a model leaves the caller's sets alone")
                .isTrue();
        in.close();
        out.close();
    }

    @Test
    void loadRejectsAMissingCoreAndPassesOnTheBackendsComplaint() throws Exception {
        Path good = program(tmp, "good.hlo.txt", "add f32 4");
        assertThatThrownBy(() -> rt.load(ModelSource.of(good), LoadOptions.onCore(2)))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                .hasMessageContaining("core 2");
        Path corrupt = program(tmp, "bad.hlo.txt", "multiply f32 4");
        assertThatThrownBy(() -> rt.load(corrupt))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                .hasMessageContaining("not a test program");
        Path neff = java.nio.file.Files.write(tmp.resolve("m.neff"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> rt.load(neff))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                .hasMessageContaining("NEFF");
        assertThat(rt.openResources()).isEmpty();
    }
}
