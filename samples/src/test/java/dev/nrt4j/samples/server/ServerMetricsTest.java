package dev.nrt4j.samples.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ServerMetricsTest {
    @Test
    void aDurationOnABoundCountsInThatBucketAndBucketsAreCumulative() {
        LatencyHistogram h = new LatencyHistogram();
        h.observe(0.0005);
        h.observe(0.003);
        h.observe(11);
        long[] c = h.cumulative();
        assertThat(c).hasSize(LatencyHistogram.BOUNDS.length + 1);
        assertThat(c[0]).isEqualTo(1); // le=0.0005
        assertThat(c[2]).isEqualTo(1); // le=0.0025
        assertThat(c[3]).isEqualTo(2); // le=0.005
        assertThat(c[LatencyHistogram.BOUNDS.length - 1]).isEqualTo(2); // le=10
        assertThat(c[LatencyHistogram.BOUNDS.length]).isEqualTo(3); // +Inf
        assertThat(h.count()).isEqualTo(3);
        assertThat(h.sum()).isEqualTo(11.0035, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void rendersTheExpositionFormat() {
        ServerMetrics m = new ServerMetrics();
        m.register("a", 1);
        m.executed("a", 0, 0.002);
        m.failed(413);
        m.failed(413);
        TreeMap<Integer, Long> hbm = new TreeMap<>();
        hbm.put(0, 4096L);
        String text = m.render(hbm);

        assertThat(text)
                .contains(
                        "# TYPE nrt4j_executions_total counter\nnrt4j_executions_total{model=\"a\",core=\"0\"} 1\nnrt4j_executions_total{model=\"a\",core=\"1\"} 0\n",
                        "nrt4j_execution_latency_seconds_bucket{model=\"a\",le=\"0.0005\"} 0\n",
                        "nrt4j_execution_latency_seconds_bucket{model=\"a\",le=\"0.0025\"} 1\n",
                        "nrt4j_execution_latency_seconds_bucket{model=\"a\",le=\"1.0\"} 1\n",
                        "nrt4j_execution_latency_seconds_bucket{model=\"a\",le=\"+Inf\"} 1\n",
                        "nrt4j_execution_latency_seconds_sum{model=\"a\"} 0.002\n",
                        "nrt4j_execution_latency_seconds_count{model=\"a\"} 1\n",
                        "# TYPE nrt4j_hbm_used_bytes gauge\nnrt4j_hbm_used_bytes{core=\"0\"} 4096\n",
                        "nrt4j_request_errors_total{code=\"413\"} 2\n",
                        "nrt4j_requests_in_flight 0\n");
        assertThat(text).endsWith("\n");
        // Every sample line is "name{labels} value" or "name value"; comments are HELP or TYPE.
        for (String line : text.split("\n")) {
            assertThat(line)
                    .matches(
                            "# (HELP|TYPE) nrt4j_\\w+ .+|nrt4j_\\w+(\\{[^}]*\\})? [-+0-9.eE]+|nrt4j_\\w+\\{[^}]*\\} \\+Inf");
        }
    }

    @Test
    void labelValuesAreEscaped() {
        assertThat(ServerMetrics.labels("model", "a\"b\\c\nd")).isEqualTo("{model=\"a\\\"b\\\\c\\nd\"}");
    }
}
