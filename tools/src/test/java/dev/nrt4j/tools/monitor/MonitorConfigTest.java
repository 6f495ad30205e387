package dev.nrt4j.tools.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.tools.BusyProcess;
import dev.nrt4j.tools.CommandRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code nrt4j monitor -c}: neuron-monitor's config chooses the groups, the runtimes and the periods. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MonitorConfigTest {
    private static final String INSTANCE = "trn1.2xlarge";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path stateDir;

    private Path config(String json) throws IOException {
        return Files.writeString(Files.createTempFile(stateDir, "monitor", ".json"), json);
    }

    private CommandRun monitor(Path config, String... extra) {
        List<String> args = new ArrayList<>(List.of("-c", config.toString()));
        args.addAll(List.of(extra));
        return CommandRun.onReferenceMachine(INSTANCE, stateDir, "monitor", args.toArray(String[]::new));
    }

    private List<JsonNode> reports(Path config, String... extra) {
        CommandRun r = monitor(config, extra);
        assertThat(r.status()).as(r.err()).isZero();
        List<JsonNode> out = new ArrayList<>();
        r.out().lines().forEach(l -> out.add(JSON.readTree(l)));
        return out;
    }

    private static List<Long> pids(JsonNode report) {
        List<Long> out = new ArrayList<>();
        report.get("neuron_runtime_data").forEach(rt -> out.add(rt.get("pid").asLong()));
        return out;
    }

    @Test
    void onlyTheConfiguredGroupsOfTheRuntimesTheFilterSelectsAppear() throws Exception {
        try (BusyProcess a = BusyProcess.start(stateDir, INSTANCE, 0, 4096);
                BusyProcess b = BusyProcess.start(stateDir, INSTANCE, 1, 4096)) {
            // Without a tag a runtime's tag is its pid: the filter names a's.
            Path only = config("{\"period\": \"300ms\", \"neuron_runtimes\": [{\"tag_filter\": \"" + a.pid()
                    + "\", \"metrics\": [{\"type\": \"memory_used\"}, {\"type\": \"execution_stats\"}]}],"
                    + " \"system_metrics\": [{\"type\": \"memory_info\"}]}");
            List<JsonNode> reports = reports(only, "--count", "2");
            assertThat(reports).hasSize(2);
            for (JsonNode report : reports) {
                assertThat(report.propertyNames())
                        .containsExactly("neuron_runtime_data", "system_data", "instance_info", "neuron_hardware_info");
                assertThat(pids(report)).containsExactly(a.pid());
                JsonNode groups = report.get("neuron_runtime_data").get(0).get("report");
                assertThat(groups.propertyNames()).containsExactly("memory_used", "execution_stats");
                assertThat(groups.get("memory_used").get("period").asDouble()).isBetween(0.2, 1.5);
                assertThat(report.get("system_data").propertyNames()).containsExactly("memory_info");
            }

            // Both, with a pattern matching either pid; a filter matching neither shows no runtime.
            Path both = config("{\"period\": \"300ms\", \"neuron_runtimes\": [{\"tag_filter\": \"(" + a.pid() + "|"
                    + b.pid() + ")\", \"metrics\": [{\"type\": \"neuroncore_counters\"}]}]}");
            JsonNode report = reports(both, "--count", "1").get(0);
            assertThat(pids(report)).containsExactlyInAnyOrder(a.pid(), b.pid());
            assertThat(report.get("system_data").propertyNames()).isEmpty();
            report.get("neuron_runtime_data")
                    .forEach(rt -> assertThat(rt.get("report").propertyNames()).containsExactly("neuroncore_counters"));

            Path none = config(
                    "{\"period\": \"300ms\", \"neuron_runtimes\": [{\"tag_filter\": \"my-app.*\","
                            + " \"metrics\": [{\"type\": \"memory_used\"}]}], \"system_metrics\": [{\"type\": \"vcpu_usage\"}]}");
            JsonNode idle = reports(none, "--count", "1").get(0);
            assertThat(idle.get("neuron_runtime_data")).isEmpty();
            assertThat(idle.get("system_data").propertyNames()).containsExactly("vcpu_usage");
        }
    }

    @Test
    void eachGroupComesAtItsOwnPeriod() throws IOException {
        Path c = config("{\"period\": \"250ms\", \"system_metrics\": [{\"type\": \"memory_info\"},"
                + " {\"type\": \"vcpu_usage\", \"period\": \"500ms\"}]}");
        List<JsonNode> reports = reports(c, "--count", "4");
        List<List<String>> groups = new ArrayList<>();
        reports.forEach(r -> groups.add(new ArrayList<>(r.get("system_data").propertyNames())));
        assertThat(groups)
                .containsExactly(
                        List.of("memory_info"),
                        List.of("vcpu_usage", "memory_info"),
                        List.of("memory_info"),
                        List.of("vcpu_usage", "memory_info"));
        assertThat(reports.get(3)
                        .get("system_data")
                        .get("vcpu_usage")
                        .get("period")
                        .asDouble())
                .as("measured since it was last reported, two reports before")
                .isBetween(0.4, 1.5);
    }

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of("{\"period\": \"1s\",", "not valid JSON"),
                Arguments.of("{\"period\": \"1s\", \"period\": \"2s\"}", "Duplicate"),
                Arguments.of(
                        "{\"system_metrics\": [{\"type\": \"gpu_usage\"}]}", "\"gpu_usage\" is not a metric group"),
                Arguments.of(
                        "{\"neuron_runtimes\": [{\"metrics\": [{\"type\": \"vcpu_usage\"}]}]}",
                        "neuron_runtimes[0].metrics[0].type \"vcpu_usage\""),
                Arguments.of("{\"period\": \"soon\"}", "period \"soon\" is not a period"),
                Arguments.of("{\"period\": \"0s\"}", "is not a period"),
                Arguments.of("{\"period\": 5}", "period must be a string"),
                Arguments.of(
                        "{\"neuron_runtimes\": [{\"tag_filter\": \"app[\", \"metrics\": []}]}",
                        "tag_filter \"app[\" is not a regular expression"),
                Arguments.of("{\"periods\": \"1s\"}", "unknown key \"periods\""),
                Arguments.of("[]", "must be a JSON object"),
                Arguments.of("", "it is empty"),
                Arguments.of("{\"neuron_runtimes\": {}}", "neuron_runtimes must be a list"),
                Arguments.of("{\"a\":" + "[".repeat(100_000), "larger than 64 KiB"),
                Arguments.of("[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]", "not valid JSON"));
    }

    @ParameterizedTest
    @MethodSource("badConfigs")
    void aBadConfigIsOneLineNamingTheFileAndTheFix(String content, String says) throws IOException {
        Path c = config(content);
        CommandRun r = monitor(c, "--count", "1");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).as(r.err()).hasSize(1);
        assertThat(r.err())
                .startsWith("nrt4j: read monitor config " + c + " failed [INVALID]: ")
                .contains(says)
                .doesNotContain("Exception")
                .doesNotContain("--debug");
    }

    @Test
    void aMissingOrNonUtf8ConfigIsOneLine() throws IOException {
        CommandRun missing = monitor(stateDir.resolve("nope.json"), "--count", "1");
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err().lines()).hasSize(1);
        assertThat(missing.err()).contains("nope.json").contains("no such file");
        Path latin1 = Files.write(
                stateDir.resolve("latin1.json"), "{\"period\": \"5s\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
        CommandRun bad = monitor(latin1, "--count", "1");
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.err().lines()).hasSize(1);
        assertThat(bad.err()).contains("latin1.json").contains("not UTF-8");
    }

    @Test
    void aBacktrackingFilterIsRefusedInsteadOfHanging() {
        // Java's matcher remembers where (a+)+b failed; repeating a group with .* inside still backtracks.
        String slow = "(.*a){12}b";
        TagFilter filter = new TagFilter(slow, Pattern.compile(slow), "neuron_runtimes[0].tag_filter of x.json");
        assertThat(filter.matches("a".repeat(12) + "b")).isTrue();
        assertThat(filter.matches("b")).isFalse();
        assertThatThrownBy(() -> filter.matches("a".repeat(64)))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                .hasMessageContaining("x.json")
                .hasMessageContaining("takes too long");
    }

    @Test
    void periodsTakeNeuronMonitorsForms() {
        assertThat(MonitorPeriod.millis("1s")).contains(1000L);
        assertThat(MonitorPeriod.millis("500ms")).contains(500L);
        assertThat(MonitorPeriod.millis("5")).contains(5000L);
        assertThat(MonitorPeriod.millis("0.5")).contains(500L);
        assertThat(MonitorPeriod.millis("2m")).contains(120_000L);
        assertThat(MonitorPeriod.millis("1e3")).isEmpty();
        assertThat(MonitorPeriod.millis("5ms")).isEmpty();
        assertThat(MonitorPeriod.millis("0.0001s")).isEmpty();
        assertThat(MonitorPeriod.millis("2d")).isEmpty();
        assertThat(MonitorPeriod.millis(".")).isEmpty();
    }
}
