package dev.nrt4j.device.driver;

import java.nio.file.Path;
import java.util.List;

/**
 * The names and places of the Neuron driver's sysfs tree as driver 2.25 lays it out
 * ({@code neff-sysfs-tools.md} §3.2), shared by the reader and the reference device's writer so the
 * two cannot drift apart. Paths are relative to {@code /sys} or to a {@code neuron<N>} directory as
 * each method says. Driver 2.31 reorganised the tree; that layout is not known and not covered.
 */
public final class SysfsLayout {
    /** The class directory of the Neuron devices, relative to {@code /sys}. */
    public static final String NEURON_DEVICE_CLASS_DIR = "devices/virtual/neuron_device";

    /** Where PCI functions bound to the driver are linked, relative to {@code /sys}. */
    public static final String PCI_DRIVER_DIR = "bus/pci/drivers/neuron-driver";

    /** Firmware identity of the instance, relative to {@code /sys}: EC2 writes the type and id there. */
    public static final String DMI_DIR = "devices/virtual/dmi/id";

    /** The 24 execution status counters under a core's {@code stats/status}, in the driver's order. */
    public static final List<String> STATUS_COUNTERS = List.of(
            "success",
            "failure",
            "timeout",
            "exec_bad_input",
            "hw_error",
            "execute_completed_with_error",
            "execute_completed_with_num_error",
            "generic_error",
            "resource_error",
            "resource_nc_error",
            "execute_failed_to_queue",
            "invalid_error",
            "unsupported_neff_version",
            "oob_error",
            "hw_collectives_error",
            "hw_hbm_ue_error",
            "hw_nc_ue_error",
            "hw_dma_abort_error",
            "execute_sw_nq_overflow",
            "execute_sw_semaphore_error",
            "execute_sw_event_error",
            "execute_sw_psum_collision",
            "execute_sw_sequencer_fatal",
            "hw_repairable_hbm_ue_error");

    /** The categories under a core's {@code stats/memory_usage/device_mem}. */
    public static final List<String> DEVICE_MEM_CATEGORIES = List.of(
            "model_code",
            "tensors",
            "constants",
            "model_shared_scratchpad",
            "runtime_memory",
            "driver_memory",
            "collectives",
            "nonshared_scratchpad",
            "notifications",
            "dma_rings",
            "uncategorized");

    /** The categories under a device's {@code stats/memory_usage/host_mem}. */
    public static final List<String> HOST_MEM_CATEGORIES = List.of(
            "dma_buffers",
            "tensors",
            "constants",
            "application_memory",
            "driver_memory",
            "notifications",
            "dma_rings",
            "uncategorized");

    /** The counters under a core's {@code stats/other_info}. */
    public static final List<String> OTHER_INFO = List.of(
            "model_load_count",
            "reset_req_count",
            "reset_fail_count",
            "inference_count",
            "flop_count",
            "nc_time_in_use");

    /** The device's {@code stats/hardware} error counters. */
    public static final List<String> HARDWARE_COUNTERS =
            List.of("sram_ecc_uncorrected", "mem_ecc_uncorrected", "mem_ecc_repairable_uncorrected");

    private SysfsLayout() {}

    /**
     * {@code neuron<device>}, relative to the class directory.
     *
     * @param device the device id, 0 or more
     * @return the directory's name
     */
    public static String deviceDir(int device) {
        return "neuron" + device;
    }

    /**
     * {@code neuron_core<physicalCore>}, relative to a device directory.
     *
     * @param physicalCore the physical core's index on its device (sysfs knows no logical cores)
     * @return the directory's name
     */
    public static String coreDir(int physicalCore) {
        return "neuron_core" + physicalCore;
    }

    /**
     * A core's device memory counter directory; {@code category} empty for the core's total.
     *
     * @param coreDir the core's {@code neuron_core<N>} directory
     * @param category one of {@link #DEVICE_MEM_CATEGORIES}, or empty; not null
     * @return the directory holding {@code total}, {@code present} and {@code peak}
     */
    public static Path deviceMem(Path coreDir, String category) {
        Path mem = coreDir.resolve("stats/memory_usage/device_mem");
        return category.isEmpty() ? mem : mem.resolve(category);
    }

    /**
     * A core's host memory counter directory.
     *
     * @param coreDir the core's {@code neuron_core<N>} directory
     * @return the directory holding {@code total}, {@code present} and {@code peak}
     */
    public static Path coreHostMem(Path coreDir) {
        return coreDir.resolve("stats/memory_usage/host_mem");
    }

    /**
     * A device's host memory counter directory of {@code category}.
     *
     * @param deviceDir the device's {@code neuron<N>} directory
     * @param category one of {@link #HOST_MEM_CATEGORIES}
     * @return the directory holding {@code total}, {@code present} and {@code peak}
     */
    public static Path deviceHostMem(Path deviceDir, String category) {
        return deviceDir.resolve("stats/memory_usage/host_mem").resolve(category);
    }

    /**
     * A core's status counter directory.
     *
     * @param coreDir the core's {@code neuron_core<N>} directory
     * @param name one of {@link #STATUS_COUNTERS}
     * @return the directory holding the counter's {@code total}
     */
    public static Path status(Path coreDir, String name) {
        return coreDir.resolve("stats/status").resolve(name);
    }

    /**
     * A core's other_info counter directory.
     *
     * @param coreDir the core's {@code neuron_core<N>} directory
     * @param name one of {@link #OTHER_INFO}
     * @return the directory holding the counter's {@code total}
     */
    public static Path otherInfo(Path coreDir, String name) {
        return coreDir.resolve("stats/other_info").resolve(name);
    }

    /**
     * A device's hardware error counter file.
     *
     * @param deviceDir the device's {@code neuron<N>} directory
     * @param name one of {@link #HARDWARE_COUNTERS}
     * @return the counter file itself (no {@code total} below it)
     */
    public static Path hardware(Path deviceDir, String name) {
        return deviceDir.resolve("stats/hardware").resolve(name);
    }
}
