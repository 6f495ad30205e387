package dev.nrt4j.tools.top;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.tools.BusyProcess;
import dev.nrt4j.tools.CommandRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code nrt4j top --once} sees another process's work and memory on the reference device. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TopOnceTest {
    private static final String INSTANCE = "trn1.2xlarge";
    private static final Pattern PERCENT = Pattern.compile("\\[\\s*([0-9.]+)%]");
    private static final long TENSOR = 3L << 20;

    @TempDir
    Path stateDir;

    private CommandRun top() {
        return CommandRun.of(
                "top",
                "--once",
                "--backend=reference",
                "--instance-type",
                INSTANCE,
                "--state-dir",
                stateDir.toString(),
                "--interval",
                "700");
    }

    @Test
    void anotherProcessExecutingShowsItsCoreBusyItsTensorsAndItsModel() throws Exception {
        try (BusyProcess busy = BusyProcess.start(stateDir, INSTANCE, 1, TENSOR)) {
            CommandRun r = top();
            assertThat(r.status()).as(r.err()).isZero();
            List<String> lines = r.out().lines().toList();
            assertThat(lines.get(0))
                    .startsWith("nrt4j top ")
                    .endsWith("(" + INSTANCE + ")")
                    .contains(" running on i-");

            List<Double> nd0 = utilizations(row(lines, "ND0 "));
            assertThat(nd0).as("one cell per logical core").hasSize(2);
            assertThat(nd0.get(1)).as("the busy core, NC1").isGreaterThan(20);
            assertThat(nd0.get(0)).as("the idle core, NC0").isLessThan(1);
            assertThat(row(lines, "ND0 ")).matches("ND0\\s+\\[\\s*[0-9.]+%] \\|+\\s*\\[\\s*[0-9.]+%]");
            assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\s+NC0\\s+NC1"));
            String header = row(lines, "NeuronCore ");
            assertThat(header).startsWith("NeuronCore v2 Utilization (Avg: ");
            assertThat(utilAvg(header))
                    .isCloseTo((nd0.get(0) + nd0.get(1)) / 2, org.assertj.core.data.Offset.offset(0.02));

            // 3 MiB held plus the model's 2 x 16 KiB of inputs and 16 KiB of outputs.
            String device = summary(lines, "Device Used Memory");
            assertThat(device)
                    .contains("Tensors: 3.0MB")
                    .contains("Model Code: ")
                    .contains("Model Scratchpad: ");
            assertThat(summary(lines, "Host Used Memory"))
                    .contains("App. Memory: ")
                    .contains("DMA Buffers: ");

            assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\[-] ND 0\\s+3\\.0MB\\s+\\S+B"));
            assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\s{4}\\[\\+] NC 0\\s+0\\.0B\\s+0\\.0B"));
            assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\s{4}\\[-] NC 1\\s+3\\.0MB\\s+\\S+B"));
            assertThat(lines)
                    .anySatisfy(l -> assertThat(l)
                            .matches("\\s{8}matmul.*\\.hlo\\.txt \\(pid " + busy.pid() + "\\)\\s+10001\\s+\\S+B\\s+-"));
            assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\s{8}Tensors\\s+3\\.0MB"));
            assertThat(lines)
                    .anySatisfy(l -> assertThat(l)
                            .matches("\\s+pid " + busy.pid() + "\\s+tag " + busy.pid()
                                    + "\\s+cores 1\\s+ModelLoopProcess\\b.*"));
            assertThat(r.out()).as("plain text for scripts").doesNotContain("\u001b");
        }
    }

    @Test
    void anIdleMachineShowsEveryCoreIdleAndNoMemory() {
        CommandRun r = top();
        assertThat(r.status()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(utilizations(row(lines, "ND0 "))).containsExactly(0.0, 0.0);
        assertThat(row(lines, "NeuronCore ")).isEqualTo("NeuronCore v2 Utilization (Avg: 0.00%)");
        assertThat(summary(lines, "Device Used Memory"))
                .isEqualTo("Device Used Memory  Total: 0.0B  Tensors: 0.0B  Constants: 0.0B"
                        + "  Model Code: 0.0B  Runtime Memory: 0.0B  Model Scratchpad: 0.0B");
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\[\\+] ND 0\\s+0\\.0B\\s+0\\.0B"));
        assertThat(lines).contains("Neuron Apps  (none)");
    }

    @Test
    void badOptionsAreUsageErrors() {
        CommandRun r = CommandRun.of(
                "top", "--once", "--backend=reference", "--state-dir", stateDir.toString(), "--interval", "1");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--interval must be at least 10 ms, not 1");
        CommandRun lnc = CommandRun.of(
                "top",
                "--once",
                "--backend=reference",
                "--instance-type",
                INSTANCE,
                "--state-dir",
                stateDir.toString(),
                "--lnc",
                "2");
        assertThat(lnc.status()).isNotZero();
        assertThat(lnc.err()).contains("LNC");
    }

    @Test
    void withoutATerminalTheFullScreenViewSaysSoInOneLine() {
        // Test JVMs talk to the build through pipes: there is no terminal to draw on.
        CommandRun r = CommandRun.of(
                "top", "--backend=reference", "--instance-type", INSTANCE, "--state-dir", stateDir.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err().lines())
                .singleElement()
                .satisfies(l -> assertThat(l)
                        .startsWith("nrt4j: top needs a terminal to draw on (")
                        .endsWith("); use --once for plain text"));
        assertThat(r.out()).isEmpty();
    }

    private static String row(List<String> lines, String prefix) {
        return lines.stream()
                .filter(l -> l.startsWith(prefix))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("no line starting '" + prefix + "' in\n" + String.join("\n", lines)));
    }

    /** A summary row with its continuation lines, joined by two spaces. */
    private static String summary(List<String> lines, String label) {
        int i = lines.indexOf(row(lines, label));
        StringBuilder s = new StringBuilder(lines.get(i));
        while (++i < lines.size()
                && lines.get(i).startsWith(" ".repeat(20))
                && !lines.get(i).isBlank()) {
            s.append("  ").append(lines.get(i).strip());
        }
        return s.toString();
    }

    private static List<Double> utilizations(String row) {
        List<Double> out = new ArrayList<>();
        Matcher m = PERCENT.matcher(row);
        while (m.find()) {
            out.add(Double.parseDouble(m.group(1)));
        }
        return out;
    }

    private static double utilAvg(String header) {
        Matcher m = Pattern.compile("Avg: ([0-9.]+)%").matcher(header);
        assertThat(m.find()).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
