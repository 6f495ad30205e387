package dev.nrt4j.tools.top;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.device.InstanceCatalog;
import dev.nrt4j.device.driver.SystemRoot;
import dev.nrt4j.reference.sysfs.SysfsTree;
import dev.nrt4j.tools.machine.LogicalCores;
import dev.nrt4j.tools.machine.MachineReading;
import dev.nrt4j.tools.machine.MachineSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Frames of a Trn2 machine whose counters and runtime record the test sets by hand, shown at either LNC size. */
class TopFrameTest {
    @TempDir
    Path dir;

    @Test
    void aRuntimesCoresAndModelsLandOnTheShownCoreThatHoldsTheirPhysicalCores() throws Exception {
        SysfsTree tree = SysfsTree.ensure(dir, InstanceCatalog.byName("trn2.3xlarge"));
        SystemRoot root = tree.systemRoot();
        long pid = ProcessHandle.current().pid();
        // A runtime at LNC=2 holding logical core 1 (physical cores 2 and 3) with a model and 8 KiB of tensors.
        Files.writeString(
                Files.createDirectories(root.records().orElseThrow()).resolve(pid + "-1.json"),
                "{\"format\":\"nrt4j-runtime-record/1\",\"pid\":" + pid
                        + ",\"command\":\"test\",\"tag\":\"mine\",\"lnc\":2,"
                        + "\"cores\":[{\"core\":1,\"device\":0,\"physical_cores\":[2,3]}],"
                        + "\"models\":[{\"model_id\":10001,\"name\":\"/m/a.neff\",\"core\":1,\"device\":0,\"constants\":256,\"model_code\":0}],"
                        + "\"device_memory\":{},\"host_memory\":{},\"executions\":{},\"latencies\":[]}");
        Files.writeString(tree.deviceMem(0, 2).resolve("tensors").resolve("total"), "8192\n");
        Files.writeString(tree.deviceMem(0, 2).resolve("total"), "8192\n");
        MachineReading earlier = MachineReading.take(root, w -> {
            throw new AssertionError("unexpected warning: " + w);
        });
        Thread.sleep(100);
        Files.writeString(tree.otherInfo(0, 2, "nc_time_in_use").resolve("total"), "1000000000\n");
        MachineReading later = MachineReading.take(root, w -> {
            throw new AssertionError("unexpected warning: " + w);
        });

        TopFrame lnc1 = frame(earlier, later, 1);
        assertThat(lnc1.coreVersion()).isEqualTo("v3");
        TopFrame.DeviceView d1 = lnc1.devices().get(0);
        assertThat(d1.cores()).hasSize(8);
        assertThat(d1.cores())
                .allSatisfy(c -> assertThat(c.utilization()).isEqualTo(c.indexOnDevice() == 2 ? 1.0 : 0.0));
        assertThat(d1.cores().get(2).models()).singleElement().satisfies(m -> {
            assertThat(m.modelId()).isEqualTo(10001);
            assertThat(m.pid()).isEqualTo(pid);
            assertThat(m.deviceMemory()).isEqualTo(256);
        });
        assertThat(d1.cores().get(2).deviceMemory()).isEqualTo(8192);
        assertThat(d1.cores().get(2).deviceMemoryByCategory()).containsEntry("Tensors", 8192L);
        assertThat(lnc1.averageUtilization()).isEqualTo(1.0 / 8);

        TopFrame lnc2 = frame(earlier, later, 2);
        assertThat(lnc2.coreVersion()).isEqualTo("v3d");
        TopFrame.DeviceView d2 = lnc2.devices().get(0);
        assertThat(d2.cores()).extracting(TopFrame.CoreView::utilization).containsExactly(0.0, 1.0, 0.0, 0.0);
        assertThat(d2.cores().get(1).models()).hasSize(1);
        assertThat(d2.cores().get(1).deviceMemory()).isEqualTo(8192);
        assertThat(lnc2.deviceMemory()).containsEntry("Total", 8192L).containsEntry("Tensors", 8192L);
        assertThat(lnc2.apps()).singleElement().satisfies(a -> {
            assertThat(a.tag()).isEqualTo("mine");
            assertThat(a.cores()).containsExactly(1);
        });
    }

    @Test
    void flopRatesAreTheCountersGrowthOverTheTimeBetweenReadingsPerTab() throws Exception {
        SysfsTree tree = SysfsTree.ensure(dir, InstanceCatalog.byName("trn2.3xlarge"));
        SystemRoot root = tree.systemRoot();
        long pid = ProcessHandle.current().pid();
        Path record = Files.createDirectories(root.records().orElseThrow()).resolve(pid + "-1.json");
        // A runtime at LNC=2 holding logical core 1 (physical cores 2 and 3) that has counted 1,000 FLOPs.
        writeRecord(record, pid, 1000);
        MachineReading earlier = MachineReading.take(root, w -> {
            throw new AssertionError("unexpected warning: " + w);
        });
        // 1.5 s later: the record counts 3 GFLOP more, the driver 4.5 and 1.5 GFLOP more on the two physical cores.
        writeRecord(record, pid, 1000 + 3_000_000_000L);
        Files.writeString(tree.otherInfo(0, 2, "flop_count").resolve("total"), "4500000000\n");
        Files.writeString(tree.otherInfo(0, 3, "flop_count").resolve("total"), "1500000000\n");
        MachineReading later = MachineReading.take(root, w -> {
            throw new AssertionError("unexpected warning: " + w);
        });
        MachineSnapshot then = at(earlier.machine(), 0);
        MachineSnapshot now = at(later.machine(), 1_500_000_000L);

        TopFrame all = TopFrame.between(
                then, now, earlier.host(), later.host(), LogicalCores.of(now, 2), "test", OptionalLong.empty());
        assertThat(all.devices().get(0).cores())
                .extracting(TopFrame.CoreView::flops)
                .containsExactly(0.0, 4e9, 0.0, 0.0);
        assertThat(all.totalFlops()).isEqualTo(4e9);
        assertThat(all.averageFlops()).as("over the 4 logical cores").isEqualTo(1e9);
        assertThat(TopRenderer.render(all, 100, 0, 1, true))
                .contains("NeuronCore v3d FLOPS (Avg:   1.000GF | Total:   4.000GF)");

        TopFrame mine = TopFrame.between(
                then, now, earlier.host(), later.host(), LogicalCores.of(now, 2), "test", OptionalLong.of(pid));
        assertThat(mine.shownPid()).hasValue(pid);
        assertThat(mine.devices().get(0).cores())
                .extracting(TopFrame.CoreView::flops)
                .containsExactly(0.0, 2e9, 0.0, 0.0);
        assertThat(mine.averageFlops()).as("over the 1 core it holds").isEqualTo(2e9);
        assertThat(mine.totalFlops()).isEqualTo(2e9);
        assertThat(mine.devices().get(0).cores())
                .allSatisfy(c -> assertThat(c.known()).isTrue());
        assertThat(TopRenderer.render(mine, 100, 0, 1, true))
                .contains("NeuronCore v3d FLOPS (Avg:   2.000GF | Total:   2.000GF)")
                .anySatisfy(l -> assertThat(l).contains(">[2]:test (" + pid + ")<"));

        // Shown at LNC=1, the runtime's logical core 1 is physical core 2.
        TopFrame lnc1 = TopFrame.between(
                then, now, earlier.host(), later.host(), LogicalCores.of(now, 1), "test", OptionalLong.of(pid));
        assertThat(lnc1.devices().get(0).cores().get(2).flops()).isEqualTo(2e9);
        assertThat(lnc1.totalFlops()).isEqualTo(2e9);

        TopFrame stranger = TopFrame.between(
                then, now, earlier.host(), later.host(), LogicalCores.of(now, 2), "test", OptionalLong.of(1));
        assertThat(stranger.devices().get(0).cores()).allSatisfy(c -> {
            assertThat(c.known()).as("pid 1 publishes no record").isFalse();
            assertThat(c.flops()).isZero();
        });
        assertThat(stranger.totalFlops()).isZero();
    }

    private static void writeRecord(Path file, long pid, long flops) throws Exception {
        Files.writeString(
                file,
                "{\"format\":\"nrt4j-runtime-record/1\",\"pid\":" + pid
                        + ",\"command\":\"test\",\"tag\":\"" + pid + "\",\"lnc\":2,"
                        + "\"cores\":[{\"core\":1,\"device\":0,\"physical_cores\":[2,3]}],"
                        + "\"flops\":{\"1\":" + flops + "}}");
    }

    /** {@code s} as if taken at {@code nanos}, so the time between two readings is known exactly. */
    private static MachineSnapshot at(MachineSnapshot s, long nanos) {
        return new MachineSnapshot(
                nanos,
                s.takenMillis(),
                s.instanceType(),
                s.instanceId(),
                s.devices(),
                s.cores(),
                s.hostMemory(),
                s.processes(),
                s.records());
    }

    private static TopFrame frame(MachineReading earlier, MachineReading later, int lnc) {
        return TopFrame.between(
                earlier.machine(),
                later.machine(),
                earlier.host(),
                later.host(),
                LogicalCores.of(later.machine(), lnc),
                "test",
                OptionalLong.empty());
    }
}
