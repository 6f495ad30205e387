package dev.nrt4j.tools.machine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host's CPU and memory counters at one moment, from {@code /proc}: CPU time per vCPU
 * ({@code /proc/stat}), context switches, memory and swap ({@code /proc/meminfo}), and the CPU time of
 * chosen processes ({@code /proc/<pid>/stat}). Two readings give shares of the time between them. Shares
 * are taken against the total CPU time {@code /proc/stat} counts, so no clock-tick size is assumed. On a
 * system without {@code /proc} everything reads as 0. Immutable.
 *
 * @param cpuTimes per CPU ({@code "cpu"} for all of them, then {@code "0"}, {@code "1"}, ...), its times in
 *     ticks: user, nice, system, idle, iowait, irq, softirq, steal
 * @param contextSwitches {@code ctxt}
 * @param memoryTotal {@code MemTotal} in bytes
 * @param memoryAvailable {@code MemAvailable} in bytes
 * @param swapTotal {@code SwapTotal} in bytes
 * @param swapFree {@code SwapFree} in bytes
 * @param processTimes per pid, [user ticks, system ticks]; processes that could not be read are absent
 */
public record HostUsage(
        Map<String, long[]> cpuTimes,
        long contextSwitches,
        long memoryTotal,
        long memoryAvailable,
        long swapTotal,
        long swapFree,
        Map<Long, long[]> processTimes) {
    private static final int FIELDS = 8;

    /** Reads {@code proc} now, with the CPU times of {@code pids}. */
    public static HostUsage read(Path proc, Collection<Long> pids) {
        Map<String, long[]> cpus = new LinkedHashMap<>();
        long ctxt = 0;
        for (String line : lines(proc.resolve("stat"))) {
            String[] f = line.trim().split("\\s+");
            if (f[0].startsWith("cpu")) {
                long[] t = new long[FIELDS];
                for (int i = 0; i < FIELDS && i + 1 < f.length; i++) {
                    t[i] = parse(f[i + 1]);
                }
                cpus.put(f[0].equals("cpu") ? "cpu" : f[0].substring(3), t);
            } else if (f[0].equals("ctxt") && f.length > 1) {
                ctxt = parse(f[1]);
            }
        }
        Map<String, Long> mem = new LinkedHashMap<>();
        for (String line : lines(proc.resolve("meminfo"))) {
            String[] f = line.trim().split("[:\\s]+");
            if (f.length >= 2) {
                // /proc/meminfo says kB and means KiB.
                mem.put(f[0], parse(f[1]) * 1024);
            }
        }
        Map<Long, long[]> processes = new LinkedHashMap<>();
        for (long pid : pids) {
            List<String> stat = lines(proc.resolve(Long.toString(pid)).resolve("stat"));
            if (!stat.isEmpty()) {
                // The command name may hold spaces and parentheses; the fields after its last ')' do not.
                String rest =
                        stat.get(0).substring(stat.get(0).lastIndexOf(')') + 1).trim();
                String[] f = rest.split("\\s+");
                // After the name: state(3) ... utime(14) stime(15), so indices 11 and 12 here.
                if (f.length > 12) {
                    processes.put(pid, new long[] {parse(f[11]), parse(f[12])});
                }
            }
        }
        return new HostUsage(
                cpus,
                ctxt,
                mem.getOrDefault("MemTotal", 0L),
                mem.getOrDefault("MemAvailable", 0L),
                mem.getOrDefault("SwapTotal", 0L),
                mem.getOrDefault("SwapFree", 0L),
                processes);
    }

    /** The vCPUs {@code /proc/stat} lists, not counting the {@code "cpu"} total. */
    public int cpuCount() {
        return (int) cpuTimes.keySet().stream().filter(k -> !k.equals("cpu")).count();
    }

    /** Memory in use: total less available. */
    public long memoryUsed() {
        return Math.max(0, memoryTotal - memoryAvailable);
    }

    /** Swap in use. */
    public long swapUsed() {
        return Math.max(0, swapTotal - swapFree);
    }

    /**
     * How CPU {@code cpu} ({@code "cpu"} for all) spent the time since {@code earlier}, in percent; all 0
     * when it is unknown or no time passed.
     */
    public CpuShare cpuShare(HostUsage earlier, String cpu) {
        long[] now = cpuTimes.get(cpu);
        long[] then = earlier.cpuTimes.get(cpu);
        if (now == null || then == null) {
            return CpuShare.NONE;
        }
        long[] d = new long[FIELDS];
        long total = 0;
        for (int i = 0; i < FIELDS; i++) {
            d[i] = Math.max(0, now[i] - then[i]);
            total += d[i];
        }
        if (total == 0) {
            return CpuShare.NONE;
        }
        double t = total;
        return new CpuShare(
                100 * d[0] / t,
                100 * d[1] / t,
                100 * d[2] / t,
                100 * d[3] / t,
                100 * d[4] / t,
                100 * d[5] / t,
                100 * d[6] / t);
    }

    /**
     * The share of the whole host's CPU time since {@code earlier} that the processes {@code pids} used,
     * in percent: [user, system]. A process missing from either reading counts nothing.
     */
    public double[] processShare(HostUsage earlier, Collection<Long> pids) {
        long[] now = cpuTimes.get("cpu");
        long[] then = earlier.cpuTimes.get("cpu");
        if (now == null || then == null) {
            return new double[2];
        }
        long total = 0;
        for (int i = 0; i < FIELDS; i++) {
            total += Math.max(0, now[i] - then[i]);
        }
        long user = 0;
        long system = 0;
        for (long pid : pids) {
            long[] a = processTimes.get(pid);
            long[] b = earlier.processTimes.get(pid);
            if (a != null && b != null) {
                user += Math.max(0, a[0] - b[0]);
                system += Math.max(0, a[1] - b[1]);
            }
        }
        if (total == 0) {
            return new double[2];
        }
        return new double[] {Math.min(100, 100.0 * user / total), Math.min(100, 100.0 * system / total)};
    }

    /** Context switches since {@code earlier}. */
    public long contextSwitchesSince(HostUsage earlier) {
        return Math.max(0, contextSwitches - earlier.contextSwitches);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            // No /proc (not Linux), or the process just ended: nothing to count.
            return List.of();
        }
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
