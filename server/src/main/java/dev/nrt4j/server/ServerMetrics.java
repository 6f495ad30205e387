package dev.nrt4j.server;

import dev.nrt4j.MemoryUsage;
import dev.nrt4j.NeuronCore;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.pool.ModelPool;
import dev.nrt4j.pool.PoolStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's counters, and {@code /metrics} in the Prometheus text format: Triton's per-model series
 * ({@code nv_inference_*}, labels {@code model} and {@code version}), so that dashboards made for Triton
 * work, and nrt4j's own ({@code nrt4j_*}). Thread-safe: counters are lock-free; a scrape taken while
 * requests run may be off by those in flight.
 */
final class ServerMetrics {
    /** Requests and their time as the server sees them, per model; kept across reloads of the model. */
    private static final class PerModel {
        final LongAdder success = new LongAdder();
        final LongAdder failure = new LongAdder();
        final LongAdder requestNanos = new LongAdder();
        /** The counts of pools unloaded since, so that Triton's counters never go down. */
        final LongAdder pastInferences = new LongAdder();

        final LongAdder pastExecutions = new LongAdder();
        final LongAdder pastQueueNanos = new LongAdder();
        final LongAdder pastComputeNanos = new LongAdder();
    }

    private final Map<String, PerModel> models = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> responses = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger inferring = new AtomicInteger();
    /** Busy time of unloaded pools, by core, so that the busy counters never go down. */
    private final Map<Integer, LongAdder> pastBusyNanos = new ConcurrentHashMap<>();
    /** The previous scrape's time and busy totals, from which the utilisation gauge is taken. */
    private long lastScrapeNanos = System.nanoTime();

    private Map<Integer, Long> lastBusyNanos = Map.of();

    private PerModel of(String model) {
        return models.computeIfAbsent(model, m -> new PerModel());
    }

    void inferSucceeded(String model, long nanos) {
        PerModel m = of(model);
        m.success.increment();
        m.requestNanos.add(nanos);
    }

    void inferFailed(String model) {
        of(model).failure.increment();
    }

    void responded(int status) {
        responses.computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    /** HTTP requests being handled, of any route. */
    AtomicInteger inFlight() {
        return inFlight;
    }

    /** Inference requests past the shutdown check: those a drain waits for. */
    AtomicInteger inferring() {
        return inferring;
    }

    /** Keeps an unloaded pool's counts. */
    void retire(String model, ModelPool pool) {
        PoolStats s = pool.stats();
        PerModel m = of(model);
        m.pastInferences.add(s.inferences());
        m.pastExecutions.add(s.executions());
        m.pastQueueNanos.add(s.queueNanos());
        m.pastComputeNanos.add(s.computeNanos());
        s.busyNanosByCore()
                .forEach((core, nanos) -> pastBusyNanos
                        .computeIfAbsent(core, c -> new LongAdder())
                        .add(nanos));
    }

    /**
     * The exposition, for the models loaded now and those served before, and the device memory of each
     * of {@code runtime}'s cores ({@link NeuronRuntime#memoryUsage}).
     */
    String scrape(Iterable<ModelRegistry.Entry> loaded, NeuronRuntime runtime) {
        Map<String, ModelPool> pools = new TreeMap<>();
        loaded.forEach(e -> pools.put(e.name(), e.pool()));
        Map<String, PerModel> all = new TreeMap<>(models);
        pools.keySet().forEach(n -> all.putIfAbsent(n, of(n)));
        StringBuilder s = new StringBuilder(4096);
        series(
                s,
                "nv_inference_request_success",
                "Inference requests that succeeded, per model.",
                all,
                pools,
                (m, p) -> m.success.sum());
        series(
                s,
                "nv_inference_request_failure",
                "Inference requests that failed, per model.",
                all,
                pools,
                (m, p) -> m.failure.sum());
        series(
                s,
                "nv_inference_count",
                "Inferences performed (a batch of N requests' rows counts N; padding does not count).",
                all,
                pools,
                (m, p) -> m.pastInferences.sum() + (p == null ? 0 : p.inferences()));
        series(
                s,
                "nv_inference_exec_count",
                "Model executions performed (one per batch).",
                all,
                pools,
                (m, p) -> m.pastExecutions.sum() + (p == null ? 0 : p.executions()));
        series(
                s,
                "nv_inference_request_duration_us",
                "Cumulative time of successful inference requests, from receipt to response, in microseconds.",
                all,
                pools,
                (m, p) -> m.requestNanos.sum() / 1000);
        series(
                s,
                "nv_inference_queue_duration_us",
                "Cumulative time requests waited for a model instance, in microseconds.",
                all,
                pools,
                (m, p) -> (m.pastQueueNanos.sum() + (p == null ? 0 : p.queueNanos())) / 1000);
        series(
                s,
                "nv_inference_compute_infer_duration_us",
                "Cumulative time of the executions requests were part of, in microseconds.",
                all,
                pools,
                (m, p) -> (m.pastComputeNanos.sum() + (p == null ? 0 : p.computeNanos())) / 1000);

        PrometheusText.appendHeader(
                s, "nrt4j_model_instances", "gauge", "Instances of each loaded model, one per NeuronCore.");
        pools.forEach((n, p) -> p.cores()
                .forEach(core -> s.append("nrt4j_model_instances{model=\"")
                        .append(PrometheusText.labelValue(n))
                        .append("\",core=\"")
                        .append(core)
                        .append("\"} 1\n")));
        PrometheusText.appendHeader(
                s, "nrt4j_queue_depth", "gauge", "Requests waiting for an instance of each model now.");
        pools.forEach((n, p) -> s.append("nrt4j_queue_depth{model=\"")
                .append(PrometheusText.labelValue(n))
                .append("\"} ")
                .append(p.queued())
                .append('\n'));
        PrometheusText.appendHeader(s, "nrt4j_requests_in_flight", "gauge", "HTTP requests being handled now.");
        s.append("nrt4j_requests_in_flight ").append(inFlight.get()).append('\n');
        PrometheusText.appendHeader(
                s,
                "nrt4j_device_memory_used_bytes",
                "gauge",
                "Device memory in use on each NeuronCore the server holds.");
        List<NeuronCore> cores = runtime.cores();
        List<MemoryUsage> usage = new ArrayList<>(cores.size());
        for (NeuronCore core : cores) {
            usage.add(runtime.memoryUsage(core.index()));
        }
        for (int i = 0; i < cores.size(); i++) {
            s.append("nrt4j_device_memory_used_bytes{core=\"")
                    .append(cores.get(i).index())
                    .append("\"} ")
                    .append(usage.get(i).usedBytes())
                    .append('\n');
        }
        PrometheusText.appendHeader(
                s,
                "nrt4j_device_memory_limit_bytes",
                "gauge",
                "Device memory each NeuronCore the server holds may use.");
        for (int i = 0; i < cores.size(); i++) {
            s.append("nrt4j_device_memory_limit_bytes{core=\"")
                    .append(cores.get(i).index())
                    .append("\"} ")
                    .append(usage.get(i).limitBytes())
                    .append('\n');
        }
        busy(s, cores, pools);
        PrometheusText.appendHeader(s, "nrt4j_http_responses_total", "counter", "HTTP responses sent, by status code.");
        new TreeMap<>(responses)
                .forEach((code, n) -> s.append("nrt4j_http_responses_total{code=\"")
                        .append(code)
                        .append("\"} ")
                        .append(n.sum())
                        .append('\n'));
        return s.toString();
    }

    /**
     * Per core: the busy-time counter, and the busy fraction since the previous scrape (what Triton's
     * {@code nv_gpu_utilization} gives for a GPU; from the counter, {@code rate()} gives it over any window).
     */
    private synchronized void busy(StringBuilder s, List<NeuronCore> cores, Map<String, ModelPool> pools) {
        long now = System.nanoTime();
        Map<Integer, Long> busy = new TreeMap<>();
        cores.forEach(c -> busy.put(c.index(), 0L));
        pastBusyNanos.forEach((core, nanos) -> busy.merge(core, nanos.sum(), Long::sum));
        pools.values()
                .forEach(p -> p.stats().busyNanosByCore().forEach((core, nanos) -> busy.merge(core, nanos, Long::sum)));
        PrometheusText.appendHeader(
                s, "nrt4j_core_busy_seconds_total", "counter", "Time each NeuronCore spent executing models.");
        busy.forEach((core, nanos) -> s.append("nrt4j_core_busy_seconds_total{core=\"")
                .append(core)
                .append("\"} ")
                .append(nanos / 1e9)
                .append('\n'));
        PrometheusText.appendHeader(
                s,
                "nrt4j_core_utilization_ratio",
                "gauge",
                "Fraction of the time since the previous scrape each NeuronCore spent executing models.");
        long wall = Math.max(1, now - lastScrapeNanos);
        busy.forEach((core, nanos) -> {
            long grew = Math.max(0, nanos - lastBusyNanos.getOrDefault(core, 0L));
            s.append("nrt4j_core_utilization_ratio{core=\"")
                    .append(core)
                    .append("\"} ")
                    .append(Math.min(1.0, (double) grew / wall))
                    .append('\n');
        });
        lastScrapeNanos = now;
        lastBusyNanos = busy;
    }

    private interface Value {
        long of(PerModel m, PoolStats pool);
    }

    private static void series(
            StringBuilder s,
            String name,
            String help,
            Map<String, PerModel> all,
            Map<String, ModelPool> pools,
            Value v) {
        PrometheusText.appendHeader(s, name, "counter", help);
        all.forEach((model, m) -> {
            ModelPool p = pools.get(model);
            s.append(name)
                    .append("{model=\"")
                    .append(PrometheusText.labelValue(model))
                    .append("\",version=\"")
                    .append(ModelRegistry.VERSION)
                    .append("\"} ")
                    .append(v.of(m, p == null ? null : p.stats()))
                    .append('\n');
        });
    }
}
