package dev.nrt4j.reference.sysfs;

import dev.nrt4j.device.InstanceType;
import dev.nrt4j.device.NeuronChip;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The simulated Neuron driver's sysfs tree of one instance, laid out as driver 2.25 does under
 * {@code <state dir>/<instance type>/sysfs/devices/virtual/neuron_device/neuron<N>/}: identity files per
 * device and, per physical core (sysfs knows nothing of LNC), the status, memory and other_info
 * counters. Driver 2.31 reorganised the tree; that layout is not known and not imitated.
 */
public final class SysfsTree {
    /** The 24 execution status counters under {@code stats/status}, in the driver's order. */
    public static final List<String> STATUS_COUNTERS = List.of("success", "failure", "timeout", "exec_bad_input",
            "hw_error", "execute_completed_with_error", "execute_completed_with_num_error", "generic_error",
            "resource_error", "resource_nc_error", "execute_failed_to_queue", "invalid_error",
            "unsupported_neff_version", "oob_error", "hw_collectives_error", "hw_hbm_ue_error", "hw_nc_ue_error",
            "hw_dma_abort_error", "execute_sw_nq_overflow", "execute_sw_semaphore_error", "execute_sw_event_error",
            "execute_sw_psum_collision", "execute_sw_sequencer_fatal", "hw_repairable_hbm_ue_error");

    /** The categories under {@code stats/memory_usage/device_mem}. */
    public static final List<String> DEVICE_MEM_CATEGORIES = List.of("model_code", "tensors", "constants",
            "model_shared_scratchpad", "runtime_memory", "driver_memory", "collectives", "nonshared_scratchpad",
            "notifications", "dma_rings", "uncategorized");

    /** The counters under {@code stats/other_info}. */
    public static final List<String> OTHER_INFO = List.of("model_load_count", "reset_req_count", "reset_fail_count",
            "inference_count", "flop_count", "nc_time_in_use");

    /** Bump when the layout changes, so trees written by an older nrt4j get their new files. */
    private static final String LAYOUT_MARKER = ".nrt4j-layout-2.25-v1";

    private final InstanceType instance;
    private final Path root;

    private SysfsTree(InstanceType instance, Path root) {
        this.instance = instance;
        this.root = root;
    }

    /** The directory that stands for {@code /sys} of {@code instance} in {@code stateDir}. */
    public static Path sysRoot(Path stateDir, InstanceType instance) {
        return stateDir.resolve(instance.name()).resolve("sysfs");
    }

    /**
     * The tree of {@code instance} in {@code stateDir}, creating whatever files are missing. Existing files
     * are never rewritten, since another process may be updating their counters.
     *
     * @throws UncheckedIOException if the tree cannot be created
     */
    public static SysfsTree ensure(Path stateDir, InstanceType instance) {
        Path sys = sysRoot(stateDir, instance);
        SysfsTree tree = new SysfsTree(instance, sys.resolve("devices/virtual/neuron_device"));
        // A complete layout is marked, so later opens skip checking thousands of files (trn2.48xlarge has ~12k).
        if (!Files.exists(sys.resolve(LAYOUT_MARKER))) {
            for (int d = 0; d < instance.deviceCount(); d++) {
                tree.layOutDevice(d);
            }
            SysfsFiles.createIfMissing(sys.resolve(LAYOUT_MARKER), "");
        }
        return tree;
    }

    /** {@code .../neuron_device}, the parent of the {@code neuron<N>} directories. */
    public Path root() {
        return root;
    }

    /** {@code neuron<device>/}. */
    public Path device(int device) {
        return root.resolve("neuron" + device);
    }

    /** {@code neuron<device>/neuron_core<physicalCore>/}. */
    public Path core(int device, int physicalCore) {
        return device(device).resolve("neuron_core" + physicalCore);
    }

    /** The status counter directory {@code name} of a physical core. */
    public Path status(int device, int physicalCore, String name) {
        return core(device, physicalCore).resolve("stats/status").resolve(name);
    }

    /** {@code stats/memory_usage/device_mem} of a physical core. */
    public Path deviceMem(int device, int physicalCore) {
        return core(device, physicalCore).resolve("stats/memory_usage/device_mem");
    }

    /** The other_info counter directory {@code name} of a physical core. */
    public Path otherInfo(int device, int physicalCore, String name) {
        return core(device, physicalCore).resolve("stats/other_info").resolve(name);
    }

    private void layOutDevice(int d) {
        NeuronChip chip = instance.chip();
        Path dev = device(d);
        // The driver prints core_count with "%d" and no newline.
        file(dev.resolve("core_count"), Integer.toString(chip.physicalCoresPerChip()));
        file(dev.resolve("connected_devices"), instance.topology().neighbours(d).stream().map(String::valueOf)
                .collect(Collectors.joining(", ")) + "\n");
        file(dev.resolve("info/architecture/arch_type"), chip.sysfsDeviceArchType() + "\n");
        file(dev.resolve("info/architecture/instance_type"), chip.sysfsInstanceType() + "\n");
        file(dev.resolve("info/architecture/device_name"), chip.sysfsDeviceName() + "\n");
        file(dev.resolve("info/serial_number"), serialNumber(instance.name(), d) + "\n");
        for (int k = 0; k < chip.physicalCoresPerChip(); k++) {
            Path core = core(d, k);
            file(core.resolve("info/architecture/arch_type"), chip.sysfsCoreArchType() + "\n");
            for (String s : STATUS_COUNTERS) {
                counter(status(d, k, s), false);
            }
            Path mem = deviceMem(d, k);
            counter(mem, true);
            for (String c : DEVICE_MEM_CATEGORIES) {
                counter(mem.resolve(c), true);
            }
            for (String o : OTHER_INFO) {
                counter(otherInfo(d, k, o), false);
            }
        }
    }

    /**
     * A made-up but stable serial number, {@code "%016llx"} as the driver prints it: FNV-1a of the
     * instance type and device index, so every run and process sees the same serial for a device.
     */
    static String serialNumber(String instanceType, int device) {
        long h = 0xcbf29ce484222325L;
        for (byte b : ("nrt4j:" + instanceType + ":" + device).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return String.format(Locale.ROOT, "%016x", h);
    }

    private static void counter(Path dir, boolean peak) {
        file(dir.resolve("total"), "0\n");
        file(dir.resolve("present"), "0\n");
        if (peak) {
            file(dir.resolve("peak"), "0\n");
        }
    }

    private static void file(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file.getParent(), e);
        }
        SysfsFiles.createIfMissing(file, content);
    }
}
