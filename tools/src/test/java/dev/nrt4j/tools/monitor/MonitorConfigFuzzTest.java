package dev.nrt4j.tools.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.tools.FuzzedJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code monitor -c FILE} reads a file the user may have been handed, and its {@code tag_filter}s are
 * regular expressions run on other processes' tags. A config built from the schema's own names with
 * fuzzed values of any JSON type (and, now and then, raw bytes) is either read into periods and types
 * the monitor supports, or refused as {@link Status#INVALID} on one line; matching a fuzzed tag gives an
 * entry or none, or an {@code INVALID} line for a pattern too costly to run. Any other exception, or a
 * hang, is a finding. Without {@code JAZZER_FUZZ} this runs once per committed input.
 */
class MonitorConfigFuzzTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] KEYS = {
        "period", "neuron_runtimes", "system_metrics", "tag_filter", "metrics", "type", "k8s_info"
    };
    private static final String[] STRINGS = {
        "1s",
        "500ms",
        "2m",
        "0.5",
        "5",
        "0s",
        "1d",
        "-1s",
        ".*",
        "(.*a){12}b",
        "[",
        "neuroncore_counters",
        "memory_used",
        "execution_stats",
        "neuron_runtime_vcpu_usage",
        "vcpu_usage",
        "memory_info",
        "neuron_hw_counters"
    };
    /** Values of any JSON type, objects keyed by the schema's names, strings often the schema's own values. */
    private static final FuzzedJson VALUES = new FuzzedJson(KEYS, STRINGS, 40, 100, 4);

    @FuzzTest(maxDuration = "10m")
    void anyConfigIsReadInRangeOrRefusedOnOneLine(FuzzedDataProvider data) throws IOException {
        Path file = Files.createTempFile("nrt4j-monitor-config", ".json");
        try {
            String tag = data.consumeString(64);
            if (data.consumeBoolean()) {
                Files.write(file, data.consumeRemainingAsBytes());
            } else {
                ObjectNode root = NODES.objectNode();
                int fields = data.consumeInt(0, 4);
                for (int i = 0; i < fields; i++) {
                    root.set(data.pickValue(KEYS), VALUES.value(data, 4));
                }
                Files.writeString(file, JSON.writeValueAsString(root));
            }
            MonitorConfig config;
            try {
                config = MonitorConfig.read(file, 5000);
            } catch (NeuronException e) {
                assertRefusal(e);
                return;
            }
            assertThat(config.periods())
                    .allSatisfy(p -> assertThat(p).isBetween(MonitorPeriod.MIN_MILLIS, MonitorPeriod.MAX_MILLIS));
            assertThat(config.system().keySet()).isSubsetOf(MonitorConfig.SYSTEM_TYPES);
            config.runtimes().forEach(e -> assertThat(e.metrics().keySet()).isSubsetOf(MonitorConfig.RUNTIME_TYPES));
            try {
                assertThat(config.entryFor(tag)).isBetween(-1, config.runtimes().size() - 1);
            } catch (NeuronException e) {
                assertRefusal(e);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void assertRefusal(NeuronException e) {
        assertThat(e.status()).isEqualTo(Status.INVALID);
        assertThat(e.getMessage()).as("one line").doesNotContain("\n").doesNotContain("\r");
    }
}
