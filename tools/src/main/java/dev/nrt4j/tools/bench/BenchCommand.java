package dev.nrt4j.tools.bench;

import dev.nrt4j.HostTensor;
import dev.nrt4j.LoadOptions;
import dev.nrt4j.Model;
import dev.nrt4j.NeuronCore;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import dev.nrt4j.TensorSet;
import dev.nrt4j.device.driver.SystemRoot;
import dev.nrt4j.spi.DriverViews;
import dev.nrt4j.tools.CoreRanges;
import dev.nrt4j.tools.ExecutionTimeout;
import dev.nrt4j.tools.ModelArgument;
import dev.nrt4j.tools.ModelInputs;
import dev.nrt4j.tools.ProfileOption;
import dev.nrt4j.tools.RuntimeSelection;
import dev.nrt4j.tools.machine.MachineSnapshot;
import dev.nrt4j.tools.machine.ReadWarnings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code nrt4j bench MODEL}: loads one instance of a model per chosen core, warms each up, then has
 * client threads execute them (thread {@code t} drives instance {@code t mod instances}) for a number
 * of executions or a time, and reports latency percentiles, throughput and how busy each core was
 * (from the driver's counters, so the figure is the device's view, not the clients').
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure a model's latency (p50/p90/p99/max) and throughput on one or more cores.")
public final class BenchCommand implements Callable<Integer> {

    @Mixin
    RuntimeSelection selection;

    @Mixin
    ExecutionTimeout timeout;

    @Mixin
    ProfileOption profile;

    @Mixin
    ModelArgument modelArgument;

    @Option(
            names = "--warmup",
            paramLabel = "N",
            defaultValue = "10",
            description = "Executions per instance before measuring (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--iterations",
            paramLabel = "N",
            defaultValue = "100",
            description =
                    "Measured executions over all threads, shared out evenly (default ${DEFAULT-VALUE}); ignored with --duration.")
    long iterations;

    @Option(
            names = "--duration",
            paramLabel = "SECONDS",
            description = "Measure for this long instead of a number of executions.")
    Double duration;

    @Option(names = "--threads", paramLabel = "T", description = "Client threads (default: one per instance).")
    Integer threads;

    @Option(
            names = "--cores",
            paramLabel = "SET",
            description =
                    "Logical cores to load one instance each on, as NEURON_RT_VISIBLE_CORES (e.g. 0-3); they are claimed unless --visible-cores says otherwise. Default: the runtime's first core.")
    String cores;

    @Option(
            names = "--input",
            paramLabel = "NAME=FILE.npy",
            description = "An input from a .npy file (repeatable); the others get seeded random data.")
    Map<String, Path> inputs = new LinkedHashMap<>();

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "1",
            description = "Seed for the random inputs (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (warmup < 0 || iterations < 1 || (duration != null && !(duration > 0)) || (threads != null && threads < 1)) {
            throw new NeuronException(
                    Status.INVALID,
                    "bench " + modelArgument.path(),
                    "--warmup must be 0 or more, --iterations, --duration and --threads more than 0");
        }
        RuntimeOptions.Builder options = selection.toOptions().toBuilder();
        if (cores != null && selection.toOptions().visibleCores().isEmpty()) {
            options.visibleCores(cores);
        }
        RuntimeOptions opts = profile.applyTo(timeout.applyTo(options.build(), "bench " + modelArgument.path()));
        try (NeuronRuntime rt = NeuronRuntime.open(opts)) {
            List<NeuronCore> used = cores == null ? List.of(rt.cores().get(0)) : rt.cores();
            List<Model> instances = new ArrayList<>();
            for (NeuronCore c : used) {
                instances.add(rt.load(modelArgument.source(), LoadOptions.onCore(c.index())));
            }
            Map<String, HostTensor> data =
                    ModelInputs.prepare(instances.get(0), modelArgument.path(), inputs, true, seed);
            int clients = threads == null ? instances.size() : threads;
            BenchResult result = measure(rt, opts, used, instances, data, clients);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(JsonMapper.builder()
                        .build()
                        .writerWithDefaultPrettyPrinter()
                        .writeValueAsString(result.toJson()));
            } else {
                print(result, out);
            }
            out.flush();
        }
        if (!json) {
            // After close, when the trace is complete; --json keeps its output one JSON document.
            PrintWriter out = spec.commandLine().getOut();
            profile.printSummary(out);
            out.flush();
        }
        return 0;
    }

    private BenchResult measure(
            NeuronRuntime rt,
            RuntimeOptions opts,
            List<NeuronCore> used,
            List<Model> instances,
            Map<String, HostTensor> data,
            int clients)
            throws InterruptedException {
        for (Model m : instances) {
            try (TensorSet in = m.allocateInputs();
                    TensorSet out = m.allocateOutputs()) {
                fill(in, data);
                for (int i = 0; i < warmup; i++) {
                    m.execute(in, out);
                }
            }
        }
        SystemRoot machine = DriverViews.of(rt.backend().name(), opts);
        ReadWarnings warnings = new ReadWarnings(spec.commandLine().getErr());
        MachineSnapshot before = snapshot(machine, warnings);
        AtomicLong remaining = new AtomicLong(duration == null ? iterations : Long.MAX_VALUE);
        long start = System.nanoTime();
        long deadline = duration == null ? Long.MAX_VALUE : start + (long) (duration * 1e9);
        AtomicLongArray perInstance = new AtomicLongArray(instances.size());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<long[]> samples = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            int instance = t % instances.size();
            // Each thread runs its share of the iterations, so every instance is measured however the threads are
            // scheduled.
            long quota = duration != null ? Long.MAX_VALUE : iterations / clients + (t < iterations % clients ? 1 : 0);
            long[][] mine = {new long[1024]};
            int[] count = {0};
            Thread w = new Thread(
                    () -> {
                        Model m = instances.get(instance);
                        try (TensorSet in = m.allocateInputs();
                                TensorSet out = m.allocateOutputs()) {
                            fill(in, data);
                            for (long done = 0;
                                    done < quota && failure.get() == null && System.nanoTime() < deadline;
                                    done++) {
                                remaining.decrementAndGet();
                                long t0 = System.nanoTime();
                                m.execute(in, out);
                                long took = System.nanoTime() - t0;
                                if (count[0] == mine[0].length) {
                                    mine[0] = java.util.Arrays.copyOf(mine[0], count[0] * 2);
                                }
                                mine[0][count[0]++] = took;
                                perInstance.incrementAndGet(instance);
                            }
                        } catch (RuntimeException | Error e) {
                            failure.compareAndSet(null, e);
                        }
                        synchronized (samples) {
                            samples.add(java.util.Arrays.copyOf(mine[0], count[0]));
                        }
                    },
                    "nrt4j-bench-" + t);
            workers.add(w);
            w.start();
        }
        Progress progress = new Progress(
                spec.commandLine().getErr(), start, deadline, duration == null ? iterations : 0, remaining);
        for (Thread w : workers) {
            while (w.isAlive()) {
                w.join(200);
                progress.update();
            }
        }
        long elapsed = System.nanoTime() - start;
        progress.finish();
        if (failure.get() != null) {
            Throwable f = failure.get();
            if (f instanceof NeuronException) {
                throw (NeuronException) f;
            }
            throw new NeuronException(Status.FAILURE, "bench " + modelArgument.path(), "an execution failed: " + f);
        }
        long[] all = samples.stream().flatMapToLong(java.util.Arrays::stream).toArray();
        // The driver's counters are written periodically; give the last executions time to show.
        Thread.sleep(300);
        MachineSnapshot after = snapshot(machine, warnings);
        List<BenchResult.CoreResult> perCore = new ArrayList<>();
        for (int i = 0; i < used.size(); i++) {
            NeuronCore c = used.get(i);
            // The snapshots bracket the run with idle time around it: a share of the measured time, not of theirs.
            OptionalDouble busy = before == null || after == null
                    ? OptionalDouble.empty()
                    : after.utilization(before, c.device(), c.physicalCores(), elapsed);
            perCore.add(new BenchResult.CoreResult(c.globalId(), perInstance.get(i), busy));
        }
        return new BenchResult(
                modelArgument.path().getFileName().toString(),
                rt.backend().name(),
                rt.backend().instanceType(),
                clients,
                warmup,
                elapsed / 1e9,
                LatencySummary.ofNanos(all),
                perCore);
    }

    private static MachineSnapshot snapshot(SystemRoot machine, ReadWarnings warnings) {
        try {
            return MachineSnapshot.take(machine, warnings);
        } catch (RuntimeException e) {
            // Utilization is a bonus: a machine whose sysfs cannot be read still gets latencies.
            return null;
        }
    }

    private static void fill(TensorSet in, Map<String, HostTensor> data) {
        data.forEach((name, t) -> in.get(name).write(t));
    }

    private static void print(BenchResult r, PrintWriter out) {
        List<Integer> ids = r.cores().stream().map(BenchResult.CoreResult::core).toList();
        out.printf(
                Locale.ROOT,
                "model: %s on %s (%s), %d instance%s on core%s %s, %d thread%s%n",
                r.model(),
                r.backend(),
                r.instanceType(),
                ids.size(),
                ids.size() == 1 ? "" : "s",
                ids.size() == 1 ? "" : "s",
                CoreRanges.format(ids),
                r.threads(),
                r.threads() == 1 ? "" : "s");
        out.printf(
                Locale.ROOT,
                "warm-up: %d executions per instance; measured: %d executions in %.3f s%n",
                r.warmup(),
                r.latency().count(),
                r.seconds());
        LatencySummary l = r.latency();
        out.printf(
                Locale.ROOT,
                "latency (ms): min %.3f  mean %.3f  p50 %.3f  p90 %.3f  p99 %.3f  max %.3f%n",
                l.min(),
                l.mean(),
                l.p50(),
                l.p90(),
                l.p99(),
                l.max());
        out.printf(Locale.ROOT, "throughput: %.1f executions/s%n", r.throughput());
        out.println("core  executions  utilization");
        for (BenchResult.CoreResult c : r.cores()) {
            out.printf(
                    Locale.ROOT,
                    "%-5d %-11d %s%n",
                    c.core(),
                    c.executions(),
                    c.utilization().isPresent()
                            ? String.format(
                                    Locale.ROOT, "%.1f%%", 100 * c.utilization().getAsDouble())
                            : "n/a");
        }
    }
}
