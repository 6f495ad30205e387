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

    private static JsonNode read(Path p) throws Exception {
        return JsonMapper.builder().build().readTree(Files.readString(p));
    }
}
