package dev.nrt4j.nativert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.BFloat16;
import dev.nrt4j.DType;
import dev.nrt4j.HostTensor;
import dev.nrt4j.LoadOptions;
import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Shape;
import dev.nrt4j.Status;
import dev.nrt4j.artifacts.CompileCacheEntry;
import dev.nrt4j.conformance.contract.ContractProgram;
import dev.nrt4j.nativert.standin.ContractModules;
import dev.nrt4j.nativert.standin.StandInScript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native backend's whole path without Neuron hardware: each contract program's HloModuleProto loaded
 * through the public API, compiled by the stand-in neuronx-cc (the build product, as a user would point the
 * backend at it with {@code -Dnrt4j.neuronxCc}), run by the libnrt double, and its outputs checked against
 * what the program computes, in the arithmetic the double's program format prescribes.
 */
class StandInEndToEndIT {
    @TempDir
    Path dir;

    private final Random random = new Random(20240611);

    @BeforeEach
    void theStandInCompiles() {
        LibnrtDouble.path();
        System.setProperty(NeffCompiler.PROPERTY, StandInScript.path().toString());
    }

    @AfterEach
    void forgetTheCompiler() {
        System.clearProperty(NeffCompiler.PROPERTY);
    }

    private NeuronRuntime open(RuntimeOptions.Builder options) {
        return LibnrtDouble.open(options.stateDir(dir.resolve("state")));
    }

    private NeuronRuntime open() {
        return open(RuntimeOptions.builder());
    }

    private ModelSource module(ContractProgram p) {
        return ModelSource.of(ContractModules.write(p, dir));
    }

    private float[] floats(int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (random.nextInt(2001) - 1000) / 64f + random.nextFloat() / 1024f;
        }
        return f;
    }

    @Test
    void addAndCopy() {
        float[] a = floats(64);
        float[] b = floats(64);
        float[] sum = new float[64];
        for (int i = 0; i < 64; i++) {
            sum[i] = a[i] + b[i];
        }
        float[] c = floats(16);
        try (NeuronRuntime rt = open();
                Model add = rt.load(module(ContractProgram.ADD));
                Model copy = rt.load(module(ContractProgram.COPY))) {
            assertThat(add.run(Map.of("input0", HostTensor.of(a, 64), "input1", HostTensor.of(b, 64)))
                            .get("output0")
                            .toFloatArray())
                    .containsExactly(sum);
            assertThat(copy.run(Map.of("input0", HostTensor.of(c, 16)))
                            .get("output0")
                            .toFloatArray())
                    .containsExactly(c);
        }
        LibnrtDouble.assertNothingLeaked();
    }

    @Test
    void modelsHeldInMemoryAndOlderCacheEntriesLoadAsTheirFilesWould() throws Exception {
        float[] c = floats(16);
        byte[] module = ContractProgram.COPY.hloProto();
        Path older = java.nio.file.Files.createDirectories(dir.resolve("MODULE_7"));
        java.nio.file.Files.write(older.resolve("model.hlo.pb"), module);
        try (NeuronRuntime rt = open();
                Model fromBytes = rt.load(ModelSource.of(module, ModelSource.Kind.HLO_PROTO));
                Model fromOlderEntry = rt.load(ModelSource.of(older))) {
            assertThat(fromBytes
                            .run(Map.of("input0", HostTensor.of(c, 16)))
                            .get("output0")
                            .toFloatArray())
                    .containsExactly(c);
            assertThat(fromOlderEntry
                            .run(Map.of("input0", HostTensor.of(c, 16)))
                            .get("output0")
                            .toFloatArray())
                    .containsExactly(c);
            // The compiled NEFF, from the compile cache, loads from memory too.
            Path neff = CompileCacheEntry.list(dir.resolve("state/neuron-compile-cache"))
                    .get(0)
                    .neff()
                    .orElseThrow();
            try (Model fromNeffBytes =
                    rt.load(ModelSource.of(java.nio.file.Files.readAllBytes(neff), ModelSource.Kind.NEFF))) {
                assertThat(fromNeffBytes
                                .run(Map.of("input0", HostTensor.of(c, 16)))
                                .get("output0")
                                .toFloatArray())
                        .containsExactly(c);
            }
            assertThatThrownBy(() -> rt.load(ModelSource.of(new byte[] {1, 2}, ModelSource.Kind.HLO_PROTO)))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                    .hasMessageContaining("<in-memory HLO_PROTO, 2 bytes>");
        }
        LibnrtDouble.assertNothingLeaked();
    }

    /** [m,k]·[k,n] accumulated in f32 in ascending k from 0, multiply then add, as the format prescribes. */
    private static float[] matmul(float[] x, float[] y, int m, int k, int n) {
        float[] out = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int l = 0; l < k; l++) {
                    float product = x[i * k + l] * y[l * n + j];
                    acc = acc + product;
                }
                out[i * n + j] = acc;
            }
        }
        return out;
    }

    @Test
    void matmulInF32AndBf16() {
        float[] a = floats(8 * 16);
        float[] b = floats(16 * 4);
        float[] ha = new float[4 * 8];
        float[] hb = new float[8 * 4];
        for (int i = 0; i < ha.length; i++) {
            ha[i] = BFloat16.toFloat(BFloat16.fromFloat(floats(1)[0]));
            hb[i] = BFloat16.toFloat(BFloat16.fromFloat(floats(1)[0]));
        }
        float[] want16 = matmul(ha, hb, 4, 8, 4);
        for (int i = 0; i < want16.length; i++) {
            want16[i] = BFloat16.toFloat(BFloat16.fromFloat(want16[i]));
        }
        try (NeuronRuntime rt = open();
                Model f32 = rt.load(module(ContractProgram.MATMUL));
                Model bf16 = rt.load(module(ContractProgram.MATMUL_BF16))) {
            assertThat(f32.run(Map.of("input0", HostTensor.of(a, 8, 16), "input1", HostTensor.of(b, 16, 4)))
                            .get("output0")
                            .toFloatArray())
                    .containsExactly(matmul(a, b, 8, 16, 4));
            HostTensor out = bf16.run(Map.of(
                            "input0",
                            HostTensor.ofRounded(DType.BFLOAT16, ha, 4, 8),
                            "input1",
                            HostTensor.ofRounded(DType.BFLOAT16, hb, 8, 4)))
                    .get("output0");
            assertThat(out.dtype()).isEqualTo(DType.BFLOAT16);
            assertThat(out.toFloatArray()).containsExactly(want16);
        }
        LibnrtDouble.assertNothingLeaked();
    }

    @Test
    void twoOutputs() {
        float[] a = floats(8);
        float[] twice = new float[8];
        float[] plusOne = new float[8];
        for (int i = 0; i < 8; i++) {
            twice[i] = a[i] * 2f;
            plusOne[i] = a[i] + 1f;
        }
        try (NeuronRuntime rt = open();
                Model m = rt.load(module(ContractProgram.TWO_OUTPUTS))) {
            assertThat(m.signature().outputs()).extracting(t -> t.name()).containsExactly("output0", "output1");
            Map<String, HostTensor> out = m.run(Map.of("input0", HostTensor.of(a, 8)));
            assertThat(out.get("output0").toFloatArray()).containsExactly(twice);
            assertThat(out.get("output1").toFloatArray()).containsExactly(plusOne);
        }
        LibnrtDouble.assertNothingLeaked();
    }

    @Test
    void aLoopThatNeverEndsTimesOut() {
        try (NeuronRuntime rt = open(RuntimeOptions.builder().execTimeout(Duration.ofSeconds(1)));
                Model m = rt.load(module(ContractProgram.FOREVER))) {
            long start = System.nanoTime();
            // input0 is s32[], a scalar.
            assertThatThrownBy(() ->
                            m.run(Map.of("input0", HostTensor.of(DType.INT32, Shape.of(), new byte[] {7, 0, 0, 0}))))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.TIMEOUT));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(30));
        }
        LibnrtDouble.assertNothingLeaked();
    }

    @Test
    void anAllReduceOfTwoRanksOnCoresZeroAndOne() throws Exception {
        float[] x0 = floats(4);
        float[] x1 = floats(4);
        float[] sum = new float[4];
        for (int i = 0; i < 4; i++) {
            sum[i] = x0[i] + x1[i];
        }
        ModelSource twoRanks = module(ContractProgram.ALL_REDUCE_2);
        try (NeuronRuntime rt = open();
                Model r0 = rt.load(twoRanks, LoadOptions.onCore(0).asRank(0, 2));
                Model r1 = rt.load(twoRanks, LoadOptions.onCore(1).asRank(1, 2))) {
            // Each rank on a thread of its own: they wait for each other inside the all-reduce.
            ExecutorService ranks = Executors.newFixedThreadPool(2);
            try {
                Future<Map<String, HostTensor>> f0 = ranks.submit(() -> r0.run(Map.of("input0", HostTensor.of(x0, 4))));
                Future<Map<String, HostTensor>> f1 = ranks.submit(() -> r1.run(Map.of("input0", HostTensor.of(x1, 4))));
                assertThat(f0.get(60, TimeUnit.SECONDS).get("output0").toFloatArray())
                        .containsExactly(sum);
                assertThat(f1.get(60, TimeUnit.SECONDS).get("output0").toFloatArray())
                        .containsExactly(sum);
            } finally {
                ranks.shutdownNow();
            }
            // Compiled once for both ranks.
            assertThat(CompileCacheEntry.list(dir.resolve("state").resolve(NeffCache.DIRECTORY)))
                    .hasSize(1);
        }
        LibnrtDouble.assertNothingLeaked();
    }

    @Test
    void aSecondRuntimeLoadsTheModuleFromTheCompileCache() throws Exception {
        Path counter = dir.resolve("compilations.txt");
        Path wrapper = CompileCacheIT.writeWrapper(dir, StandInScript.path(), counter, CompileCacheIT.VERSION, 0);
        System.setProperty(NeffCompiler.PROPERTY, wrapper.toString());
        ModelSource add = module(ContractProgram.ADD);
        float[] a = floats(64);
        for (int round = 0; round < 2; round++) {
            try (NeuronRuntime rt = open();
                    Model m = rt.load(add)) {
                assertThat(m.run(Map.of("input0", HostTensor.of(a, 64), "input1", HostTensor.of(new float[64], 64)))
                                .get("output0")
                                .toFloatArray())
                        .containsExactly(a);
            }
        }
        assertThat(CompileCacheIT.compilations(counter)).isEqualTo(1);
        LibnrtDouble.assertNothingLeaked();
    }
}
