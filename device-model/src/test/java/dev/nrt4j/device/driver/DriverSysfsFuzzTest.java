package dev.nrt4j.device.driver;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A driver tree whose files hold arbitrary text reads either to devices and counters within the
 * driver's ranges or fails with a {@link DriverSysfsException}; any other exception is a finding.
 * Without {@code JAZZER_FUZZ} this runs once per committed input.
 */
class DriverSysfsFuzzTest {
    private static final String[] DEVICE_FILES = {
        "core_count",
        "connected_devices",
        "info/architecture/device_name",
        "info/architecture/arch_type",
        "info/serial_number",
        "neuron_core0/stats/memory_usage/device_mem/tensors/total",
        "neuron_core0/stats/status/success/total",
        "neuron_core0/stats/other_info/nc_time_in_use/total",
        "stats/memory_usage/host_mem/tensors/peak"
    };

    @FuzzTest(maxDuration = "10m")
    void anyFileContentReadsOrIsRefusedCleanly(FuzzedDataProvider data) throws IOException {
        Path root = Files.createTempDirectory("nrt4j-sysfs-fuzz");
        try {
            Path sys = root.resolve("sys");
            int devices = data.consumeInt(1, 3);
            for (int d = 0; d < devices; d++) {
                Path dev = sys.resolve("devices/virtual/neuron_device/neuron" + data.consumeInt(0, 20));
                for (String f : DEVICE_FILES) {
                    if (data.consumeBoolean()) {
                        Files.createDirectories(dev.resolve(f).getParent());
                        Files.writeString(dev.resolve(f), data.consumeString(40));
                    }
                }
            }
            Path driver = sys.resolve("bus/pci/drivers/neuron-driver");
            Path pci = driver.resolve(data.consumeString(16));
            // Only names of one entry inside the driver directory: the reader lists it, nothing else.
            if (data.consumeBoolean() && driver.equals(pci.getParent())) {
                try {
                    Files.createDirectories(pci);
                    Files.writeString(pci.resolve("numa_node"), data.consumeString(8));
                } catch (IOException | java.nio.file.InvalidPathException e) {
                    // An unusable name is not the reader's input.
                }
            }
            DriverSysfs sysfs = new DriverSysfs(SystemRoot.of(sys, root.resolve("dev"), root.resolve("proc"), null));
            List<DriverDevice> found;
            try {
                found = sysfs.devices();
            } catch (DriverSysfsException e) {
                assertThat(e.getMessage()).startsWith(sys.toString());
                return;
            }
            for (DriverDevice d : found) {
                assertThat(d.physicalCoreCount()).isBetween(0, DriverSysfs.MAX_CORES_PER_DEVICE);
                assertThat(d.connectedDevices()).allMatch(id -> id >= 0);
                CoreCounters c = sysfs.counters(d.index(), 0);
                assertThat(c.status()).hasSize(SysfsLayout.STATUS_COUNTERS.size());
                sysfs.hostMemory(d.index());
            }
        } catch (java.nio.file.InvalidPathException e) {
            // A NUL in a generated name: the file system's limit, not the reader's.
        } finally {
            delete(root);
        }
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
