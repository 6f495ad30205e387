package dev.nrt4j.tools.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.tools.BusyProcess;
import dev.nrt4j.tools.CommandRun;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code monitor --prometheus-port}: neuron-monitor-prometheus's names, labels and values over HTTP,
 * checked against the JSON report they come from.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PrometheusExporterTest {
    private static final String INSTANCE = "trn1.2xlarge";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path stateDir;

    private JsonNode oneReport() {
        CommandRun r = CommandRun.onReferenceMachine(INSTANCE, stateDir, "monitor", "--period", "0.5", "--count", "1");
        assertThat(r.status()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The samples of an exposition, by {@code name{labels}}; checks every line is a comment or a sample. */
    private static Map<String, Double> samples(String text) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                continue;
            }
            assertThat(line).matches("[a-z_]+\\{([a-z_]+=\"[^\"]*\",)*[a-z_]+=\"[^\"]*\"} -?[0-9.E-]+");
            int space = line.lastIndexOf(' ');
            assertThat(out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1))))
                    .as("one sample per series: " + line)
                    .isNull();
        }
        return out;
    }

    private static String standard(JsonNode report) {
        JsonNode i = report.get("instance_info");
        return "instance_name=\"" + i.get("instance_name").asString() + "\",instance_id=\""
                + i.get("instance_id").asString() + "\",instance_type=\""
                + i.get("instance_type").asString()
                + "\",availability_zone=\""
                + i.get("instance_availability_zone").asString() + "\",region=\""
                + i.get("instance_region").asString() + "\",subnet_id=\""
                + i.get("subnet_id").asString() + "\"";
    }

    @Test
    void theScrapeCarriesTheReportsFiguresUnderTheExportersNames() throws Exception {
        JsonNode report;
        try (BusyProcess busy = BusyProcess.start(stateDir, INSTANCE, 1, 1L << 20)) {
            report = oneReport();
        }
        PrometheusExposition exposition = new PrometheusExposition();
        exposition.accept(report);
        try (PrometheusEndpoint endpoint = PrometheusEndpoint.start("127.0.0.1", 0, exposition::scrape)) {
            HttpResponse<String> r = get(endpoint.port(), "/metrics");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
            Map<String, Double> s = samples(r.body());
            String std = standard(report);
            assertThat(std).contains("instance_type=\"" + INSTANCE + "\"").contains("instance_id=\"i-");

            JsonNode rt = report.get("neuron_runtime_data").get(0);
            String tag = std + ",runtime_tag=\"" + rt.get("neuron_runtime_tag").asString() + "\"";
            JsonNode groups = rt.get("report");
            double util = groups.get("neuroncore_counters")
                    .get("neuroncores_in_use")
                    .get("1")
                    .get("neuroncore_utilization")
                    .asDouble();
            assertThat(util).isPositive();
            assertThat(s).containsEntry("neuroncore_utilization_ratio{" + tag + ",neuroncore=\"1\"}", util / 100);
            JsonNode used = groups.get("memory_used").get("neuron_runtime_used_bytes");
            assertThat(s)
                    .containsEntry(
                            "neuron_runtime_memory_used_bytes{" + tag + ",memory_location=\"neuron_device\"}",
                            used.get("neuron_device").asDouble())
                    .containsEntry(
                            "neuron_runtime_memory_used_bytes{" + tag + ",memory_location=\"host\"}",
                            used.get("host").asDouble());
            long tensors = used.get("usage_breakdown")
                    .get("neuroncore_memory_usage")
                    .get("1")
                    .get("tensors")
                    .asLong();
            assertThat(tensors).isGreaterThanOrEqualTo(1L << 20);
            assertThat(s)
                    .containsEntry(
                            "neuroncore_memory_usage_tensors{" + tag + ",memory_location=\"None\",neuroncore=\"1\"}",
                            (double) tensors);
            JsonNode vcpu = groups.get("neuron_runtime_vcpu_usage").get("vcpu_usage");
            assertThat(s)
                    .containsEntry(
                            "neuron_runtime_vcpu_usage_ratio{" + tag + ",usage_type=\"user\"}",
                            vcpu.get("user").asDouble() / 100);
            JsonNode exec = groups.get("execution_stats");
            long completed = exec.get("execution_summary").get("completed").asLong();
            assertThat(completed).isPositive();
            assertThat(s)
                    .containsEntry("execution_status_total{" + tag + ",status_type=\"completed\"}", (double) completed)
                    .containsEntry("execution_errors_total{" + tag + ",error_type=\"hardware\"}", 0.0)
                    .containsEntry(
                            "execution_latency_seconds{" + tag + ",percentile=\"p50\"}",
                            exec.get("latency_stats")
                                    .get("total_latency")
                                    .get("p50")
                                    .asDouble());

            JsonNode sys = report.get("system_data");
            JsonNode avg = sys.get("vcpu_usage").get("average_usage");
            assertThat(s)
                    .containsEntry("system_vcpu_count{" + std + "}", (double)
                            sys.get("vcpu_usage").get("usage_data").size())
                    .containsEntry(
                            "system_vcpu_usage_ratio{" + std + ",usage_type=\"user\"}",
                            (avg.get("user").asDouble() + avg.get("nice").asDouble()) / 100)
                    .containsEntry(
                            "system_memory_total_bytes{" + std + "}",
                            sys.get("memory_info").get("memory_total_bytes").asDouble())
                    .containsEntry(
                            "system_swap_used_bytes{" + std + "}",
                            sys.get("memory_info").get("swap_used_bytes").asDouble())
                    .containsEntry(
                            "hardware_ecc_events_total{" + std
                                    + ",event_type=\"mem_ecc_uncorrected\",neuron_device_index=\"0\"}",
                            0.0)
                    .containsEntry("instance_info{" + std + "}", 1.0)
                    .containsEntry(
                            "neuron_hardware_info{" + std
                                    + ",neuron_device_count=\"1\",neuroncore_per_device_count=\"2\"}",
                            1.0);
            assertThat(r.body())
                    .contains("# TYPE execution_status_total counter\n")
                    .contains("# TYPE neuroncore_utilization_ratio gauge\n");

            // Counters add each report's counts for its period; a runtime gone from a report is gone.
            exposition.accept(report);
            assertThat(samples(get(endpoint.port(), "/metrics").body()))
                    .containsEntry("execution_status_total{" + tag + ",status_type=\"completed\"}", 2.0 * completed);
            JsonNode without = report.deepCopy();
            ((tools.jackson.databind.node.ArrayNode) without.get("neuron_runtime_data")).removeAll();
            exposition.accept(without);
            Map<String, Double> after = samples(get(endpoint.port(), "/metrics").body());
            assertThat(after.keySet()).noneMatch(k -> k.contains("runtime_tag="));
            assertThat(after).containsKey("system_memory_total_bytes{" + std + "}");

            assertThat(get(endpoint.port(), "/").statusCode()).isEqualTo(404);
            assertThat(HTTP.send(
                                    HttpRequest.newBuilder(
                                                    URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics"))
                                            .POST(HttpRequest.BodyPublishers.ofString("x"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(405);
        }
    }

    @Test
    void theMonitorServesItsReportsWhileItRuns() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        CompletableFuture<CommandRun> run = CompletableFuture.supplyAsync(() -> CommandRun.onReferenceMachine(
                INSTANCE,
                stateDir,
                "monitor",
                "--period",
                "0.2",
                "--count",
                "40",
                "--prometheus-port",
                Integer.toString(port)));
        Map<String, Double> scraped = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && !run.isDone()) {
            try {
                Map<String, Double> s = samples(get(port, "/metrics").body());
                if (s.keySet().stream().anyMatch(k -> k.startsWith("system_memory_total_bytes{"))) {
                    scraped = s;
                    break;
                }
            } catch (java.io.IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(50);
        }
        CommandRun r = run.get(90, TimeUnit.SECONDS);
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(scraped)
                .as("a scrape with the system's memory while the monitor ran")
                .isNotNull();
        assertThat(r.err()).contains("http://127.0.0.1:" + port + "/metrics");
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(40);
        JsonNode last = JSON.readTree(lines.get(39));
        assertThat(scraped)
                .containsKey("instance_info{" + standard(last) + "}")
                .containsKey("system_vcpu_count{" + standard(last) + "}");
    }

    @Test
    void aPortInUseIsOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CommandRun r = CommandRun.of(
                    "monitor",
                    "--backend=reference",
                    "--state-dir",
                    stateDir.toString(),
                    "--count",
                    "1",
                    "--prometheus-port",
                    Integer.toString(taken.getLocalPort()));
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().lines()).as(r.err()).hasSize(1);
            assertThat(r.err())
                    .contains("127.0.0.1:" + taken.getLocalPort())
                    .contains("[RESOURCE]")
                    .contains("in use")
                    .contains("--prometheus-port");
        }
        // A documentation address (TEST-NET-3) is no interface of this host.
        CommandRun elsewhere = CommandRun.of(
                "monitor",
                "--backend=reference",
                "--state-dir",
                stateDir.toString(),
                "--count",
                "1",
                "--prometheus-port",
                "0",
                "--prometheus-bind",
                "203.0.113.7");
        assertThat(elsewhere.status()).isEqualTo(1);
        assertThat(elsewhere.err().lines()).as(elsewhere.err()).hasSize(1);
        assertThat(elsewhere.err())
                .contains("203.0.113.7:0")
                .contains("[RESOURCE]")
                .contains("--prometheus-bind");
        CommandRun bad = CommandRun.of(
                "monitor", "--backend=reference", "--state-dir", stateDir.toString(), "--prometheus-port", "70000");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err().lines().findFirst().orElseThrow())
                .contains("--prometheus-port")
                .contains("70000");
    }
}
