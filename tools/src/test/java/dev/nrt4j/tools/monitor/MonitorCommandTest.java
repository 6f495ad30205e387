package dev.nrt4j.tools.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.tools.BusyProcess;
import dev.nrt4j.tools.CommandRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code nrt4j monitor}: neuron-monitor's NDJSON reports, with another process executing on the reference device. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MonitorCommandTest {
    private static final String INSTANCE = "trn1.2xlarge";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long TENSOR = 1L << 20;

    @TempDir
    Path stateDir;

    private List<JsonNode> monitor(String... extra) {
        CommandRun r = CommandRun.onReferenceMachine(INSTANCE, stateDir, "monitor", extra);
        assertThat(r.status()).as(r.err()).isZero();
        List<JsonNode> reports = new ArrayList<>();
        r.out().lines().forEach(l -> reports.add(JSON.readTree(l)));
        return reports;
    }

    @Test
    void aProcessExecutingShowsWithItsCompletedExecutionsUtilizationMemoryAndModel() throws Exception {
        try (BusyProcess busy = BusyProcess.start(stateDir, INSTANCE, 1, TENSOR)) {
            List<JsonNode> reports = monitor("--period", "0.5", "--count", "2");
            assertThat(reports).hasSize(2);
            for (JsonNode report : reports) {
                assertThat(report.propertyNames())
                        .containsExactly("neuron_runtime_data", "system_data", "instance_info", "neuron_hardware_info");
                JsonNode rt = runtimeOf(report, busy.pid());
                assertThat(rt.propertyNames())
                        .containsExactly("pid", "address", "neuron_runtime_tag", "error", "report");
                assertThat(rt.get("neuron_runtime_tag").isString()).isTrue();
                assertThat(rt.get("neuron_runtime_tag").asString()).isEqualTo(Long.toString(busy.pid()));
                assertThat(rt.get("error").asString()).isEmpty();
                JsonNode r = rt.get("report");
                assertThat(r.propertyNames())
                        .containsExactlyInAnyOrder(
                                "neuroncore_counters", "memory_used", "neuron_runtime_vcpu_usage", "execution_stats");
                r.properties().forEach(e -> assertGroup(e.getKey(), e.getValue()));

                JsonNode cores = r.get("neuroncore_counters").get("neuroncores_in_use");
                assertThat(cores.propertyNames()).containsExactly("1");
                JsonNode core = cores.get("1");
                assertThat(core.get("neuroncore_utilization").isDouble()).isTrue();
                assertThat(core.get("neuroncore_utilization").asDouble())
                        .isGreaterThan(20)
                        .isLessThanOrEqualTo(100);
                assertThat(core.get("flops").isNumber()).isTrue();
                assertThat(core.get("effective_flops").isNumber()).isTrue();

                JsonNode exec = r.get("execution_stats");
                assertThat(exec.get("execution_summary").propertyNames())
                        .containsExactly(
                                "completed",
                                "completed_with_err",
                                "completed_with_num_err",
                                "timed_out",
                                "incorrect_input",
                                "failed_to_queue");
                assertThat(exec.get("execution_summary").get("completed").asLong())
                        .isPositive();
                assertThat(exec.get("error_summary").propertyNames())
                        .containsExactly("generic", "numerical", "transient", "model", "runtime", "hardware");
                exec.get("error_summary").forEach(n -> assertThat(n.asLong()).isZero());
                JsonNode total = exec.get("latency_stats").get("total_latency");
                assertThat(total.propertyNames())
                        .as(exec.toString())
                        .containsExactly("p0", "p1", "p25", "p50", "p75", "p99", "p100");
                assertThat(total.get("p0").asDouble())
                        .isPositive()
                        .isLessThanOrEqualTo(total.get("p50").asDouble());
                assertThat(total.get("p100").asDouble())
                        .as("seconds, not microseconds")
                        .isLessThan(10)
                        .isGreaterThanOrEqualTo(total.get("p99").asDouble());
                assertThat(exec.get("latency_stats").get("device_latency").isObject())
                        .isTrue();

                JsonNode mem = r.get("memory_used");
                JsonNode used = mem.get("neuron_runtime_used_bytes");
                assertThat(used.get("neuron_device").asLong())
                        .as("the held MiB and the model's tensors")
                        .isGreaterThanOrEqualTo(TENSOR);
                assertThat(used.get("host").isIntegralNumber()).isTrue();
                assertThat(used.get("usage_breakdown").get("host").propertyNames())
                        .containsExactly("application_memory", "constants", "dma_buffers", "tensors");
                JsonNode perCore = used.get("usage_breakdown").get("neuroncore_memory_usage");
                assertThat(perCore.propertyNames()).containsExactly("1");
                assertThat(perCore.get("1").propertyNames())
                        .containsExactly(
                                "constants", "model_code", "model_shared_scratchpad", "runtime_memory", "tensors");
                assertThat(perCore.get("1").get("tensors").asLong()).isGreaterThanOrEqualTo(TENSOR);
                JsonNode model = mem.get("loaded_models").get(0);
                assertThat(model.get("model_id").asInt()).isEqualTo(10001);
                assertThat(model.get("name").asString()).endsWith(".hlo.txt");
                assertThat(model.get("is_running").asBoolean()).isTrue();
                JsonNode sg = model.get("subgraphs").get("sg_00");
                assertThat(sg.get("neuroncore_index").asInt()).isEqualTo(1);
                assertThat(sg.get("neuron_device_index").asInt()).isZero();
                assertThat(sg.get("memory_used_bytes")
                                .get("usage_breakdown")
                                .get("neuron_device")
                                .propertyNames())
                        .containsExactly("constants", "model_code", "runtime_memory", "tensors");

                JsonNode vcpu = r.get("neuron_runtime_vcpu_usage").get("vcpu_usage");
                assertThat(vcpu.get("user").asDouble() + vcpu.get("system").asDouble())
                        .as("the child is busy")
                        .isPositive();
            }
            assertThat(runtimeOf(reports.get(1), busy.pid())
                            .get("report")
                            .get("execution_stats")
                            .get("period")
                            .asDouble())
                    .as("each report covers one period")
                    .isBetween(0.3, 1.5);
        }
    }

    @Test
    void anIdleMachineReportsNoRuntimesAndDescribesItsHardwareAndHost() {
        List<JsonNode> reports = monitor("--period", "0.2s", "--count", "1");
        assertThat(reports).hasSize(1);
        JsonNode report = reports.get(0);
        assertThat(report.get("neuron_runtime_data").isArray()).isTrue();
        assertThat(report.get("neuron_runtime_data")).isEmpty();

        JsonNode hw = report.get("neuron_hardware_info");
        assertThat(hw.propertyNames())
                .containsExactly(
                        "neuron_device_type",
                        "neuron_device_version",
                        "neuroncore_version",
                        "neuron_device_count",
                        "neuron_device_memory_size",
                        "neuroncore_per_device_count",
                        "logical_neuroncore_config",
                        "error");
        assertThat(hw.get("neuron_device_type").asString()).isEqualTo("trainium");
        assertThat(hw.get("neuron_device_version").asString()).isEqualTo("v2");
        assertThat(hw.get("neuroncore_version").asString()).isEqualTo("v2");
        assertThat(hw.get("neuron_device_count").asInt()).isEqualTo(1);
        assertThat(hw.get("neuron_device_memory_size").asLong()).isEqualTo(32L << 30);
        assertThat(hw.get("neuroncore_per_device_count").asInt()).isEqualTo(2);
        assertThat(hw.get("logical_neuroncore_config").asInt()).isEqualTo(1);
        assertThat(hw.get("error").asString()).isEmpty();

        JsonNode instance = report.get("instance_info");
        assertThat(instance.get("instance_type").asString()).isEqualTo(INSTANCE);
        assertThat(instance.get("instance_id").asString()).startsWith("i-");
        assertThat(instance.get("error").asString()).isEmpty();

        JsonNode system = report.get("system_data");
        assertThat(system.propertyNames()).containsExactlyInAnyOrder("neuron_hw_counters", "vcpu_usage", "memory_info");
        system.properties().forEach(e -> assertGroup(e.getKey(), e.getValue()));
        JsonNode devices = system.get("neuron_hw_counters").get("neuron_devices");
        assertThat(devices).hasSize(1);
        assertThat(devices.get(0).propertyNames())
                .containsExactly(
                        "neuron_device_index",
                        "mem_ecc_corrected",
                        "mem_ecc_uncorrected",
                        "sram_ecc_uncorrected",
                        "sram_ecc_corrected");
        JsonNode vcpu = system.get("vcpu_usage");
        assertThat(vcpu.get("average_usage").propertyNames())
                .containsExactly("user", "nice", "system", "idle", "io_wait", "irq", "soft_irq");
        assertThat(vcpu.get("usage_data").propertyNames()).contains("0");
        assertThat(vcpu.get("context_switch_count").isIntegralNumber()).isTrue();
        JsonNode memory = system.get("memory_info");
        assertThat(memory.get("memory_total_bytes").asLong())
                .isPositive()
                .isGreaterThanOrEqualTo(memory.get("memory_used_bytes").asLong());
        assertThat(memory.get("swap_total_bytes").isIntegralNumber()).isTrue();
    }

    @Test
    void aMalformedPeriodIsAUsageError() {
        CommandRun r =
                CommandRun.of("monitor", "--backend=reference", "--state-dir", stateDir.toString(), "--period", "fast");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--period takes seconds").contains("'fast'");
    }

    /** Every metric group has a numeric period first and a string error last. */
    private static void assertGroup(String name, JsonNode group) {
        List<String> names = new ArrayList<>(group.propertyNames());
        assertThat(names.get(0)).as(name).isEqualTo("period");
        assertThat(group.get("period").isNumber()).as(name).isTrue();
        assertThat(names.get(names.size() - 1)).as(name).isEqualTo("error");
        assertThat(group.get("error").isString()).as(name).isTrue();
        assertThat(group.get("error").asString()).as(name).isEmpty();
    }

    private static JsonNode runtimeOf(JsonNode report, long pid) {
        for (JsonNode rt : report.get("neuron_runtime_data")) {
            if (rt.get("pid").asLong() == pid) {
                return rt;
            }
        }
        throw new AssertionError("no runtime with pid " + pid + " in " + report);
    }
}
