package dev.nrt4j.tools.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CPU and memory shares from two readings of a fixture {@code /proc}. */
class HostUsageTest {
    @TempDir
    Path proc;

    private HostUsage read(long user, long idle, long ctxt, long procUser, long procSystem) throws Exception {
        Files.writeString(
                proc.resolve("stat"),
                String.join(
                        "\n",
                        "cpu  " + user + " 0 " + 100 + " " + idle + " 0 0 0 0 0 0",
                        "cpu0 " + user + " 0 100 " + idle + " 0 0 0 0 0 0",
                        "intr 1 2 3",
                        "ctxt " + ctxt,
                        ""));
        Files.writeString(
                proc.resolve("meminfo"),
                "MemTotal:       16000 kB\nMemFree:  1000 kB\nMemAvailable:    4000 kB\n"
                        + "SwapTotal:  2048 kB\nSwapFree:  1024 kB\n");
        Path pid = Files.createDirectories(proc.resolve("77"));
        // A command name with spaces and parentheses: fields are counted after its last ')'.
        Files.writeString(
                pid.resolve("stat"),
                "77 (java (x) y) S 1 77 77 0 -1 4194304 1 0 0 0 " + procUser + " " + procSystem
                        + " 0 0 20 0 30 0 100 1000 100\n");
        return HostUsage.read(proc, List.of(77L, 99L));
    }

    @Test
    void sharesAreOfTheTimeProcStatCountedBetweenReadings() throws Exception {
        HostUsage a = read(100, 800, 10, 5, 1);
        HostUsage b = read(400, 1400, 25, 155, 31);
        assertThat(b.cpuCount()).isEqualTo(1);
        CpuShare all = b.cpuShare(a, "cpu");
        // 300 user + 600 idle ticks passed.
        assertThat(all.user()).isCloseTo(100.0 / 3, within(1e-9));
        assertThat(all.idle()).isCloseTo(200.0 / 3, within(1e-9));
        assertThat(all.system()).isZero();
        assertThat(b.cpuShare(a, "0")).isEqualTo(all);
        assertThat(b.cpuShare(a, "7")).isEqualTo(CpuShare.NONE);
        double[] process = b.processShare(a, List.of(77L, 99L));
        assertThat(process[0]).isCloseTo(150.0 / 900 * 100, within(1e-9));
        assertThat(process[1]).isCloseTo(30.0 / 900 * 100, within(1e-9));
        assertThat(b.contextSwitchesSince(a)).isEqualTo(15);
        assertThat(b.memoryTotal()).isEqualTo(16000L * 1024);
        assertThat(b.memoryUsed()).isEqualTo(12000L * 1024);
        assertThat(b.swapUsed()).isEqualTo(1024L * 1024);
    }

    @Test
    void withoutProcEverythingIsZero() {
        HostUsage none = HostUsage.read(proc.resolve("missing"), List.of(1L));
        assertThat(none.cpuShare(none, "cpu")).isEqualTo(CpuShare.NONE);
        assertThat(none.processShare(none, List.of(1L))).containsExactly(0, 0);
        assertThat(none.memoryTotal()).isZero();
    }
}
