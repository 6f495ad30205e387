package dev.nrt4j.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.tools.CommandRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code nrt4j bench} on the reference device: its JSON contract, its text form, its errors, and the percentile rule. */
class BenchCommandTest {
    private static final String ADD = String.join(
            "\n",
            "HloModule add",
            "ENTRY e {",
            "  a = f32[256] parameter(0)",
            "  b = f32[256] parameter(1)",
            "  ROOT s = f32[256] add(a, b)",
            "}");

    @TempDir
    Path dir;

    private CommandRun run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(
                "--backend", "reference", "--state-dir", dir.resolve("state").toString()));
        return CommandRun.of(all.toArray(new String[0]));
    }

    @Test
    void jsonHasEveryFieldAndTheNumbersAgree() throws Exception {
        Path model = Files.writeString(dir.resolve("add.hlo.txt"), ADD);
        CommandRun r = run(
                "bench",
                model.toString(),
                "--instance-type",
                "inf2.xlarge",
                "--cores",
                "0-1",
                "--threads",
                "3",
                "--warmup",
                "2",
                "--iterations",
                "60",
                "--json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = JsonMapper.builder().build().readTree(r.out());
        assertThat(j.propertyNames())
                .containsExactly(
                        "model",
                        "backend",
                        "instance_type",
                        "cores",
                        "threads",
                        "warmup",
                        "executions",
                        "duration_s",
                        "throughput_per_s",
                        "latency_ms",
                        "per_core");
        assertThat(j.get("model").asString()).isEqualTo("add.hlo.txt");
        assertThat(j.get("backend").asString()).isEqualTo("reference");
        assertThat(j.get("instance_type").asString()).isEqualTo("inf2.xlarge");
        assertThat(j.get("cores").toString()).isEqualTo("[0,1]");
        assertThat(j.get("threads").asInt()).isEqualTo(3);
        assertThat(j.get("executions").asLong()).isEqualTo(60);
        double seconds = j.get("duration_s").asDouble();
        assertThat(j.get("throughput_per_s").asDouble())
                .isCloseTo(60 / seconds, org.assertj.core.data.Percentage.withPercentage(0.01));
        JsonNode l = j.get("latency_ms");
        assertThat(l.propertyNames()).containsExactly("min", "mean", "p50", "p90", "p99", "max");
        assertThat(l.get("min").asDouble())
                .isPositive()
                .isLessThanOrEqualTo(l.get("p50").asDouble());
        assertThat(l.get("p50").asDouble()).isLessThanOrEqualTo(l.get("p90").asDouble());
        assertThat(l.get("p90").asDouble()).isLessThanOrEqualTo(l.get("p99").asDouble());
        assertThat(l.get("p99").asDouble()).isLessThanOrEqualTo(l.get("max").asDouble());
        for (JsonNode c : j.get("per_core")) {
            assertThat(c.propertyNames()).containsExactly("core", "executions", "utilization");
            assertThat(c.get("utilization").asDouble()).isBetween(0.0, 1.0);
        }
        // Each thread runs 20: threads 0 and 2 drive the instance on core 0, thread 1 the one on core 1.
        assertThat(j.get("per_core").get(0).get("executions").asLong()).isEqualTo(40);
        assertThat(j.get("per_core").get(1).get("executions").asLong()).isEqualTo(20);
    }

    @Test
    void textFormShowsPercentilesThroughputAndCores() throws Exception {
        Path model = Files.writeString(dir.resolve("add.hlo.txt"), ADD);
        CommandRun r = run("bench", model.toString(), "--duration", "0.3");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("model: add.hlo.txt on reference (trn1.2xlarge), 1 instance on core 0, 1 thread")
                .containsPattern(
                        "latency \\(ms\\): min [0-9.]+  mean [0-9.]+  p50 [0-9.]+  p90 [0-9.]+  p99 [0-9.]+  max [0-9.]+")
                .containsPattern("throughput: [0-9.]+ executions/s")
                .containsPattern("(?m)^0 +[1-9][0-9]* +[0-9.]+%$");
    }

    @Test
    void badArgumentsAndInputsAreOneClearError() throws Exception {
        Path model = Files.writeString(dir.resolve("add.hlo.txt"), ADD);
        CommandRun zero = run("bench", model.toString(), "--iterations", "0");
        assertThat(zero.status()).isEqualTo(1);
        assertThat(zero.err()).contains("INVALID").contains("--iterations");
        CommandRun name = run("bench", model.toString(), "--input", "nope=" + dir.resolve("x.npy"));
        assertThat(name.status()).isEqualTo(1);
        assertThat(name.err()).contains("EXEC_BAD_INPUT").contains("no input 'nope'");
    }

    @Test
    void percentilesAreNearestRank() {
        long[] ms = new long[100];
        for (int i = 0; i < 100; i++) {
            ms[i] = (100 - i) * 1_000_000L;
        }
        LatencySummary s = LatencySummary.ofNanos(ms);
        assertThat(s.count()).isEqualTo(100);
        assertThat(s.min()).isEqualTo(1.0);
        assertThat(s.p50()).isEqualTo(50.0);
        assertThat(s.p90()).isEqualTo(90.0);
        assertThat(s.p99()).isEqualTo(99.0);
        assertThat(s.max()).isEqualTo(100.0);
        assertThat(s.mean()).isEqualTo(50.5);
        assertThat(LatencySummary.ofNanos(new long[] {7_000_000}).p99()).isEqualTo(7.0);
    }
}
