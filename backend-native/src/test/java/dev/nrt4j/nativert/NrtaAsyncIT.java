package dev.nrt4j.nativert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.LoadOptions;
import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import dev.nrt4j.TensorPlacement;
import dev.nrt4j.TensorSet;
import dev.nrt4j.nativert.binding.Bindings;
import dev.nrt4j.nativert.binding.FfmBinding;
import dev.nrt4j.nativert.binding.LibNrt;
import dev.nrt4j.spi.TensorHandle;
import dev.nrt4j.testsupport.Needs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code executeAsync} on the native backend through libnrt's explicit async API ({@code nrta_*} v3),
 * against the double, with each binding this JVM has (FFM on 22+, JNA everywhere): the path chosen by
 * the runtime's version and exports, proven by the double's own count of scheduled requests; completion
 * by eventfd or by polling; the per-core executor on a runtime before v3, which never calls an nrta
 * function (the double counts such a call as misuse); a full queue retried; failures written into
 * {@code exec_ret}; and a close that waits for scheduled requests.
 */
class NrtaAsyncIT {
    private static final long WAIT_SECONDS = 30;

    @TempDir
    Path dir;

    @AfterEach
    void nothingLeaksAndNoMisuse() {
        LibnrtDouble.setenv(LibnrtDouble.RT_VERSION, null);
        LibnrtDouble.setenv(LibnrtDouble.NRTA_QUEUE_DEPTH, null);
        System.clearProperty(Bindings.PROPERTY);
        LibnrtDouble.assertNothingLeaked();
    }

    /** Forces {@code binding} for the runtimes the test opens; FFM only where this JVM has it. */
    private static void use(String binding) {
        if (binding.equals("ffm")) {
            Needs.optional(FfmBinding.isSupported(), "FFM is not supported in this JVM: " + FfmBinding.detail());
        }
        LibnrtDouble.use();
        System.setProperty(Bindings.PROPERTY, binding);
    }

    private static ByteBuffer floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.flip();
    }

    private static float[] read(TensorHandle t) {
        ByteBuffer b = ByteBuffer.allocate((int) t.size()).order(ByteOrder.LITTLE_ENDIAN);
        t.read(0, b);
        b.flip();
        float[] out = new float[b.remaining() / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getFloat();
        }
        return out;
    }

    /** How {@code future} failed; fails the test when it completed normally or not in time. */
    private static NeuronException failure(CompletableFuture<?> future) throws Exception {
        try {
            future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(NeuronException.class);
            return (NeuronException) e.getCause();
        }
        throw new AssertionError("the request completed normally");
    }

    /** {@code n} copy requests queued at once through the public API; each must write its own outputs. */
    private void copiesThroughTheApi(NeuronRuntime rt, int n) throws Exception {
        List<TensorSet> sets = new ArrayList<>();
        try (Model m = rt.load(TestNeffs.write(dir, "copy.neff", TestNeffs.copy(4)))) {
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                TensorSet in = m.allocateInputs();
                TensorSet out = m.allocateOutputs();
                sets.add(in);
                sets.add(out);
                in.get("input0").write(new float[] {i, i + 0.25f, -i, 7});
                futures.add(m.executeAsync(in, out));
            }
            for (int i = 0; i < n; i++) {
                futures.get(i).get(WAIT_SECONDS, TimeUnit.SECONDS);
                assertThat(sets.get(2 * i + 1).get("output0").readFloats())
                        .as("request %d", i)
                        .containsExactly(i, i + 0.25f, -i, 7);
            }
        } finally {
            sets.forEach(TensorSet::close);
        }
    }

    /**
     * Opens a runtime on the double posing as {@code version} (null: its default) with {@code binding},
     * checks the path its detail line names, runs 8 copies through {@code executeAsync}, and returns how
     * many requests the double's {@code nrta_execute_schedule} took meanwhile. A call of an nrta function
     * the posed runtime lacks fails the test as misuse (after each test).
     */
    private int scheduledOnPath(String binding, String version, String path) throws Exception {
        use(binding);
        LibnrtDouble.setenv(LibnrtDouble.RT_VERSION, version);
        int before = LibnrtDouble.nrtaScheduled();
        try (NeuronRuntime rt = LibnrtDouble.open()) {
            assertThat(rt.backend().detail()).contains("through " + binding).contains(path);
            copiesThroughTheApi(rt, 8);
        }
        return LibnrtDouble.nrtaScheduled() - before;
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffm", "jna"})
    void aV3RuntimeSchedulesEveryRequestThroughNrtaAndHearsCompletionsByEventfd(String binding) throws Exception {
        assertThat(scheduledOnPath(binding, null, "async through libnrt nrta (v3), completions by eventfd"))
                .as("requests nrta_execute_schedule took")
                .isEqualTo(8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffm", "jna"})
    void aRuntimeBeforeCompletionEventsIsPolledAndNeverAskedToRegisterOne(String binding) throws Exception {
        // 2.31.24 has the v3 API but not nrta_event_register_seq_id_completion, which the double then refuses.
        assertThat(scheduledOnPath(
                        binding,
                        "2.31.24.0",
                        "async through libnrt nrta (v3), completions polled (runtime 2.31.24.0 predates 2.32.31)"))
                .isEqualTo(8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffm", "jna"})
    void aRuntimeBeforeV3UsesThePerCoreExecutorAndNeverCallsTheV2Functions(String binding) throws Exception {
        // SDK 2.28's runtime: it exports nrta_* names, with the incompatible v2 signatures.
        assertThat(scheduledOnPath(
                        binding,
                        "2.30.50.0",
                        "async on a per-core executor (runtime 2.30.50.0 predates the v3 nrta API of 2.31.24)"))
                .isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffm", "jna"})
    void aFullQueueIsRetriedAfterACompletion(String binding) throws Exception {
        use(binding);
        LibnrtDouble.setenv(LibnrtDouble.NRTA_QUEUE_DEPTH, "1");
        int scheduled = LibnrtDouble.nrtaScheduled();
        int full = LibnrtDouble.nrtaQueueFull();
        NativeRuntime rt = (NativeRuntime)
                new NativeBackendProvider().open(RuntimeOptions.builder().build());
        List<TensorHandle> tensors = new ArrayList<>();
        NativeModel m = null;
        try {
            m = (NativeModel) rt.load(
                    ModelSource.of(TestNeffs.write(dir, "copy.neff", TestNeffs.copy(2))), LoadOptions.onCore(0));
            // Through the backend, not the API layer (which keeps one request per core in flight): every
            // submit after the first finds the one-deep queue busy unless the previous one already ended.
            int n = 16;
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                TensorHandle in = rt.allocate(TensorPlacement.DEVICE, 0, 8, "in" + i);
                TensorHandle out = rt.allocate(TensorPlacement.DEVICE, 0, 8, "out" + i);
                tensors.add(in);
                tensors.add(out);
                in.write(0, floats(i, -i));
                futures.add(
                        m.submit(Map.of("input0", in), Map.of("output0", out)).toCompletableFuture());
            }
            for (int i = 0; i < n; i++) {
                futures.get(i).get(WAIT_SECONDS, TimeUnit.SECONDS);
                assertThat(read(tensors.get(2 * i + 1))).as("request %d", i).containsExactly(i, -i);
            }
        } finally {
            tensors.forEach(TensorHandle::free);
            if (m != null) {
                m.unload();
            }
            rt.close();
        }
        assertThat(LibnrtDouble.nrtaScheduled() - scheduled).isEqualTo(16);
        assertThat(LibnrtDouble.nrtaQueueFull() - full)
                .as("NRT_QUEUE_FULL answers, each retried")
                .isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffm", "jna"})
    void aStatusWrittenIntoExecRetAtCompletionFailsTheFuture(String binding) throws Exception {
        use(binding);
        int before = LibnrtDouble.nrtaScheduled();
        try (NeuronRuntime rt = LibnrtDouble.open(RuntimeOptions.builder().execTimeout(Duration.ofSeconds(1)));
                Model forever = rt.load(TestNeffs.write(dir, "forever.neff", TestNeffs.loopForever()));
                TensorSet in = forever.allocateInputs();
                TensorSet out = forever.allocateOutputs()) {
            NeuronException e = failure(forever.executeAsync(in, out));
            assertThat(e.status()).isEqualTo(Status.TIMEOUT);
            assertThat(e.getMessage()).startsWith("nrta_execute_schedule failed [TIMEOUT]");
        }
        assertThat(LibnrtDouble.nrtaScheduled() - before).isEqualTo(1);

        // A name or size the model does not take: the double says so when the request starts, in exec_ret,
        // and the backend explains it from the signature as it does for nrt_execute.
        NativeRuntime rt = (NativeRuntime)
                new NativeBackendProvider().open(RuntimeOptions.builder().build());
        try {
            NativeModel m = (NativeModel) rt.load(
                    ModelSource.of(TestNeffs.write(dir, "copy.neff", TestNeffs.copy(2))), LoadOptions.onCore(0));
            TensorHandle good = rt.allocate(TensorPlacement.DEVICE, 0, 8, "in");
            TensorHandle small = rt.allocate(TensorPlacement.DEVICE, 0, 4, "out");
            try {
                NeuronException e = failure(m.submit(Map.of("input0", good), Map.of("output0", small))
                        .toCompletableFuture());
                assertThat(e.status()).isEqualTo(Status.INVALID);
                assertThat(e.getMessage()).contains("output output0 is 4 bytes, the model's 8");
            } finally {
                good.free();
                small.free();
                m.unload();
            }
        } finally {
            rt.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffm", "jna"})
    void theBindingReadsCompletedSequencesAndRefusesOneLibnrtNeverGave(String binding) throws Exception {
        use(binding);
        NativeRuntime rt = (NativeRuntime)
                new NativeBackendProvider().open(RuntimeOptions.builder().build());
        try {
            LibNrt lib = rt.lib();
            long mask = (1L << 48) - 1;
            long before = lib.nrtaGetSequence(2, LibNrt.NRTA_XU_COMPUTE, 0);
            NativeModel m = (NativeModel) rt.load(
                    ModelSource.of(TestNeffs.write(dir, "copy.neff", TestNeffs.copy(2))), LoadOptions.onCore(2));
            TensorHandle in = rt.allocate(TensorPlacement.DEVICE, 2, 8, "in");
            TensorHandle out = rt.allocate(TensorPlacement.DEVICE, 2, 8, "out");
            try {
                for (int i = 0; i < 3; i++) {
                    m.submit(Map.of("input0", in), Map.of("output0", out))
                            .toCompletableFuture()
                            .get(WAIT_SECONDS, TimeUnit.SECONDS);
                }
            } finally {
                in.free();
                out.free();
                m.unload();
            }
            long after = lib.nrtaGetSequence(2, LibNrt.NRTA_XU_COMPUTE, 0);
            assertThat(after >>> 48)
                    .as("the execution unit of core 2's COMPUTE queue")
                    .isEqualTo(before >>> 48);
            assertThat((after & mask) - (before & mask))
                    .as("requests completed on it")
                    .isEqualTo(3);
            assertThat(lib.nrtaIsCompleted(after)).isTrue();
            assertThatThrownBy(() -> lib.nrtaIsCompleted(after + 1))
                    .as("a sequence not handed out yet")
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID));
            assertThatThrownBy(() -> lib.nrtaIsCompleted(0))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID));
        } finally {
            rt.close();
        }
    }

    @Test
    void closingTheAsyncPathWaitsForScheduledRequestsThenRefusesNewOnes() throws Exception {
        LibnrtDouble.use();
        NativeRuntime rt = (NativeRuntime) new NativeBackendProvider()
                .open(RuntimeOptions.builder()
                        .execTimeout(Duration.ofSeconds(1))
                        .build());
        try {
            NativeModel m = (NativeModel) rt.load(
                    ModelSource.of(TestNeffs.write(dir, "forever.neff", TestNeffs.loopForever())),
                    LoadOptions.onCore(0));
            TensorHandle in = rt.allocate(TensorPlacement.DEVICE, 0, 4, "in");
            TensorHandle out = rt.allocate(TensorPlacement.DEVICE, 0, 4, "out");
            try {
                CompletableFuture<Void> running =
                        m.submit(Map.of("input0", in), Map.of("output0", out)).toCompletableFuture();
                NrtaExecutions nrta = rt.nrta().orElseThrow();
                nrta.close();
                // libnrt may write exec_ret and use the sets until the request completes: close waited for it.
                assertThat(running).isDone();
                assertThat(failure(running).status()).isEqualTo(Status.TIMEOUT);
                assertThatThrownBy(() -> m.submit(Map.of("input0", in), Map.of("output0", out)))
                        .isInstanceOfSatisfying(
                                NeuronException.class,
                                e -> assertThat(e.status()).isEqualTo(Status.CLOSED));
            } finally {
                in.free();
                out.free();
                m.unload();
            }
        } finally {
            rt.close();
        }
    }

    @Test
    void anInterruptedCloseAbandonsTheRequestAndKeepsWhatLibnrtStillWrites() throws Exception {
        // In a JVM of its own: the abandoned request's sets stay in the double on purpose.
        List<String> cmd = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                "-Dnrt4j.test.libnrtDouble=" + LibnrtDouble.path(),
                NrtaAbandonMain.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put(LibnrtDouble.STATE_DIR, LibnrtDouble.stateDir().toString());
        pb.environment().put("NEURON_RT_LOG_LEVEL", "QUIET");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out)
                // The close did not wait for the endless request (2 s): the interrupt made it give up.
                .containsPattern("closeMillis=[0-9]{1,3}\\n")
                .contains("interrupted=true")
                .contains("future=CLOSED")
                .contains("completedOnDevice=true")
                // nrt_close found nothing in flight; the two sets were kept, as libnrt used them to the end.
                .contains("misuse=0")
                .contains("liveSets=2");
    }
}
