package dev.nrt4j.tools.machine;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nrt4j.device.driver.DriverSysfs;
import dev.nrt4j.device.driver.SystemRoot;
import dev.nrt4j.tools.FuzzedJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A runtime record is a file any process that can write the records directory can forge, and the tools
 * add its numbers up. Records built from the format's own field names with fuzzed values of any JSON
 * type (and, now and then, raw bytes) are either skipped with a warning or read into a view of a live
 * process whose numbers are in range, so no sum overflows; any exception is a finding. The record names
 * this JVM's pid (unless the fuzzer overrides it), so the liveness and owner checks pass and the fuzzer
 * reaches the field checks. Without
 * {@code JAZZER_FUZZ} this runs once per committed input.
 */
class RuntimeRecordsFuzzTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] TOP = {
        "format",
        "pid",
        "command",
        "tag",
        "runtime_version",
        "lnc",
        "updated_ms",
        "cores",
        "models",
        "device_memory",
        "host_memory",
        "executions",
        "latencies",
        "flops"
    };
    private static final String[] INNER = {
        "core", "device", "model_id", "name", "constants", "model_code", "tensors", "0", "1", "success"
    };
    /** Values of any JSON type, objects keyed by the format's own names. */
    private static final FuzzedJson VALUES = new FuzzedJson(INNER, new String[0], 20, 70, 5);

    @FuzzTest(maxDuration = "10m")
    void anyRecordIsSkippedWithAWarningOrReadInRange(FuzzedDataProvider data) throws IOException {
        Path root = Files.createTempDirectory("nrt4j-records-fuzz");
        try {
            Path records = Files.createDirectories(root.resolve("runtimes"));
            Path file = records.resolve(ProcessHandle.current().pid() + "-1.json");
            if (data.consumeBoolean()) {
                Files.write(file, data.consumeRemainingAsBytes());
            } else {
                ObjectNode n = NODES.objectNode();
                n.put("format", data.consumeBoolean() ? "nrt4j-runtime-record/1" : data.consumeString(30));
                n.put("pid", ProcessHandle.current().pid());
                int fields = data.consumeInt(0, 12);
                for (int i = 0; i < fields; i++) {
                    n.set(data.pickValue(TOP), VALUES.value(data, 3));
                }
                Files.writeString(file, JSON.writeValueAsString(n));
            }
            List<String> warnings = new ArrayList<>();
            List<RuntimeRecordView> views = RuntimeRecords.read(
                    SystemRoot.of(root.resolve("sys"), root.resolve("dev"), Path.of("/proc"), records), warnings::add);
            for (RuntimeRecordView v : views) {
                // The fuzzer may name another pid inside the record: believed only if that process is alive.
                assertThat(ProcessHandle.of(v.pid())).as("process %d", v.pid()).isPresent();
                assertThat(v.deviceMemoryTotal()).isBetween(0L, Long.MAX_VALUE / 2);
                assertThat(v.hostMemoryTotal()).isBetween(0L, Long.MAX_VALUE / 2);
                assertThat(v.lnc()).isPositive();
                assertThat(v.flops().values()).allSatisfy(f -> assertThat(f).isNotNegative());
                for (RuntimeRecordView.LoadedModel m : v.models()) {
                    assertThat(m.constants()).isBetween(0L, DriverSysfs.PLAUSIBLE_COUNTER_MAX);
                }
            }
            assertThat(views.size() + warnings.size())
                    .as("the record is read or skipped with a warning")
                    .isLessThanOrEqualTo(1);
        } finally {
            try (Stream<Path> s = Files.walk(root)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
