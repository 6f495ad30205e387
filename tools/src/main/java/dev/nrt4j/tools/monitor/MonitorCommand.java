package dev.nrt4j.tools.monitor;

import dev.nrt4j.device.driver.SystemRoot;
import dev.nrt4j.spi.DriverViews;
import dev.nrt4j.tools.RuntimeSelection;
import dev.nrt4j.tools.machine.LogicalCores;
import dev.nrt4j.tools.machine.MachineReading;
import dev.nrt4j.tools.machine.ReadWarnings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code nrt4j monitor}: neuron-monitor for nrt4j. Prints one compact JSON report per line (NDJSON), one
 * per period, each covering the time since the previous one (the first, the first period), with
 * neuron-monitor's field names; see {@link MonitorReport}. With {@code -c}, neuron-monitor's config chooses
 * the groups, runtimes and periods ({@link MonitorConfig}, {@link MonitorSchedule}); with {@code
 * --prometheus-port} it also serves neuron-monitor-prometheus's metrics ({@link PrometheusExposition}). Runs until stopped, or
 * for {@code --count} reports. Reports are timed from the start, so they do not drift by the time each takes
 * to write.
 */
@Command(
        name = "monitor",
        mixinStandardHelpOptions = true,
        description = "Print neuron-monitor-style JSON reports (one per line) of per-process and system metrics.")
public final class MonitorCommand implements Callable<Integer> {
    @Mixin
    RuntimeSelection selection;

    @Option(
            names = "--period",
            paramLabel = "S",
            defaultValue = "5",
            description = "Seconds between reports, decimals allowed, e.g. 0.5 or 5s (default ${DEFAULT-VALUE});"
                    + " with -c, the period where the config gives none.")
    String period;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N reports (default: run until stopped).")
    Long count;

    @Option(
            names = {"-c", "--config-file"},
            paramLabel = "FILE",
            description = "A neuron-monitor JSON config: period, neuron_runtimes[] (tag_filter, metrics[]) and"
                    + " system_metrics[]; only the groups it names are reported, each at its own period"
                    + " (default: every group every --period).")
    Path config;

    @Option(
            names = "--prometheus-port",
            paramLabel = "N",
            description = "Also serve neuron-monitor-prometheus's metrics at http://ADDR:N/metrics, refreshed with"
                    + " each report (0: any free port).")
    Integer prometheusPort;

    @Option(
            names = "--prometheus-bind",
            paramLabel = "ADDR",
            defaultValue = "127.0.0.1",
            description = "The address --prometheus-port listens on (default ${DEFAULT-VALUE}: this host only;"
                    + " 0.0.0.0 for every interface).")
    String prometheusBind;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        long periodMillis = MonitorPeriod.millis(period)
                .orElseThrow(() -> new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--period takes seconds of at least 0.01, like 5, 0.5 or 5s; not '" + period + "'"));
        if (count != null && count < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count must be at least 1, not " + count);
        }
        if (prometheusPort != null && (prometheusPort < 0 || prometheusPort > 65535)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--prometheus-port takes a TCP port from 0 to 65535, not " + prometheusPort);
        }
        MonitorConfig plan =
                config == null ? MonitorConfig.everything(periodMillis) : MonitorConfig.read(config, periodMillis);
        SystemRoot root = DriverViews.of(selection.toOptions());
        PrintWriter out = spec.commandLine().getOut();
        JsonMapper json = JsonMapper.builder().build();
        ReadWarnings warnings = new ReadWarnings(spec.commandLine().getErr());
        PrometheusExposition exposition = prometheusPort == null ? null : new PrometheusExposition();
        AutoCloseable endpoint = exposition == null ? null : serve(exposition);
        try {
            MachineReading first = MachineReading.take(root, warnings);
            // The schedule starts at the first reading, not before it: on a slow machine a reading can take
            // a good part of a period, and the first report would otherwise cover less than its period.
            long start = System.nanoTime();
            int lnc = lnc(first);
            MonitorSchedule schedule = new MonitorSchedule(plan, first);
            for (long n = 1; count == null || n <= count; n++) {
                long wait = start + TimeUnit.MILLISECONDS.toNanos(schedule.nextMillis()) - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                MachineReading later = MachineReading.take(root, warnings);
                ObjectNode report = MonitorReport.of(later, lnc, schedule.plan());
                schedule.reported(later);
                if (exposition != null) {
                    exposition.accept(report);
                }
                out.println(json.writeValueAsString(report));
                out.flush();
                if (out.checkError()) {
                    // The reader went away (e.g. `| head`): nothing left to report to.
                    return 0;
                }
            }
        } finally {
            if (endpoint != null) {
                endpoint.close();
            }
        }
        return 0;
    }

    /** Starts the Prometheus endpoint and says where on stderr (the port may have been chosen). */
    private AutoCloseable serve(PrometheusExposition exposition) {
        PrometheusEndpoint endpoint = PrometheusEndpoint.start(prometheusBind, prometheusPort, exposition::scrape);
        PrintWriter err = spec.commandLine().getErr();
        String host = prometheusBind.contains(":") ? "[" + prometheusBind + "]" : prometheusBind;
        err.println("nrt4j monitor: Prometheus metrics at http://" + host + ":" + endpoint.port() + "/metrics");
        err.flush();
        return endpoint;
    }

    private int lnc(MachineReading reading) {
        try {
            return LogicalCores.chooseLnc(reading.machine(), selection.lnc());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
