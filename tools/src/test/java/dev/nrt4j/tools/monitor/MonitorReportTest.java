package dev.nrt4j.tools.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nrt4j.device.InstanceCatalog;
import dev.nrt4j.device.driver.SystemRoot;
import dev.nrt4j.reference.sysfs.SysfsTree;
import dev.nrt4j.tools.machine.MachineReading;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Reports of a Trn2 machine at LNC=2 whose counters and runtime record the test moves by hand, so every
 * figure is known: the logical core's utilization (its busier physical core's) and each physical core's ("v3d"), the executions and
 * latencies added between two readings, memory by core and category.
 */
class MonitorReportTest {
    @TempDir
    Path dir;

    @Test
    void aLogicalCoreOfTwoPhysicalCoresReportsBothAndOnlyThePeriodsExecutions() throws Exception {
        SysfsTree tree = SysfsTree.ensure(dir, InstanceCatalog.byName("trn2.3xlarge"));
        SystemRoot root = tree.systemRoot();
        long pid = ProcessHandle.current().pid();
        long t0 = System.currentTimeMillis();
        writeRecord(root, pid, t0, 5, "[[" + (t0 - 5) + ", 900]]");
        MachineReading earlier = MachineReading.take(root, w -> {
            throw new AssertionError("unexpected warning: " + w);
        });

        Thread.sleep(200);
        // Logical core 1 at LNC=2 is physical cores 2 and 3 of device 0: 50 ms of work on core 2, 30 ms on 3.
        Files.writeString(tree.otherInfo(0, 2, "nc_time_in_use").resolve("total"), "50000\n");
        Files.writeString(tree.otherInfo(0, 3, "nc_time_in_use").resolve("total"), "30000\n");
        Files.writeString(tree.otherInfo(0, 2, "flop_count").resolve("total"), "1000000\n");
        long t1 = System.currentTimeMillis();
        writeRecord(
                root,
                pid,
                t1,
                8,
                "[[" + (t0 - 5) + ", 900], [" + (t1 - 3) + ", 1000], [" + (t1 - 2) + ", 3000], [" + (t1 - 1)
                        + ", 2000]]");
        MachineReading later = MachineReading.take(root, w -> {
            throw new AssertionError("unexpected warning: " + w);
        });

        JsonNode report = MonitorReport.between(earlier, later, 2);
        double period = (later.machine().takenNanos() - earlier.machine().takenNanos()) / 1e9;
        JsonNode r = report.get("neuron_runtime_data").get(0).get("report");
        JsonNode core = r.get("neuroncore_counters").get("neuroncores_in_use").get("1");
        assertThat(core.get("neuroncore_utilization").asDouble())
                .as("the busier physical core's")
                .isCloseTo(100 * 0.05 / period, within(0.01));
        assertThat(core.get("flops").asDouble()).isCloseTo(1e6 / period, within(1.0));
        assertThat(core.get("effective_flops").asDouble())
                .isEqualTo(core.get("flops").asDouble());
        assertThat(core.get("v3d").propertyNames()).containsExactly("nc_v3.2", "nc_v3.3");
        assertThat(core.get("v3d").get("nc_v3.2").get("neuroncore_utilization").asDouble())
                .isEqualTo(core.get("neuroncore_utilization").asDouble());
        assertThat(core.get("v3d").get("nc_v3.3").get("neuroncore_utilization").asDouble())
                .isCloseTo(100 * 0.03 / period, within(0.01));

        JsonNode exec = r.get("execution_stats");
        assertThat(exec.get("execution_summary").get("completed").asLong())
                .as("8 - 5")
                .isEqualTo(3);
        assertThat(exec.get("execution_summary").get("incorrect_input").asLong())
                .isEqualTo(1);
        assertThat(exec.get("error_summary").get("model").asLong()).isEqualTo(1);
        assertThat(exec.get("error_summary").get("hardware").asLong()).isZero();
        JsonNode latency = exec.get("latency_stats").get("total_latency");
        assertThat(latency.get("p0").asDouble())
                .as("the 900 us one ended before the earlier record")
                .isEqualTo(0.001);
        assertThat(latency.get("p50").asDouble()).isEqualTo(0.002);
        assertThat(latency.get("p100").asDouble()).isEqualTo(0.003);

        JsonNode memory = r.get("memory_used").get("neuron_runtime_used_bytes");
        assertThat(memory.get("neuron_device").asLong()).isEqualTo(4096 + 512);
        assertThat(memory.get("host").asLong()).isEqualTo(64);
        assertThat(memory.get("usage_breakdown")
                        .get("neuroncore_memory_usage")
                        .get("1")
                        .get("tensors")
                        .asLong())
                .isEqualTo(4096);
        assertThat(memory.get("usage_breakdown").get("host").get("dma_buffers").asLong())
                .isEqualTo(64);

        JsonNode hw = report.get("neuron_hardware_info");
        assertThat(hw.get("neuron_device_type").asString()).isEqualTo("trainium2");
        assertThat(hw.get("neuron_device_version").asString()).isEqualTo("v4");
        assertThat(hw.get("neuroncore_version").asString()).isEqualTo("v3d");
        assertThat(hw.get("neuroncore_per_device_count").asInt()).isEqualTo(4);
        assertThat(hw.get("logical_neuroncore_config").asInt()).isEqualTo(2);
    }

    private static void writeRecord(SystemRoot root, long pid, long updated, long successes, String latencies)
            throws Exception {
        Path records = Files.createDirectories(root.records().orElseThrow());
        String json = "{\"format\":\"nrt4j-runtime-record/1\",\"pid\":" + pid + ",\"command\":\"test\",\"tag\":\"t\","
                + "\"runtime_version\":\"x\",\"instance_type\":\"trn2.3xlarge\",\"lnc\":2,\"updated_ms\":" + updated
                + ","
                + "\"cores\":[{\"core\":1,\"device\":0,\"physical_cores\":[2,3]}],"
                + "\"models\":[{\"model_id\":10001,\"name\":\"m.neff\",\"core\":1,\"device\":0,\"constants\":512,\"model_code\":0}],"
                + "\"device_memory\":{\"1\":{\"constants\":512,\"tensors\":4096}},\"host_memory\":{\"dma_buffers\":64},"
                + "\"executions\":{\"SUCCESS\":" + successes + ",\"EXEC_BAD_INPUT\":" + (successes == 5 ? 0 : 1) + "},"
                + "\"latencies\":" + latencies + "}";
        Files.writeString(records.resolve(pid + "-1.json"), json);
    }
}
