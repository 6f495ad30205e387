package dev.nrt4j.tools.machine;

/**
 * How a CPU (or all of them) spent a stretch of time, each in percent of it, as {@code /proc/stat}
 * splits it (steal time is counted in the whole but not shown).
 */
public record CpuShare(
        double user, double nice, double system, double idle, double ioWait, double irq, double softIrq) {
    /** Nothing known. */
    public static final CpuShare NONE = new CpuShare(0, 0, 0, 0, 0, 0, 0);

    /** User time as the neuron-monitor Prometheus exporter groups it: user and nice. */
    public double userTotal() {
        return user + nice;
    }

    /** System time as the neuron-monitor Prometheus exporter groups it: system, iowait, irq and softirq. */
    public double systemTotal() {
        return system + ioWait + irq + softIrq;
    }
}
