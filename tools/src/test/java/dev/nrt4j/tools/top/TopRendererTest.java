package dev.nrt4j.tools.top;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.tools.machine.CpuShare;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
                        .startsWith(TopRenderer.KEYS)
                        .endsWith("[" + range + " of 16]");
            }
            assertThat(shown)
                    .as("rows %d", height)
                    .containsExactlyElementsOf(
                            java.util.stream.IntStream.range(0, 16).boxed().toList());
        }
        assertThat(TopRenderer.pageStarts(f, 100, 200)).containsExactly(0);
        assertThat(TopRenderer.pageStarts(f, 100, 5)).hasSize(16);
    }

    /** {@code devices} devices of {@code cores} cores; device 1's core 0 is busy and holds a model of process 42. */
    private static TopFrame frame(int devices, int cores, String version) {
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
                views,
                none,
                none,
                CpuShare.NONE,
                new double[2],
                0,
                0,
                List.of(new TopFrame.App(42, "42", "java", List.of(4))));
    }
}
