package dev.nrt4j.reference.sysfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.LoadOptions;
import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Tensor;
import dev.nrt4j.device.InstanceCatalog;
import dev.nrt4j.device.driver.DriverSysfs;
import dev.nrt4j.device.driver.SystemRoot;
import dev.nrt4j.hlo.DotFlops;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.text.HloTextParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a running reference runtime publishes besides the driver counters: its runtime record (models,
 * memory, executions), host memory, and counters that restart from 0 when written, as the driver's do.
 */
@Isolated("claims simulated cores, which are shared by every runtime of the JVM")
class RuntimeRecordTest {
    private static final String TUPLE =
            "HloModule m\nENTRY e {\n  a = f32[2] parameter(0)\n  ROOT t = (f32[2]) tuple(a)\n}\n";

    @TempDir
    Path state;

    private RuntimeOptions options() {
        return RuntimeOptions.builder(Map.of(), new Properties())
                .backend("reference")
                .stateDir(state)
                .instanceType("inf2.xlarge")
                .build();
    }

    private SystemRoot machine() {
        return SysfsTree.systemRoot(state, InstanceCatalog.byName("inf2.xlarge"));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private List<Path> records() throws Exception {
        Path dir = machine().records().orElseThrow();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).toList();
        }
    }

    @Test
    void theRecordShowsModelsMemoryAndExecutionsAndGoesAwayOnClose() throws Exception {
        Path hlo = Files.writeString(state.resolve("tuple.hlo.txt"), TUPLE);
        DriverSysfs sysfs = new DriverSysfs(machine());
        try (NeuronRuntime rt = NeuronRuntime.open(options());
                Tensor host = rt.allocateHost("staging", 1000);
                Tensor device = rt.allocate("weights", 4096, 1);
                Model m = rt.load(ModelSource.of(hlo), LoadOptions.onCore(1));
                var in = m.allocateInputs();
                var out = m.allocateOutputs()) {
            m.execute(in, out);
            m.execute(in, out);
            await("the record is written", () -> {
                try {
                    return records().size() == 1
                            && read(records().get(0))
                                            .path("executions")
                                            .path("SUCCESS")
                                            .asLong()
                                    == 2;
                } catch (Exception e) {
                    return false;
                }
            });
            JsonNode r = read(records().get(0));
            assertThat(r.path("format").asString()).isEqualTo(RuntimeRecord.FORMAT);
            assertThat(r.path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
            assertThat(r.path("instance_type").asString()).isEqualTo("inf2.xlarge");
            assertThat(r.path("cores").size()).isEqualTo(2);
            assertThat(r.path("models").size()).isEqualTo(1);
            assertThat(r.path("models").get(0).path("model_id").asInt()).isEqualTo(10001);
            assertThat(r.path("models").get(0).path("core").asInt()).isEqualTo(1);
            // The model's tensors (8 bytes each of input and output) and "weights" are on core 1.
            assertThat(r.path("device_memory").path("1").path("tensors").asLong())
                    .isEqualTo(4096 + 16);
            assertThat(r.path("host_memory").path("tensors").asLong()).isEqualTo(1000);
            assertThat(r.path("latencies").size()).isEqualTo(2);
            await(
                    "host memory shows in sysfs",
                    () -> sysfs.hostMemory(0).get("tensors").total() == 1000
                            && sysfs.counters(0, 0).hostMemory().total() == 1000);
        }
        assertThat(records()).isEmpty();
        assertThat(sysfs.hostMemory(0).get("tensors").total()).isZero();
        assertThat(sysfs.hostMemory(0).get("tensors").peak()).isEqualTo(1000);
    }

    @Test
    void writingToACounterFileResetsThatFieldAndCountingGoesOnFromZero() throws Exception {
        Path hlo = Files.writeString(state.resolve("tuple.hlo.txt"), TUPLE);
        DriverSysfs sysfs = new DriverSysfs(machine());
        SysfsTree tree = SysfsTree.ensure(state, InstanceCatalog.byName("inf2.xlarge"));
        try (NeuronRuntime rt = NeuronRuntime.open(options());
                Model m = rt.load(ModelSource.of(hlo), LoadOptions.onCore(0));
                var in = m.allocateInputs();
                var out = m.allocateOutputs()) {
            for (int i = 0; i < 3; i++) {
                m.execute(in, out);
            }
            await("three executions", () -> sysfs.counters(0, 0).otherInfo("inference_count") == 3);
            // The driver ignores what is written; any write zeroes the field.
            Files.writeString(tree.otherInfo(0, 0, "inference_count").resolve("total"), "0\n");
            Files.writeString(tree.status(0, 0, "success").resolve("total"), "reset\n");
            Files.writeString(tree.deviceMem(0, 0).resolve("tensors/peak"), "0\n");
            m.execute(in, out);
            m.execute(in, out);
            try (Tensor t = rt.allocate("more", 100, 0)) {
                await(
                        "counting from zero",
                        () -> sysfs.counters(0, 0).otherInfo("inference_count") == 2
                                && sysfs.counters(0, 0).status("success") == 2
                                && sysfs.counters(0, 0)
                                                .deviceMemoryByCategory()
                                                .get("tensors")
                                                .total()
                                        == 116);
                // The peak was reset to 0 with 16 bytes in use, then rose to 116.
                assertThat(sysfs.counters(0, 0)
                                .deviceMemoryByCategory()
                                .get("tensors")
                                .peak())
                        .isEqualTo(116);
            }
        }
    }

    @Test
    void everyExecutedDotAddsItsFlopsToTheCoresCounterAndToTheRecord() throws Exception {
        // A dot in a loop body that runs three times, and one outside: the count is of dots executed, not written.
        String text = "HloModule m\n"
                + "cond {\n  s = (s32[], f32[4,8]) parameter(0)\n  i = s32[] get-tuple-element(s), index=0\n"
                + "  n = s32[] constant(3)\n  ROOT lt = pred[] compare(i, n), direction=LT\n}\n"
                + "body {\n  s = (s32[], f32[4,8]) parameter(0)\n  i = s32[] get-tuple-element(s), index=0\n"
                + "  x = f32[4,8] get-tuple-element(s), index=1\n  c = f32[] constant(0.5)\n"
                + "  w = f32[8,8] broadcast(c), dimensions={}\n"
                + "  y = f32[4,8] dot(x, w), lhs_contracting_dims={1}, rhs_contracting_dims={0}\n"
                + "  one = s32[] constant(1)\n  j = s32[] add(i, one)\n  ROOT t = (s32[], f32[4,8]) tuple(j, y)\n}\n"
                + "ENTRY e {\n  a = f32[4,8] parameter(0)\n  b = f32[8,3] parameter(1)\n"
                + "  zero = s32[] constant(0)\n  s = (s32[], f32[4,8]) tuple(zero, a)\n"
                + "  l = (s32[], f32[4,8]) while(s), condition=cond, body=body\n"
                + "  x = f32[4,8] get-tuple-element(l), index=1\n"
                + "  ROOT d = f32[4,3] dot(x, b), lhs_contracting_dims={1}, rhs_contracting_dims={0}\n}\n";
        HloModule module = HloTextParser.parse(text, "loop");
        long outer = 2L * 4 * 3 * 8;
        long inner = 2L * 4 * 8 * 8;
        assertThat(DotFlops.of(module)).as("each dot written once").isEqualTo(outer + inner);
        long perExecution = outer + 3 * inner;
        Path hlo = Files.writeString(state.resolve("loop.hlo.txt"), text);
        DriverSysfs sysfs = new DriverSysfs(machine());
        try (NeuronRuntime rt = NeuronRuntime.open(options());
                Model m = rt.load(ModelSource.of(hlo), LoadOptions.onCore(1));
                var in = m.allocateInputs();
                var out = m.allocateOutputs()) {
            m.execute(in, out);
            await("one execution's FLOPs in the record", () -> recordFlops("1") == perExecution);
            m.execute(in, out);
            await("two executions' FLOPs in the record", () -> recordFlops("1") == 2 * perExecution);
            await(
                    "and in the driver's flop_count",
                    () -> sysfs.counters(0, 1).otherInfo("flop_count") == 2 * perExecution);
            assertThat(recordFlops("0")).as("core 0 ran nothing").isZero();
            assertThat(sysfs.counters(0, 0).otherInfo("flop_count")).isZero();
        }
    }

    /** The record's FLOP count of core {@code core}, or -1 while there is no record. */
    private long recordFlops(String core) {
        try {
            List<Path> r = records();
            return r.size() == 1 ? read(r.get(0)).path("flops").path(core).asLong(0) : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private static JsonNode read(Path p) throws Exception {
        return JsonMapper.builder().build().readTree(Files.readString(p));
    }
}
