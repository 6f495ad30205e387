package dev.nrt4j.reference.sysfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.Status;
import dev.nrt4j.device.driver.SysfsLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver's counter rules and file format, and that a counter continues from what its files hold. */
class SysfsCounterTest {
    @TempDir
    Path dir;

    @Test
    void followsTheDriversIncrementDecrementAndSetRules() throws Exception {
        SysfsCounter c = new SysfsCounter(dir, true);
        c.increment(100);
        c.increment(50);
        assertThat(new long[] {c.total(), c.present(), c.peak()}).containsExactly(150, 50, 150);
        c.decrement(120);
        assertThat(new long[] {c.total(), c.present(), c.peak()}).containsExactly(30, 120, 150);
        c.set(200);
        assertThat(new long[] {c.total(), c.present(), c.peak()}).containsExactly(200, 200, 200);
        c.flush();
        assertThat(Files.readString(dir.resolve("total"))).isEqualTo("200\n");
        assertThat(Files.readString(dir.resolve("present"))).isEqualTo("200\n");
        assertThat(Files.readString(dir.resolve("peak"))).isEqualTo("200\n");
        // No temporary files are left beside the counter's own.
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("total", "present", "peak");
        }
    }

    @Test
    void writesNothingUntilFlushedAndNoPeakFileForPlainCounters() throws Exception {
        SysfsCounter c = new SysfsCounter(dir, false);
        c.increment(3);
        assertThat(dir.resolve("total")).doesNotExist();
        c.flush();
        assertThat(Files.readString(dir.resolve("total"))).isEqualTo("3\n");
        assertThat(dir.resolve("peak")).doesNotExist();
    }

    @Test
    void continuesFromTheValuesOnDisk() throws Exception {
        Files.writeString(dir.resolve("total"), "41\n");
        Files.writeString(dir.resolve("present"), "1\n");
        Files.writeString(dir.resolve("peak"), "90\n");
        SysfsCounter c = new SysfsCounter(dir, true);
        c.increment(1);
        c.flush();
        assertThat(Files.readString(dir.resolve("total"))).isEqualTo("42\n");
        assertThat(Files.readString(dir.resolve("peak"))).isEqualTo("90\n");
    }

    @Test
    void printsUnsignedAsTheDriversLlu() {
        assertThat(SysfsCounter.format(-1)).isEqualTo("18446744073709551615\n");
    }

    @Test
    void mapsStatusesOntoTheDriversCounterNames() {
        assertThat(CoreStats.statusCounter(Status.SUCCESS)).isEqualTo("success");
        assertThat(CoreStats.statusCounter(Status.TIMEOUT)).isEqualTo("timeout");
        assertThat(CoreStats.statusCounter(Status.EXEC_COMPLETED_WITH_ERR)).isEqualTo("execute_completed_with_error");
        assertThat(CoreStats.statusCounter(Status.EXEC_HW_ERR_REPAIRABLE_HBM_UE))
                .isEqualTo("hw_repairable_hbm_ue_error");
        assertThat(CoreStats.statusCounter(Status.UNKNOWN)).isEqualTo("generic_error");
        for (Status s : Status.values()) {
            assertThat(SysfsLayout.STATUS_COUNTERS).contains(CoreStats.statusCounter(s));
        }
    }
}
