package dev.nrt4j.tools.top;

import dev.nrt4j.tools.TerminalText;
import dev.nrt4j.tools.machine.CpuShare;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lays a {@link TopFrame} out as lines of plain text in neuron-top's order: title, the utilization grid
 * (a row per device, a column per logical core), vCPU use, the memory summary, the memory details tree
 * (device, core, then the models on it and the core's memory by category), the processes. A range of
 * devices is shown at a time, so a machine of 16 devices pages through them in a small terminal.
 * Stateless.
 */
final class TopRenderer {
    /** The keys of the full-screen view, as its bottom line lists them. */
    static final String KEYS = "q: quit   a/d: previous/next tab   1-9: select tab   f: FLOPS on/off"
            + "   PgUp/PgDn: previous/next devices   Home/End: first/last devices";
    /** What a tab says of its process at most, so several fit on a line. */
    private static final int TAB_NAME = 24;

    private static final int LABEL = 6;
    private static final int SUMMARY_LABEL = 20;
    private static final int BRACKET = 10;
    /** {@code [ 10.004TF] }: a figure of 7 places and a unit of two letters, brackets and a space. */
    private static final int FLOPS_BRACKET = 12;

    private static final int MODEL_ID = 10;
    private static final int DEVICE_MEMORY = 16;
    private static final int HOST_MEMORY = 14;

    private TopRenderer() {}

    /** Every section for devices {@code first .. first+count-1} (positions in the frame), each line at most {@code width} wide, utilization in the grid. */
    static List<String> render(TopFrame f, int width, int first, int count) {
        return render(f, width, first, count, false);
    }

    /**
     * Every section for devices {@code first .. first+count-1} (positions in the frame), each line at most
     * {@code width} wide; the grid shows each core's FLOP/s when {@code flops}, else its utilization.
     */
    static List<String> render(TopFrame f, int width, int first, int count, boolean flops) {
        List<TopFrame.DeviceView> shown = f.devices()
                .subList(
                        Math.min(first, f.devices().size()),
                        Math.min(f.devices().size(), first + count));
        List<String> out = new ArrayList<>();
        out.add(f.title());
        out.add("");
        grid(f, shown, width, flops, out);
        out.add("");
        out.add("vCPU Utilization");
        CpuShare cpu = f.systemCpu();
        out.add(cpuRow("System vCPU Usage", cpu.userTotal(), cpu.systemTotal(), width));
        out.add(cpuRow("Runtime vCPU Usage", f.runtimeCpu()[0], f.runtimeCpu()[1], width));
        out.add("");
        out.add("Memory Usage Summary");
        summary("Host Used Memory", f.hostMemory(), width, out);
        summary("Device Used Memory", f.deviceMemory(), width, out);
        out.add(String.format(
                Locale.ROOT,
                "%-20sUsed: %s  Total: %s",
                "System Memory",
                MemorySize.format(f.systemMemoryUsed()),
                MemorySize.format(f.systemMemoryTotal())));
        out.add("");
        details(shown, width, out);
        out.add("");
        apps(f, width, out);
        List<String> clipped = new ArrayList<>();
        for (String line : out) {
            clipped.add(line.length() > width ? line.substring(0, width) : line);
        }
        return clipped;
    }

    /**
     * Where each page of devices starts (positions in the frame) when a page must fit {@code height}
     * lines with the key line below: as many devices as fit, at least one, so a tiny terminal still shows
     * something. Always holds 0.
     */
    static List<Integer> pageStarts(TopFrame f, int width, int height) {
        List<Integer> starts = new ArrayList<>();
        int first = 0;
        do {
            starts.add(first);
            first += devicesFitting(f, width, height, first);
        } while (first < f.devices().size());
        return starts;
    }

    private static int devicesFitting(TopFrame f, int width, int height, int first) {
        int left = f.devices().size() - first;
        for (int n = left; n > 1; n--) {
            if (render(f, width, first, n).size() + 1 <= height) {
                return n;
            }
        }
        return 1;
    }

    /** The bottom line: which devices are shown, then the keys (first, so a narrow terminal cuts keys, not the range). */
    static String keyLine(TopFrame f, int first, int count, int width) {
        int total = f.devices().size();
        String where = total == 0
                ? "no devices"
                : count == 1
                        ? "ND" + f.devices().get(first).device() + " of " + total
                        : "ND" + f.devices().get(first).device() + "-ND"
                                + f.devices().get(first + count - 1).device() + " of " + total;
        String line = "[" + where + "]   " + KEYS;
        return line.length() > width ? line.substring(0, width) : line;
    }

    private static void grid(TopFrame f, List<TopFrame.DeviceView> shown, int width, boolean flops, List<String> out) {
        if (flops) {
            out.add(String.format(
                    Locale.ROOT,
                    "NeuronCore %s FLOPS (Avg: %s | Total: %s)",
                    f.coreVersion(),
                    FlopRate.format(f.averageFlops()),
                    FlopRate.format(f.totalFlops())));
        } else {
            out.add(String.format(
                    Locale.ROOT,
                    "NeuronCore %s Utilization (Avg: %.2f%%)",
                    f.coreVersion(),
                    100 * f.averageUtilization()));
        }
        int columns = shown.stream().mapToInt(d -> d.cores().size()).max().orElse(0);
        if (columns == 0) {
            out.add("(no Neuron devices)");
            return;
        }
        int bracket = flops ? FLOPS_BRACKET : BRACKET;
        int cell = Math.max(bracket, (width - LABEL) / columns);
        StringBuilder header = new StringBuilder(" ".repeat(LABEL));
        for (int c = 0; c < columns; c++) {
            header.append(pad("NC" + c, cell));
        }
        out.add(header.toString().stripTrailing());
        for (TopFrame.DeviceView d : shown) {
            StringBuilder row = new StringBuilder(pad("ND" + d.device(), LABEL));
            for (TopFrame.CoreView c : d.cores()) {
                int barWidth = cell - bracket;
                if (!c.known()) {
                    // The tab's process publishes no record: which cores it uses and how much is unknown.
                    row.append(" ".repeat(barWidth)).append(flops ? "[      n/a] " : "[   n/a ] ");
                } else if (flops) {
                    // A figure, no bar: a FLOP rate has no 100% to fill a bar against.
                    row.append(" ".repeat(barWidth))
                            .append('[')
                            .append(FlopRate.format(c.flops()))
                            .append("] ");
                } else {
                    int bars = (int) Math.round(c.utilization() * barWidth);
                    row.append("|".repeat(bars))
                            .append(" ".repeat(barWidth - bars))
                            .append(String.format(Locale.ROOT, "[%6.2f%%] ", 100 * c.utilization()));
                }
            }
            out.add(row.toString().stripTrailing());
        }
    }

    private static String cpuRow(String label, double user, double system, int width) {
        int barWidth = Math.max(0, Math.min(60, width - 22 - 20));
        int bars = (int) Math.round(Math.min(100, user + system) / 100 * barWidth);
        return String.format(
                Locale.ROOT,
                "%-20s %s%s [%6.2f%%, %6.2f%%]",
                label,
                "|".repeat(bars),
                " ".repeat(barWidth - bars),
                user,
                system);
    }

    /** {@code label  Total: x  Tensors: y ...}, continued on indented lines where it would not fit. */
    private static void summary(String label, Map<String, Long> sizes, int width, List<String> out) {
        StringBuilder line = new StringBuilder(pad(label, SUMMARY_LABEL));
        boolean empty = true;
        for (Map.Entry<String, Long> e : sizes.entrySet()) {
            String item = e.getKey() + ": " + MemorySize.format(e.getValue());
            if (!empty && line.length() + 2 + item.length() > width) {
                out.add(line.toString());
                line = new StringBuilder(" ".repeat(SUMMARY_LABEL));
                empty = true;
            }
            line.append(empty ? "" : "  ").append(item);
            empty = false;
        }
        out.add(line.toString());
    }

    private static void details(List<TopFrame.DeviceView> shown, int width, List<String> out) {
        int label = Math.max(24, width - MODEL_ID - DEVICE_MEMORY - HOST_MEMORY);
        out.add(pad("Memory Usage Details", label)
                + alignRight("Model ID", MODEL_ID)
                + alignRight("Device Memory", DEVICE_MEMORY)
                + alignRight("Host Memory", HOST_MEMORY));
        for (TopFrame.DeviceView d : shown) {
            boolean used = d.cores().stream().anyMatch(TopRenderer::inUse);
            String name = String.format(Locale.ROOT, "ND%2d", d.device());
            out.add(row(
                    (used ? "[-] " : "[+] ") + name,
                    "",
                    MemorySize.format(d.deviceMemory()),
                    MemorySize.format(d.hostMemory()),
                    label));
            if (!used) {
                continue;
            }
            for (TopFrame.CoreView c : d.cores()) {
                boolean open = inUse(c);
                out.add(row(
                        "    " + (open ? "[-] " : "[+] ") + "NC " + c.indexOnDevice(),
                        "",
                        MemorySize.format(c.deviceMemory()),
                        MemorySize.format(c.hostMemory()),
                        label));
                if (!open) {
                    continue;
                }
                for (TopFrame.ModelView m : c.models()) {
                    out.add(row(
                            "        " + modelLabel(m, label - 9),
                            Integer.toString(m.modelId()),
                            MemorySize.format(m.deviceMemory()),
                            "-",
                            label));
                }
                c.deviceMemoryByCategory().forEach((k, v) -> {
                    if (v != 0) {
                        out.add(row("        " + k, "", MemorySize.format(v), "", label));
                    }
                });
            }
        }
    }

    /** The model's file name and its process, the name cut from the left to fit {@code room}. */
    private static String modelLabel(TopFrame.ModelView m, int room) {
        String name = TerminalText.escape(m.name());
        int slash = name.lastIndexOf('/');
        name = slash >= 0 && slash < name.length() - 1 ? name.substring(slash + 1) : name;
        String pid = " (pid " + m.pid() + ")";
        int left = room - pid.length();
        if (name.length() > left && left > 3) {
            name = "..." + name.substring(name.length() - (left - 3));
        }
        return name + pid;
    }

    private static boolean inUse(TopFrame.CoreView c) {
        return c.deviceMemory() != 0 || c.hostMemory() != 0 || !c.models().isEmpty();
    }

    /**
     * neuron-top's tab bar: {@code Neuron Apps  >[1]:all<  [2]:<name> (<pid>)  ...}, the shown tab
     * wrapped in {@code >} {@code <}; tab 1 is every process, then one per process in pid order. Where the
     * tabs do not fit {@code width} they go on under it, indented.
     */
    static List<String> tabBar(TopFrame f, int width) {
        List<String> tabs = new ArrayList<>();
        tabs.add(tab(1, "all", f.shownPid().isEmpty()));
        for (int i = 0; i < f.apps().size(); i++) {
            TopFrame.App a = f.apps().get(i);
            String name = TerminalText.escape(a.name());
            if (name.length() > TAB_NAME) {
                name = name.substring(0, TAB_NAME - 3) + "...";
            }
            boolean shown = f.shownPid().isPresent() && f.shownPid().getAsLong() == a.pid();
            tabs.add(tab(i + 2, name + " (" + a.pid() + ")", shown));
        }
        List<String> out = new ArrayList<>();
        String indent = " ".repeat("Neuron Apps ".length());
        StringBuilder line = new StringBuilder("Neuron Apps ");
        for (String t : tabs) {
            if (line.length() > indent.length() && line.length() + 1 + t.length() > width) {
                out.add(line.toString().stripTrailing());
                line = new StringBuilder(indent);
            }
            line.append(' ').append(t);
        }
        out.add(line.toString().stripTrailing());
        return out;
    }

    /** A tab as wide whether shown or not, so the bar does not shift as the selection moves. */
    private static String tab(int number, String label, boolean shown) {
        String t = "[" + number + "]:" + label;
        return shown ? ">" + t + "<" : " " + t + " ";
    }

    private static void apps(TopFrame f, int width, List<String> out) {
        out.addAll(tabBar(f, width));
        if (f.apps().isEmpty()) {
            out.add("  (no processes)");
            return;
        }
        for (TopFrame.App a : f.apps()) {
            String cores = a.cores().isEmpty() ? "" : "  cores " + joined(a.cores());
            out.add(String.format(
                            Locale.ROOT,
                            "  pid %-8d tag %-12s%s  %s",
                            a.pid(),
                            TerminalText.escape(a.tag()),
                            cores,
                            TerminalText.escape(a.command()))
                    .stripTrailing());
        }
    }

    private static String joined(List<Integer> ids) {
        List<String> s = new ArrayList<>();
        ids.forEach(i -> s.add(Integer.toString(i)));
        return String.join(",", s);
    }

    private static String row(String name, String modelId, String device, String host, int label) {
        String n = name.length() >= label ? name.substring(0, label - 1) + " " : pad(name, label);
        return (n + alignRight(modelId, MODEL_ID) + alignRight(device, DEVICE_MEMORY) + alignRight(host, HOST_MEMORY))
                .stripTrailing();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** Right-aligned in {@code width}. */
    private static String alignRight(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
}
