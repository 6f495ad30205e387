package dev.nrt4j.tools.top;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.tools.machine.CpuShare;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Layout of frames made by hand: sizes, the grid, paging through devices that do not fit. */
class TopRendererTest {
    @Test
    void sizesHaveOneDecimalAndNeuronTopsUnits() {
        assertThat(MemorySize.format(0)).isEqualTo("0.0B");
        assertThat(MemorySize.format(1023)).isEqualTo("1023.0B");
        assertThat(MemorySize.format(256 << 10)).isEqualTo("256.0KB");
        assertThat(MemorySize.format((35L << 30) / 2)).isEqualTo("17.5GB");
        assertThat(MemorySize.format((1L << 20) - 1)).as("never 1024.0KB").isEqualTo("1.0MB");
        assertThat(MemorySize.format(3L << 40)).isEqualTo("3.0TB");
    }

    @Test
    void theGridHasARowPerDeviceAndACellPerLogicalCoreWithBarsForUtilization() {
        TopFrame f = frame(2, 4, "v3d");
        List<String> lines = TopRenderer.render(f, 100, 0, 2);
        assertThat(lines).contains("NeuronCore v3d Utilization (Avg: 12.50%)");
        assertThat(lines).anySatisfy(l -> assertThat(l).matches(" {6}NC0\\s+NC1\\s+NC2\\s+NC3"));
        String nd1 =
                lines.stream().filter(l -> l.startsWith("ND1 ")).findFirst().orElseThrow();
        // 100 columns: 6 for the label, 4 cells of 23: 13 bar columns and the bracket; NC0 at 100% fills its bar.
        assertThat(nd1).startsWith("ND1   " + "|".repeat(13) + "[100.00%] " + " ".repeat(13) + "[  0.00%] ");
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\[-] ND 1\\s+1\\.0MB\\s+0\\.0B"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\[\\+] ND 0\\s+0\\.0B\\s+0\\.0B"));
        assertThat(lines)
                .anySatisfy(l -> assertThat(l).matches(" {8}model\\.neff \\(pid 42\\)\\s+10001\\s+1\\.0MB\\s+-"));
    }

    @Test
    void pagesHoldWhatFitsAndTogetherEveryDeviceOnce() {
        TopFrame f = frame(16, 4, "v3d");
        for (int height : new int[] {5, 30, 45, 200}) {
            List<Integer> starts = TopRenderer.pageStarts(f, 100, height);
            assertThat(starts.get(0)).isZero();
            List<Integer> shown = new ArrayList<>();
            for (int p = 0; p < starts.size(); p++) {
                int first = starts.get(p);
                int count = (p + 1 < starts.size() ? starts.get(p + 1) : 16) - first;
                assertThat(count).isPositive();
                List<String> lines = TopRenderer.render(f, 100, first, count);
                if (count > 1) {
                    assertThat(lines.size() + 1)
                            .as("a page and its key line fit %d rows", height)
                            .isLessThanOrEqualTo(height);
                }
                lines.stream()
                        .filter(l -> l.matches("ND\\d+ .*"))
                        .forEach(l -> shown.add(Integer.parseInt(l.substring(2, l.indexOf(' ')))));
                String range = count == 1 ? "ND" + first : "ND" + first + "-ND" + (first + count - 1);
                assertThat(TopRenderer.keyLine(f, first, count, 200))
                        .startsWith("[" + range + " of 16]   ")
                        .endsWith(TopRenderer.KEYS);
            }
            assertThat(shown)
                    .as("rows %d", height)
                    .containsExactlyElementsOf(
                            java.util.stream.IntStream.range(0, 16).boxed().toList());
        }
        assertThat(TopRenderer.pageStarts(f, 100, 200)).containsExactly(0);
        assertThat(TopRenderer.pageStarts(f, 100, 5)).hasSize(16);
    }

    @Test
    void theTabBarNamesAllThenEachProcessAndMarksTheShownOne() {
        List<TopFrame.App> apps = List.of(app(42, "ModelLoop"), app(1234, "a-tag-that-is-far-too-long-for-a-tab"));
        TopFrame all = frame(2, 4, "v3d", apps, OptionalLong.empty());
        assertThat(TopRenderer.tabBar(all, 200))
                .containsExactly("Neuron Apps  >[1]:all<  [2]:ModelLoop (42)   [3]:a-tag-that-is-far-too... (1234)");
        TopFrame second = frame(2, 4, "v3d", apps, OptionalLong.of(1234));
        assertThat(TopRenderer.tabBar(second, 200))
                .containsExactly("Neuron Apps   [1]:all   [2]:ModelLoop (42)  >[3]:a-tag-that-is-far-too... (1234)<");
        assertThat(TopRenderer.render(second, 200, 0, 2))
                .contains(TopRenderer.tabBar(second, 200).get(0));
        // Too narrow for all three: the rest goes on under it, and nothing is longer than the width.
        assertThat(TopRenderer.tabBar(second, 50))
                .containsExactly(
                        "Neuron Apps   [1]:all   [2]:ModelLoop (42)",
                        "             >[3]:a-tag-that-is-far-too... (1234)<")
                .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(50));
        TopFrame none = frame(2, 4, "v3d", List.of(), OptionalLong.empty());
        assertThat(TopRenderer.render(none, 100, 0, 2))
                .containsSubsequence("Neuron Apps  >[1]:all<", "  (no processes)");
    }

    @Test
    void theFlopsGridShowsEachCoresRateAndTheAverageAndTotal() {
        TopFrame f = frame(2, 4, "v3d");
        List<String> lines = TopRenderer.render(f, 100, 0, 2, true);
        // 2.5 GFLOP/s on one core of 8: 0.3125 GFLOP/s on average.
        assertThat(lines).contains("NeuronCore v3d FLOPS (Avg: 312.500MF | Total:   2.500GF)");
        String nd1 =
                lines.stream().filter(l -> l.startsWith("ND1 ")).findFirst().orElseThrow();
        assertThat(nd1).startsWith("ND1   " + " ".repeat(11) + "[  2.500GF] " + " ".repeat(11) + "[  0.000TF] ");
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
        assertThat(TopRenderer.render(f, 100, 0, 2, false)).contains("NeuronCore v3d Utilization (Avg: 12.50%)");
    }

    @Test
    void flopRatesTakeTheLargestUnitTheyReachOne() {
        assertThat(FlopRate.format(0)).isEqualTo("  0.000TF");
        assertThat(FlopRate.format(318.278e12)).isEqualTo("318.278TF");
        assertThat(FlopRate.format(9.9466e12)).isEqualTo("  9.947TF");
        assertThat(FlopRate.format(2.5e9)).isEqualTo("  2.500GF");
        assertThat(FlopRate.format(999.9999e9)).as("never 1000.000GF").isEqualTo("  1.000TF");
        assertThat(FlopRate.format(1.5e6)).isEqualTo("  1.500MF");
        assertThat(FlopRate.format(3)).isEqualTo("  0.003KF");
    }

    @Test
    void aProcessWithoutARecordShowsNotAvailableCells() {
        TopFrame f = frame(2, 4, "v3d", List.of(app(42, "libnrt")), OptionalLong.of(42));
        List<TopFrame.DeviceView> unknown = new ArrayList<>();
        for (TopFrame.DeviceView d : f.devices()) {
            List<TopFrame.CoreView> cs = new ArrayList<>();
            for (TopFrame.CoreView c : d.cores()) {
                cs.add(new TopFrame.CoreView(c.id(), c.indexOnDevice(), 0, 0, false, 0, 0, Map.of(), List.of()));
            }
            unknown.add(new TopFrame.DeviceView(d.device(), 0, 0, cs));
        }
        TopFrame g = new TopFrame(
                f.title(),
                f.coreVersion(),
                0,
                0,
                0,
                unknown,
                f.hostMemory(),
                f.deviceMemory(),
                f.systemCpu(),
                f.runtimeCpu(),
                0,
                0,
                f.apps(),
                f.shownPid());
        String flops = TopRenderer.render(g, 100, 0, 2, true).stream()
                .filter(l -> l.startsWith("ND0 "))
                .findFirst()
                .orElseThrow();
        assertThat(flops).isEqualTo(("ND0   " + (" ".repeat(11) + "[      n/a] ").repeat(4)).stripTrailing());
        String util = TopRenderer.render(g, 100, 0, 2, false).stream()
                .filter(l -> l.startsWith("ND0 "))
                .findFirst()
                .orElseThrow();
        assertThat(util).isEqualTo(("ND0   " + (" ".repeat(13) + "[   n/a ] ").repeat(4)).stripTrailing());
    }

    /** {@code devices} devices of {@code cores} cores; device 1's core 0 is busy and holds a model of process 42. */
    private static TopFrame frame(int devices, int cores, String version) {
        return frame(devices, cores, version, List.of(app(42, "java")), OptionalLong.empty());
    }

    private static TopFrame.App app(long pid, String name) {
        return new TopFrame.App(pid, Long.toString(pid), name, List.of(4), name, true);
    }

    /** As {@link #frame(int, int, String)}, with these processes, showing {@code shown}'s tab. */
    private static TopFrame frame(int devices, int cores, String version, List<TopFrame.App> apps, OptionalLong shown) {
        List<TopFrame.DeviceView> views = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
            List<TopFrame.CoreView> cs = new ArrayList<>();
            for (int c = 0; c < cores; c++) {
                boolean busy = d == 1 && c == 0;
                Map<String, Long> categories = new LinkedHashMap<>();
                categories.put("Tensors", 0L);
                categories.put("Constants", busy ? 1L << 20 : 0L);
                cs.add(new TopFrame.CoreView(
                        d * cores + c,
                        c,
                        busy ? 1 : 0,
                        busy ? 2.5e9 : 0,
                        true,
                        busy ? 1L << 20 : 0,
                        0,
                        categories,
                        busy ? List.of(new TopFrame.ModelView(10001, "/models/model.neff", 42, 1L << 20)) : List.of()));
            }
            views.add(new TopFrame.DeviceView(d, d == 1 ? 1L << 20 : 0, 0, cs));
        }
        Map<String, Long> none = new LinkedHashMap<>();
        none.put("Total", 0L);
        return new TopFrame(
                "nrt4j top test running on i-0 (trn2.48xlarge)",
                version,
                1.0 / (devices == 2 ? 8 : devices * cores),
                2.5e9 / (devices * cores),
                2.5e9,
                views,
                none,
                none,
                CpuShare.NONE,
                new double[2],
                0,
                0,
                apps,
                shown);
    }
}
