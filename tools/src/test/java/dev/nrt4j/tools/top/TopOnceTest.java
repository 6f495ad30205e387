package dev.nrt4j.tools.top;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.device.InstanceCatalog;
import dev.nrt4j.reference.sysfs.SysfsTree;
import dev.nrt4j.tools.BusyProcess;
import dev.nrt4j.tools.CommandRun;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code nrt4j top --once} sees another process's work, memory and FLOPs on the reference device, and skips forged records. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TopOnceTest {
    private static final String INSTANCE = "trn1.2xlarge";
    private static final Pattern PERCENT = Pattern.compile("\\[\\s*([0-9.]+)%]");
    private static final long TENSOR = 3L << 20;

    @TempDir
    Path stateDir;

    private CommandRun top(String... more) {
        List<String> args = new ArrayList<>(List.of("--once", "--interval", "700"));
        args.addAll(List.of(more));
        return CommandRun.onReferenceMachine(INSTANCE, stateDir, "top", args.toArray(String[]::new));
    }

    @Test
    void theFlopsViewAndAProcesssTabShowItsMatrixProductsOnItsCore() throws Exception {
        try (BusyProcess busy = BusyProcess.start(stateDir, INSTANCE, 1, TENSOR)) {
            CommandRun all = top("--flops");
            assertThat(all.status()).as(all.err()).isZero();
            List<String> lines = all.out().lines().toList();
            List<Double> nd0 = flops(row(lines, "ND0 "));
            assertThat(nd0).as("one cell per logical core").hasSize(2);
            assertThat(nd0.get(0)).as("the idle core, NC0").isZero();
            // A 64x64x64 product is 524,288 FLOPs; the child does hundreds a second even on a loaded machine.
            assertThat(nd0.get(1)).as("the busy core, NC1, FLOP/s").isGreaterThan(1e6);
            Matcher header = Pattern.compile("NeuronCore v2 FLOPS \\(Avg: (.*) \\| Total: (.*)\\)")
                    .matcher(row(lines, "NeuronCore "));
            assertThat(header.matches()).as(row(lines, "NeuronCore ")).isTrue();
            assertThat(flops("[" + header.group(2) + "]")).containsExactly(nd0.get(1) + nd0.get(0));
            assertThat(flops("[" + header.group(1) + "]").get(0))
                    .isCloseTo((nd0.get(0) + nd0.get(1)) / 2, org.assertj.core.data.Percentage.withPercentage(0.2));

            CommandRun mine = top("--pid", Long.toString(busy.pid()));
            assertThat(mine.status()).as(mine.err()).isZero();
            List<String> tab = mine.out().lines().toList();
            assertThat(tab)
                    .anySatisfy(l -> assertThat(l)
                            .matches(
                                    "Neuron Apps {3}\\[1]:all {2}>\\[2]:ModelLoopProcess.* \\(" + busy.pid() + "\\)<"));
            List<Double> util = utilizations(row(tab, "ND0 "));
            assertThat(util.get(0)).as("NC0 is not the process's").isZero();
            assertThat(util.get(1)).as("its core, NC1").isGreaterThan(20);
            assertThat(summary(tab, "Device Used Memory")).contains("Tensors: 3.0MB");

            CommandRun mineFlops = top("--pid", Long.toString(busy.pid()), "--flops");
            assertThat(mineFlops.status()).as(mineFlops.err()).isZero();
            List<Double> own = flops(row(mineFlops.out().lines().toList(), "ND0 "));
            assertThat(own.get(0)).isZero();
            assertThat(own.get(1)).as("its FLOP/s, from its runtime record").isGreaterThan(1e6);

            CommandRun other = top("--pid", "1");
            assertThat(other.status()).isEqualTo(1);
            assertThat(other.err().lines())
                    .singleElement()
                    .satisfies(l -> assertThat(l).startsWith("nrt4j: process 1 uses no Neuron device here"));
            assertThat(other.out()).isEmpty();
        }
    }

    @Test
    void aProcessTheDriverShowsButThatPublishesNoRecordHasUnknownFigures() throws Exception {
        // As a libnrt process looks: a device node held open, and no nrt4j runtime record.
        SysfsTree tree = SysfsTree.ensure(stateDir, InstanceCatalog.byName(INSTANCE));
        long pid = ProcessHandle.current().pid();
        try (FileChannel node = FileChannel.open(tree.systemRoot().deviceNode(0), StandardOpenOption.READ)) {
            for (String view : new String[] {"--width=120", "--flops"}) {
                CommandRun r = top("--pid", Long.toString(pid), view);
                assertThat(r.status()).as(r.err()).isZero();
                List<String> lines = r.out().lines().toList();
                assertThat(row(lines, "ND0 "))
                        .matches(
                                view.equals("--flops")
                                        ? "ND0\\s+\\[      n/a]\\s+\\[      n/a]"
                                        : "ND0\\s+\\[   n/a ]\\s+\\[   n/a ]");
                assertThat(lines)
                        .anySatisfy(l -> assertThat(l).contains(">[2]:").endsWith("(" + pid + ")<"));
            }
        }
    }

    /**
     * Runtime records are written by other processes, so the FLOPS view and the tabs read them as untrusted:
     * forged FLOP counts and an LNC size no machine has, in records naming this live JVM, are each skipped
     * with one warning line, and top shows the rest on every tab and in either grid.
     */
    @Test
    void forgedFlopCountsAndAnImpossibleLncAreSkippedWithOneWarningEach() throws IOException {
        Path records = Files.createDirectories(SysfsTree.ensure(stateDir, InstanceCatalog.byName(INSTANCE))
                .systemRoot()
                .records()
                .orElseThrow());
        long pid = ProcessHandle.current().pid();
        String head = "{\"format\":\"nrt4j-runtime-record/1\",\"pid\":" + pid + ",\"tag\":\"forged\",";
        Path negative = Files.writeString(records.resolve(pid + "-1.json"), head + "\"lnc\":1,\"flops\":{\"0\":-5}}");
        Path notCore = Files.writeString(records.resolve(pid + "-2.json"), head + "\"lnc\":1,\"flops\":{\"zz\":1}}");
        Path list = Files.writeString(records.resolve(pid + "-3.json"), head + "\"lnc\":1,\"flops\":[1,2]}");
        Path fraction = Files.writeString(records.resolve(pid + "-4.json"), head + "\"lnc\":1,\"flops\":{\"0\":1.5}}");
        Path lnc = Files.writeString(
                records.resolve(pid + "-5.json"),
                head + "\"lnc\":3,\"cores\":[{\"core\":0,\"device\":0}],\"flops\":{\"0\":1}}");
        java.util.function.Consumer<List<String>> oneWarningEach = w -> assertThat(w)
                .hasSize(5)
                .allSatisfy(l -> assertThat(l).startsWith("nrt4j: warning: skipping runtime record "))
                .anySatisfy(l -> assertThat(l).contains(negative.toString(), "flops.0 is -5"))
                .anySatisfy(l -> assertThat(l).contains(notCore.toString(), "flops has the key 'zz'"))
                .anySatisfy(l -> assertThat(l).contains(list.toString(), "flops is not an object"))
                .anySatisfy(l -> assertThat(l).contains(fraction.toString(), "flops.0 is 1.5"))
                .anySatisfy(l -> assertThat(l).contains(lnc.toString(), "lnc is 3, not a whole number from 1 to 2"));
        for (CommandRun r : List.of(top("--flops"), top())) {
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.err() + r.out()).doesNotContain("Exception", "\tat ");
            oneWarningEach.accept(r.err().lines().toList());
            assertThat(r.out()).contains("NeuronCore v2").doesNotContain("forged");
        }
        // Its records skipped, this JVM is no Neuron process: its tab says so after the warnings.
        CommandRun tab = top("--pid", Long.toString(pid));
        assertThat(tab.status()).as(tab.err()).isEqualTo(1);
        List<String> err = tab.err().lines().toList();
        assertThat(err).hasSize(6);
        assertThat(err.get(5)).startsWith("nrt4j: process " + pid + " uses no Neuron device here");
        oneWarningEach.accept(err.subList(0, 5));
        assertThat(tab.out()).isEmpty();
    }

    private static List<Double> flops(String row) {
        Map<String, Double> units = Map.of("TF", 1e12, "GF", 1e9, "MF", 1e6, "KF", 1e3);
        List<Double> out = new ArrayList<>();
        Matcher m = Pattern.compile("\\[\\s*([0-9.]+)(TF|GF|MF|KF)]").matcher(row);
        while (m.find()) {
            out.add(Double.parseDouble(m.group(1)) * units.get(m.group(2)));
        }
        return out;
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
        assertThat(lines).containsSubsequence("Neuron Apps  >[1]:all<", "  (no processes)");
    }

    @Test
    void badOptionsAreUsageErrors() {
        CommandRun r = CommandRun.of(
                "top", "--once", "--backend=reference", "--state-dir", stateDir.toString(), "--interval", "1");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--interval must be at least 10 ms, not 1");
        CommandRun lnc = CommandRun.onReferenceMachine(INSTANCE, stateDir, "top", "--once", "--lnc", "2");
        assertThat(lnc.status()).isNotZero();
        assertThat(lnc.err()).contains("LNC");
    }

    @Test
    void withoutATerminalTheFullScreenViewSaysSoInOneLine() {
        // Test JVMs talk to the build through pipes: there is no terminal to draw on.
        CommandRun r = CommandRun.onReferenceMachine(INSTANCE, stateDir, "top");
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
