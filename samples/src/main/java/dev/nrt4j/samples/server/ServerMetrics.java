package dev.nrt4j.samples.server;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the server counts, written in the Prometheus text exposition format (version 0.0.4):
 * executions per model and core, execution latency per model, failed requests per status code,
 * requests in flight, and device memory in use per core (read when scraped, see
 * {@link #render(SortedMap)}). Thread-safe: counters are lock-free and rendering takes a snapshot.
 */
final class ServerMetrics {
    /** Prometheus's content type for the text format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Map<String, LongAdder> executions = new ConcurrentSkipListMap<>();
    private final Map<String, LatencyHistogram> latency = new ConcurrentSkipListMap<>();
    private final Map<Integer, LongAdder> errors = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    /** Counts one successful execution of {@code model} on {@code core} that took {@code seconds}. */
    void executed(String model, int core, double seconds) {
        executions
                .computeIfAbsent(labels("model", model, "core", Integer.toString(core)), k -> new LongAdder())
                .increment();
        latencyOf(model).observe(seconds);
    }

    /** Makes {@code model}'s series exist (at zero) before its first request, as Prometheus advises. */
    void register(String model, int core) {
        executions.computeIfAbsent(labels("model", model, "core", Integer.toString(core)), k -> new LongAdder());
        latencyOf(model);
    }

    /** Counts one request answered with the error status {@code code}. */
    void failed(int code) {
        errors.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    /** The gauge of requests being handled. */
    AtomicInteger inFlight() {
        return inFlight;
    }

    private LatencyHistogram latencyOf(String model) {
        return latency.computeIfAbsent(model, k -> new LatencyHistogram());
    }

    /** The exposition text; {@code hbmBytesByCore} is device memory in use now, by core index. */
    String render(SortedMap<Integer, Long> hbmBytesByCore) {
        StringBuilder s = new StringBuilder(2048);
        header(s, "nrt4j_executions_total", "counter", "Model executions completed, by model and NeuronCore.");
        executions.forEach((labels, n) -> s.append("nrt4j_executions_total")
                .append(labels)
                .append(' ')
                .append(n.sum())
                .append('\n'));

        header(
                s,
                "nrt4j_execution_latency_seconds",
                "histogram",
                "Wall time of one model execution, including moving inputs and outputs.");
        latency.forEach((model, h) -> {
            long[] cumulative = h.cumulative();
            for (int i = 0; i < cumulative.length; i++) {
                String le = i < LatencyHistogram.BOUNDS.length ? number(LatencyHistogram.BOUNDS[i]) : "+Inf";
                s.append("nrt4j_execution_latency_seconds_bucket")
                        .append(labels("model", model, "le", le))
                        .append(' ')
                        .append(cumulative[i])
                        .append('\n');
            }
            s.append("nrt4j_execution_latency_seconds_sum")
                    .append(labels("model", model))
                    .append(' ')
                    .append(number(h.sum()))
                    .append('\n');
            s.append("nrt4j_execution_latency_seconds_count")
                    .append(labels("model", model))
                    .append(' ')
                    .append(h.count())
                    .append('\n');
        });

        header(
                s,
                "nrt4j_hbm_used_bytes",
                "gauge",
                "Device memory (HBM) in use on each NeuronCore, as the runtime counts it.");
        hbmBytesByCore.forEach((core, bytes) -> s.append("nrt4j_hbm_used_bytes")
                .append(labels("core", Integer.toString(core)))
                .append(' ')
                .append(bytes)
                .append('\n'));

        header(s, "nrt4j_request_errors_total", "counter", "Requests answered with an error, by HTTP status code.");
        new TreeMap<>(errors)
                .forEach((code, n) -> s.append("nrt4j_request_errors_total")
                        .append(labels("code", Integer.toString(code)))
                        .append(' ')
                        .append(n.sum())
                        .append('\n'));

        header(s, "nrt4j_requests_in_flight", "gauge", "Requests being handled now.");
        s.append("nrt4j_requests_in_flight ").append(inFlight.get()).append('\n');
        return s.toString();
    }

    private static void header(StringBuilder s, String name, String type, String help) {
        s.append("# HELP ").append(name).append(' ').append(help).append('\n');
        s.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** {@code {k1="v1",k2="v2"}} with values escaped as the format requires. */
    static String labels(String... keysAndValues) {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (i > 0) {
                s.append(',');
            }
            s.append(keysAndValues[i]).append("=\"");
            for (char c : keysAndValues[i + 1].toCharArray()) {
                switch (c) {
                    case '\\':
                        s.append("\\\\");
                        break;
                    case '"':
                        s.append("\\\"");
                        break;
                    case '\n':
                        s.append("\\n");
                        break;
                    default:
                        s.append(c);
                }
            }
            s.append('"');
        }
        return s.append('}').toString();
    }

    private static String number(double v) {
        // Prometheus parses either, but plain decimals ("0.0005", not "5.0E-4") are what people read in "le".
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15
                ? String.format(Locale.ROOT, "%.1f", v)
                : BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
