package dev.nrt4j.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.DType;
import dev.nrt4j.HostTensor;
import dev.nrt4j.LoadOptions;
import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.Shape;
import dev.nrt4j.Status;
import dev.nrt4j.Tensor;
import dev.nrt4j.TensorInfo;
import dev.nrt4j.hlo.proto.HloProtoWriter;
import dev.nrt4j.hlo.text.HloTextParser;
import dev.nrt4j.neff.NeffBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/** Models on the reference device: loading each kind of source, signatures, execution, limits. */
@Isolated("claims simulated cores, which are shared by every runtime of the JVM")
class ReferenceModelTest {
    private static final String SWAP = String.join(
            "\n",
            "HloModule swap",
            "ENTRY e {",
            "  a = f32[2] parameter(0)",
            "  b = s32[3] parameter(1)",
            "  inner = (f32[2]) tuple(a)",
            "  ROOT t = (s32[3], (f32[2]), f32[2]) tuple(b, inner, a)",
            "}");

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void signatureNamesInputsByParameterAndOutputsByFlattenedLeaf() throws Exception {
        try (NeuronRuntime rt =
                        NeuronRuntime.open(ReferenceRuntimeTest.options().build());
                Model m = rt.load(ModelSource.of(write("swap.hlo.txt", SWAP)))) {
            assertThat(m.signature().inputs())
                    .containsExactly(
                            new TensorInfo("input0", DType.FLOAT32, Shape.of(2)),
                            new TensorInfo("input1", DType.INT32, Shape.of(3)));
            assertThat(m.signature().outputs())
                    .containsExactly(
                            new TensorInfo("output0", DType.INT32, Shape.of(3)),
                            new TensorInfo("output1", DType.FLOAT32, Shape.of(2)),
                            new TensorInfo("output2", DType.FLOAT32, Shape.of(2)));

            Map<String, HostTensor> out = m.run(Map.of(
                    "input0", HostTensor.of(new float[] {1.5f, -2f}), "input1", HostTensor.of(new int[] {7, 8, 9})));
            assertThat(out.get("output0").toIntArray()).containsExactly(7, 8, 9);
            assertThat(out.get("output1").toFloatArray()).containsExactly(1.5f, -2f);
            assertThat(out.get("output2").toFloatArray()).containsExactly(1.5f, -2f);
        }
    }

    @Test
    void executesThroughTensorSetsOnTheModelsCore() throws Exception {
        try (NeuronRuntime rt =
                        NeuronRuntime.open(ReferenceRuntimeTest.options().build());
                Model m = rt.load(ModelSource.of(write("swap.hlo.txt", SWAP)), LoadOptions.onCore(1))) {
            assertThat(m.core()).isEqualTo(1);
            try (var in = m.allocateInputs();
                    var out = m.allocateOutputs()) {
                assertThat(in.get("input0").core()).isEqualTo(1);
                in.get("input0").write(new float[] {3f, 4f});
                in.get("input1").write(new int[] {1, 2, 3});
                m.execute(in, out);
                assertThat(out.get("output0").readInts()).containsExactly(1, 2, 3);
                assertThat(out.get("output2").readFloats()).containsExactly(3f, 4f);
            }
        }
    }

    @Test
    void malformedHloIsInvalidWithTheReadersMessage() throws Exception {
        Path bad = write("bad.hlo.txt", "HloModule m\nENTRY e {\n  ROOT x = f32[2] add(y, y)\n}\n");
        try (NeuronRuntime rt =
                NeuronRuntime.open(ReferenceRuntimeTest.options().build())) {
            assertThatThrownBy(() -> rt.load(ModelSource.of(bad)))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                    .hasMessageContaining("y");
            assertThat(rt.openResources()).isEmpty();
        }
    }

    @Test
    void operationsTheInterpreterLacksAreNamedAtLoad() throws Exception {
        Path hlo = write(
                "infeed.hlo.txt",
                String.join(
                        "\n",
                        "HloModule m",
                        "ENTRY e {",
                        "  tok = token[] after-all()",
                        "  ROOT r = ((f32[2]), token[]) infeed(tok)",
                        "}"));
        try (NeuronRuntime rt =
                NeuronRuntime.open(ReferenceRuntimeTest.options().build())) {
            assertThatThrownBy(() -> rt.load(ModelSource.of(hlo)))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                    .hasMessageContaining("does not implement")
                    .hasMessageContaining("infeed");
        }
    }

    @Test
    void constantsCountAgainstTheCoresHbm() throws Exception {
        Path hlo = write(
                "const.hlo.txt",
                String.join("\n", "HloModule c", "ENTRY e {", "  ROOT k = f32[4] constant({1, 2, 3, 4})", "}"));
        long stack = 16L << 30;
        try (NeuronRuntime rt =
                        NeuronRuntime.open(ReferenceRuntimeTest.options().build());
                Tensor filler = rt.allocate("filler", stack - 8, 0)) {
            assertThatThrownBy(() -> rt.load(ModelSource.of(hlo), LoadOptions.onCore(0)))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.RESOURCE));
            try (Model m = rt.load(ModelSource.of(hlo), LoadOptions.onCore(1))) {
                assertThat(m.run(Map.of()).get("output0").toFloatArray()).containsExactly(1, 2, 3, 4);
            }
            filler.close();
            try (Model m = rt.load(ModelSource.of(hlo), LoadOptions.onCore(0))) {
                assertThat(m.core()).isZero();
            }
        }
    }

    @Test
    void aCompileCacheEntryNeedsItsHlo() throws Exception {
        Path entry = Files.createDirectory(dir.resolve("MODULE_123+abc"));
        Files.write(entry.resolve("model.neff"), new byte[2048]);
        try (NeuronRuntime rt =
                NeuronRuntime.open(ReferenceRuntimeTest.options().build())) {
            assertThatThrownBy(() -> rt.load(ModelSource.of(entry)))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                    .hasMessageContaining("model.hlo_module.pb")
                    .hasMessageContaining("only a compiled NEFF");
        }
    }

    private static final String ADD_2X3 = String.join(
            "\n",
            "HloModule add",
            "ENTRY e {",
            "  a = f32[2,3] parameter(0)",
            "  b = f32[2,3] parameter(1)",
            "  ROOT s = f32[2,3] add(a, b)",
            "}");

    private static void runsTheAddition(Model m) {
        Map<String, HostTensor> out = m.run(Map.of(
                "input0", HostTensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3),
                "input1", HostTensor.of(new float[] {10, 20, 30, 40, 50, 60}, 2, 3)));
        assertThat(out.get("output0").toFloatArray()).containsExactly(11, 22, 33, 44, 55, 66);
    }

    @Test
    void aCompileCacheEntryOfAnOlderCompilerRunsItsModelHloPb() throws Exception {
        Path entry = Files.createDirectories(dir.resolve("neuronxcc-2.5.0/MODULE_42+abc"));
        Files.write(entry.resolve("model.hlo.pb"), HloProtoWriter.write(HloTextParser.parse(ADD_2X3, "add")));
        try (NeuronRuntime rt =
                        NeuronRuntime.open(ReferenceRuntimeTest.options().build());
                Model m = rt.load(ModelSource.of(entry))) {
            runsTheAddition(m);
        }
    }

    @Test
    void aModelHeldInMemoryRunsAsItsFileWould() throws Exception {
        byte[] proto = HloProtoWriter.write(HloTextParser.parse(ADD_2X3, "add"));
        try (NeuronRuntime rt =
                        NeuronRuntime.open(ReferenceRuntimeTest.options().build());
                Model fromProto = rt.load(ModelSource.of(proto, ModelSource.Kind.HLO_PROTO));
                Model fromText = rt.load(ModelSource.of(
                        ADD_2X3.getBytes(java.nio.charset.StandardCharsets.UTF_8), ModelSource.Kind.HLO_TEXT))) {
            runsTheAddition(fromProto);
            runsTheAddition(fromText);
            assertThat(fromProto.name()).startsWith("<in-memory HLO_PROTO");
        }
    }

    @Test
    void moreReplicasThanCoresIsLoadNotEnoughNc() throws Exception {
        Path hlo = write(
                "r4.hlo.txt",
                String.join("\n", "HloModule r4, replica_count=4", "ENTRY e {", "  ROOT a = f32[2] parameter(0)", "}"));
        try (NeuronRuntime rt =
                NeuronRuntime.open(ReferenceRuntimeTest.options().build())) {
            assertThatThrownBy(() -> rt.load(ModelSource.of(hlo)))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.LOAD_NOT_ENOUGH_NC))
                    .hasMessageContaining("4 replicas");
            assertThat(rt.openResources()).isEmpty();
        }
    }

    @Test
    void aBareNeffLoadsWithItsSignatureButExecutingSaysItNeedsTheHlo() throws Exception {
        Path neff = Files.write(dir.resolve("m.neff"), NeffBuilder.minimal().build());
        try (NeuronRuntime rt =
                        NeuronRuntime.open(ReferenceRuntimeTest.options().build());
                Model m = rt.load(ModelSource.of(neff))) {
            assertThat(m.signature().inputs()).containsExactly(new TensorInfo("input0", DType.FLOAT32, Shape.of(1)));
            assertThat(m.signature().outputs())
                    .containsExactly(new TensorInfo("output0", DType.FLOAT32, Shape.of(5, 10)));
            try (var in = m.allocateInputs();
                    var out = m.allocateOutputs()) {
                assertThatThrownBy(() -> m.execute(in, out))
                        .isInstanceOfSatisfying(
                                NeuronException.class,
                                e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                        .hasMessageContaining("executes HLO")
                        .hasMessageContaining("no HLO beside it");
            }
        }
    }

    @Test
    void aCompileCacheEntryRunsItsHloAndMustAgreeWithItsNeff() throws Exception {
        Path corpusCase = dev.nrt4j.testsupport.Needs.sharedCorpus("jax", "add_f32");
        Path entry = Files.createDirectory(dir.resolve("MODULE_1+2"));
        Files.copy(corpusCase.resolve("model.hlo_module.pb"), entry.resolve("model.hlo_module.pb"));
        NeffBuilder agreeing = new NeffBuilder()
                .file(
                        "neff.json",
                        NeffBuilder.neffJson(
                                new String[] {"input0", "input1", "output0"},
                                new String[] {"[2, 3]", "[2, 3]", "[2, 3]"},
                                new String[] {"float32", "float32", "float32"}))
                .file(
                        "kelf-0.json",
                        "{\"graphs\":[{\"definition\":\"sg00/def.json\",\"name\":\"sg00\"}],\"version\":\"0.5\",\"target\":\"*\"}")
                .directory("sg00/")
                .file(
                        "sg00/def.json",
                        NeffBuilder.defJson(
                                "input0", "input", 0, 24, "input1", "input", 1, 24, "output0", "output", 2, 24));
        Files.write(entry.resolve("model.neff"), agreeing.build());
        try (NeuronRuntime rt =
                NeuronRuntime.open(ReferenceRuntimeTest.options().build())) {
            try (Model m = rt.load(ModelSource.of(entry))) {
                Map<String, HostTensor> out = m.run(Map.of(
                        "input0", HostTensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3),
                        "input1", HostTensor.of(new float[] {10, 20, 30, 40, 50, 60}, 2, 3)));
                assertThat(out.get("output0").toFloatArray()).containsExactly(11, 22, 33, 44, 55, 66);
            }
            Files.write(entry.resolve("model.neff"), NeffBuilder.minimal().build());
            assertThatThrownBy(() -> rt.load(ModelSource.of(entry)))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                    .hasMessageContaining("does not match");
            assertThat(rt.openResources()).isEmpty();
        }
    }

    /** A two-rank all-reduce of f32[3]; other tests of this package use it too. */
    static final String ALL_REDUCE_2 = String.join(
            "\n",
            "HloModule ar, replica_count=2",
            "add {",
            "  a = f32[] parameter(0)",
            "  b = f32[] parameter(1)",
            "  ROOT s = f32[] add(a, b)",
            "}",
            "ENTRY e {",
            "  x = f32[3] parameter(0)",
            "  ROOT r = f32[3] all-reduce(x), replica_groups={}, to_apply=add",
            "}");

    @Test
    void aMultiReplicaProgramLoadsOncePerRankAndItsRanksExchangeData() throws Exception {
        Path hlo = write("ar.hlo.txt", ALL_REDUCE_2);
        try (NeuronRuntime rt =
                NeuronRuntime.open(ReferenceRuntimeTest.options().build())) {
            assertThatThrownBy(() -> rt.load(ModelSource.of(hlo), LoadOptions.onCore(0)))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                    .hasMessageContaining("asRank(r, 2)");
            try (Model r0 = rt.load(ModelSource.of(hlo), LoadOptions.onCore(0).asRank(0, 2));
                    Model r1 =
                            rt.load(ModelSource.of(hlo), LoadOptions.onCore(1).asRank(1, 2))) {
                var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
                try {
                    var f0 = pool.submit(() -> r0.run(Map.of("input0", HostTensor.of(new float[] {1, 2, 3}))));
                    var f1 = pool.submit(() -> r1.run(Map.of("input0", HostTensor.of(new float[] {10, 20, 30}))));
                    assertThat(f0.get().get("output0").toFloatArray()).containsExactly(11, 22, 33);
                    assertThat(f1.get().get("output0").toFloatArray()).containsExactly(11, 22, 33);
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    @Test
    void aRankWhoseOthersNeverArriveFailsInsteadOfHanging() throws Exception {
        Path hlo = write("ar.hlo.txt", ALL_REDUCE_2);
        try (NeuronRuntime rt = NeuronRuntime.open(ReferenceRuntimeTest.options()
                        .execTimeout(Duration.ofMillis(300))
                        .build());
                Model r0 = rt.load(ModelSource.of(hlo), LoadOptions.onCore(0).asRank(0, 2));
                Model r1 = rt.load(ModelSource.of(hlo), LoadOptions.onCore(1).asRank(1, 2))) {
            assertThatThrownBy(() -> r0.run(Map.of("input0", HostTensor.of(new float[] {1, 2, 3}))))
                    .isInstanceOfSatisfying(
                            NeuronException.class,
                            e -> assertThat(e.status()).isIn(Status.TIMEOUT, Status.EXEC_HW_ERR_COLLECTIVES));
            assertThat(r1.isOpen()).isTrue();
        }
    }

    @Test
    void aProgramWithAValueOfTwoGibibytesIsRefusedAtLoadWithResource() throws Exception {
        // 600 million f32 = 2.4 GB: a device tensor of it is sparse, but the interpreter would need one 2.4 GB array,
        // so the program is refused before anyone allocates and fills tensors for it.
        String identity = "HloModule big\nENTRY e {\n  ROOT x = f32[600000000] parameter(0)\n}\n";
        String output =
                "HloModule big\nENTRY e {\n  p = f32[] parameter(0)\n  ROOT b = f32[600000000] broadcast(p), dimensions={}\n}\n";
        try (NeuronRuntime rt =
                NeuronRuntime.open(ReferenceRuntimeTest.options().build())) {
            assertThatThrownBy(() -> rt.load(ModelSource.of(write("big.hlo.txt", identity))))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.RESOURCE))
                    .hasMessageContaining("input input0 (f32[600000000]) is 2400000000 bytes")
                    .hasMessageContaining("at most 2147483639 bytes in one value");
            assertThatThrownBy(() -> rt.load(ModelSource.of(write("bigout.hlo.txt", output))))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.RESOURCE))
                    .hasMessageContaining("output output0");
        }
    }
}
