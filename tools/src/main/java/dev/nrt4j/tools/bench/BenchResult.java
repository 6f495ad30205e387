package dev.nrt4j.tools.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What one benchmark measured.
 *
 * @param model the model file
 * @param backend backend name
 * @param instanceType the instance it ran on
 * @param threads client threads
 * @param warmup executions per instance before measuring
 * @param seconds measured wall time
 * @param latency per execution, as a client thread saw it
 * @param cores per model instance
 */
record BenchResult(
        String model,
        String backend,
        String instanceType,
        int threads,
        int warmup,
        double seconds,
        LatencySummary latency,
        List<CoreResult> cores) {
    /**
     * One model instance's core.
     *
     * @param core the core's global id
     * @param executions measured executions on it
     * @param utilization share of the measured time the core was executing, from the driver's counters;
     *     empty when the machine's sysfs does not show the core
     */
    record CoreResult(int core, long executions, OptionalDouble utilization) {}

    /** Executions per second over all instances. */
    double throughput() {
        return latency.count() / seconds;
    }

    /** The {@code --json} form; field names are part of the command's contract with scripts. */
    Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model);
        out.put("backend", backend);
        out.put("instance_type", instanceType);
        out.put("cores", cores.stream().map(CoreResult::core).toList());
        out.put("threads", threads);
        out.put("warmup", warmup);
        out.put("executions", latency.count());
        out.put("duration_s", seconds);
        out.put("throughput_per_s", throughput());
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("min", latency.min());
        l.put("mean", latency.mean());
        l.put("p50", latency.p50());
        l.put("p90", latency.p90());
        l.put("p99", latency.p99());
        l.put("max", latency.max());
        out.put("latency_ms", l);
        out.put(
                "per_core",
                cores.stream()
                        .map(c -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("core", c.core());
                            m.put("executions", c.executions());
                            m.put(
                                    "utilization",
                                    c.utilization().isPresent()
                                            ? c.utilization().getAsDouble()
                                            : null);
                            return m;
                        })
                        .toList());
        return out;
    }
}
