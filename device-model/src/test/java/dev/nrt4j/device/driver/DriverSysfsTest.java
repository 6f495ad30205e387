package dev.nrt4j.device.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.device.NeuronChip;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader against trees written here by hand in the formats of neff-sysfs-tools.md §3 (values of a
 * real trn1.2xlarge where the notes have them), not by the reference device's writer.
 */
class DriverSysfsTest {
    @TempDir
    Path root;

    private Path sys() {
        return root.resolve("sys");
    }

    private Path device(int d) {
        return sys().resolve("devices/virtual/neuron_device/neuron" + d);
    }

    private SystemRoot system() {
        return SystemRoot.of(sys(), root.resolve("dev"), root.resolve("proc"), null);
    }

    private void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private void trn1Device(int d, String connected, String bdf, String numa, String cpus) throws IOException {
        write(device(d).resolve("core_count"), "2");
        write(device(d).resolve("connected_devices"), connected);
        write(device(d).resolve("info/architecture/device_name"), "Trainium1\n");
        write(device(d).resolve("info/architecture/arch_type"), "NDv2\n");
        write(device(d).resolve("info/architecture/instance_type"), "Trn1\n");
        write(device(d).resolve("info/serial_number"), "9ff5434815c8bd80\n");
        Path fn = sys().resolve("devices/pci0000:00").resolve(bdf);
        write(fn.resolve("numa_node"), numa + "\n");
        write(fn.resolve("local_cpulist"), cpus + "\n");
        Path driver = sys().resolve("bus/pci/drivers/neuron-driver");
        Files.createDirectories(driver);
        Files.createSymbolicLink(driver.resolve(bdf), fn);
    }

    @Test
    void readsATrn1TwoXlarge() throws IOException {
        trn1Device(0, "\n", "0000:00:1e.0", "-1", "0-7");
        Path driver = sys().resolve("bus/pci/drivers/neuron-driver");
        // The kernel's own files in a driver directory are not functions.
        write(driver.resolve("bind"), "");
        write(driver.resolve("new_id"), "");
        Files.createDirectories(driver.resolve("module"));
        write(sys().resolve("devices/virtual/dmi/id/product_name"), "trn1.2xlarge\n");
        write(sys().resolve("devices/virtual/dmi/id/board_asset_tag"), "i-0123456789abcdef0\n");
        write(sys().resolve("module/neuron/version"), "2.26.5.0\n");

        DriverSysfs sysfs = new DriverSysfs(system());
        assertThat(sysfs.devices())
                .containsExactly(new DriverDevice(
                        0,
                        Optional.of(NeuronChip.TRAINIUM),
                        "Trainium1",
                        "NDv2",
                        2,
                        List.of(),
                        "9ff5434815c8bd80",
                        Optional.of(new PciFunction("0000:00:1e.0", "-1", "0-7"))));
        assertThat(sysfs.instanceType()).contains("trn1.2xlarge");
        assertThat(sysfs.instanceId()).contains("i-0123456789abcdef0");
        assertThat(sysfs.driverVersion()).contains("2.26.5.0");
    }

    @Test
    void countersFollowTheFilesAndMissingOrResetOnesReadZero() throws IOException {
        trn1Device(0, "\n", "0000:00:1e.0", "-1", "0-7");
        Path core = device(0).resolve("neuron_core1");
        write(core.resolve("stats/memory_usage/device_mem/tensors/total"), "4096\n");
        write(core.resolve("stats/memory_usage/device_mem/tensors/present"), "1024\n");
        write(core.resolve("stats/memory_usage/device_mem/tensors/peak"), "8192\n");
        write(core.resolve("stats/memory_usage/device_mem/total"), "18446744073709551615\n");
        write(core.resolve("stats/status/success/total"), "5\n");
        write(core.resolve("stats/status/timeout/total"), "whatever was written\n");
        write(core.resolve("stats/other_info/nc_time_in_use/total"), "123\n");
        write(device(0).resolve("stats/memory_usage/host_mem/dma_buffers/total"), "77\n");
        write(device(0).resolve("stats/hardware/mem_ecc_uncorrected"), "2\n");

        DriverSysfs sysfs = new DriverSysfs(system());
        CoreCounters c = sysfs.counters(0, 1);
        assertThat(c.deviceMemoryByCategory().get("tensors")).isEqualTo(new MemoryCounter(4096, 1024, 8192));
        assertThat(c.deviceMemory("tensors")).isEqualTo(4096);
        assertThat(c.deviceMemory().total()).isEqualTo(-1L); // %llu of 2^64-1, as a driver decrement below 0 leaves it
        assertThat(c.deviceMemory("constants")).isZero();
        assertThat(c.status("success")).isEqualTo(5);
        assertThat(c.status("timeout")).isZero();
        assertThat(c.otherInfo("nc_time_in_use")).isEqualTo(123);
        assertThat(c.status().keySet()).containsExactlyInAnyOrderElementsOf(SysfsLayout.STATUS_COUNTERS);
        assertThat(sysfs.hostMemory(0).get("dma_buffers").total()).isEqualTo(77);
        assertThat(sysfs.hardwareCounters(0))
                .containsEntry("mem_ecc_uncorrected", 2L)
                .containsEntry("sram_ecc_uncorrected", 0L);
        assertThat(sysfs.deviceMemory(0, 1, "tensors").peak()).isEqualTo(8192);
    }

    @Test
    void leniencyBelievesAFlopCountUpToALongAndOtherCountersOnlyToThePlausibleBound() throws IOException {
        trn1Device(0, "\n", "0000:00:1e.0", "-1", "0-7");
        Path core = device(0).resolve("neuron_core0");
        // A day of a busy core's FLOPs: far past the bound the other counters have.
        long day = 90_000_000_000_000L * 86_400;
        write(core.resolve("stats/other_info/flop_count/total"), day + "\n");
        write(core.resolve("stats/other_info/inference_count/total"), ((1L << 50) + 1) + "\n");
        Path other = device(0).resolve("neuron_core1");
        write(other.resolve("stats/other_info/flop_count/total"), "9223372036854775808\n"); // 2^63: past a long
        List<String> warnings = new ArrayList<>();
        DriverSysfs sysfs = new DriverSysfs(system(), warnings::add);

        assertThat(sysfs.counters(0, 0).otherInfo("flop_count")).isEqualTo(day);
        assertThat(sysfs.counters(0, 0).otherInfo("inference_count")).isZero();
        assertThat(sysfs.counters(0, 1).otherInfo("flop_count")).isZero();
        assertThat(warnings)
                .anySatisfy(w -> assertThat(w).contains("inference_count").contains("from 0 to " + (1L << 50)))
                .anySatisfy(w -> assertThat(w)
                        .contains("neuron_core1/stats/other_info/flop_count")
                        .contains("from 0 to " + Long.MAX_VALUE))
                .noneSatisfy(w -> assertThat(w).contains("neuron_core0/stats/other_info/flop_count"));
    }

    @Test
    void linksAndPciFunctionsAreMatchedInOrder() throws IOException {
        trn1Device(1, "0\n", "0000:20:1c.0", "1", "8-15");
        trn1Device(0, "1, 3\n", "0000:10:1e.0", "0", "0-7");
        List<DriverDevice> devices = new DriverSysfs(system()).devices();
        assertThat(devices).extracting(DriverDevice::index).containsExactly(0, 1);
        assertThat(devices.get(0).connectedDevices()).containsExactly(1, 3);
        assertThat(devices.get(1).connectedDevices()).containsExactly(0);
        assertThat(devices.get(0).pci()).contains(new PciFunction("0000:10:1e.0", "0", "0-7"));
        assertThat(devices.get(1).pci()).contains(new PciFunction("0000:20:1c.0", "1", "8-15"));
    }

    @Test
    void malformedIdentityFilesNameTheFile() throws IOException {
        trn1Device(0, "\n", "0000:00:1e.0", "-1", "0-7");
        write(device(0).resolve("core_count"), "two");
        assertThatThrownBy(() -> new DriverSysfs(system()).devices())
                .isInstanceOf(DriverSysfsException.class)
                .hasMessageContaining(device(0).resolve("core_count").toString())
                .hasMessageContaining("'two'");
        write(device(0).resolve("core_count"), "2");
        write(device(0).resolve("connected_devices"), "1; 3\n");
        assertThatThrownBy(() -> new DriverSysfs(system()).devices())
                .isInstanceOf(DriverSysfsException.class)
                .hasMessageContaining("connected_devices")
                .hasMessageContaining("1; 3");
        Files.delete(device(0).resolve("core_count"));
        assertThatThrownBy(() -> new DriverSysfs(system()).devices())
                .isInstanceOf(DriverSysfsException.class)
                .hasMessageContaining("core_count")
                .hasMessageContaining("missing");
    }

    @Test
    void noDriverMeansNoDevices() {
        assertThat(new DriverSysfs(system()).devices()).isEmpty();
        assertThat(new DriverSysfs(system()).instanceType()).isEmpty();
    }

    @Test
    void processesAreFoundByTheDeviceNodesTheyHoldOpen() throws IOException {
        Path dev = Files.createDirectories(root.resolve("dev"));
        Files.writeString(dev.resolve("neuron0"), "");
        Path proc = root.resolve("proc");
        write(proc.resolve("4242/cmdline"), "python\0train.py\0--epochs\0003\0");
        Files.createDirectories(proc.resolve("4242/fd"));
        Files.createSymbolicLink(proc.resolve("4242/fd/3"), dev.resolve("neuron0"));
        Files.createSymbolicLink(proc.resolve("4242/fd/4"), dev.resolve("neuron12"));
        Files.createSymbolicLink(proc.resolve("4242/fd/5"), dev.resolve("neuronx"));
        write(proc.resolve("77/cmdline"), "bash\0");
        Files.createDirectories(proc.resolve("77/fd"));
        Files.createSymbolicLink(proc.resolve("77/fd/0"), root.resolve("a-file"));
        Files.createDirectories(proc.resolve("self/fd"));

        assertThat(NeuronProcesses.scan(system()))
                .containsExactly(new NeuronProcess(4242, "python train.py --epochs 3", java.util.Set.of(0, 12)));
    }

    @Test
    void thisProcessShowsInTheRealProcWhileItHoldsANode() throws IOException {
        Path dev = Files.createDirectories(root.resolve("dev"));
        Files.writeString(dev.resolve("neuron1"), "");
        SystemRoot real = SystemRoot.of(sys(), dev, Path.of("/proc"), null);
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux /proc");
        long me = ProcessHandle.current().pid();
        try (FileChannel node = FileChannel.open(dev.resolve("neuron1"), StandardOpenOption.READ)) {
            assertThat(NeuronProcesses.scan(real)).anySatisfy(p -> {
                assertThat(p.pid()).isEqualTo(me);
                assertThat(p.devices()).containsExactly(1);
                assertThat(p.command()).contains("java");
            });
        }
        assertThat(NeuronProcesses.scan(real)).noneMatch(p -> p.pid() == me);
    }
}
