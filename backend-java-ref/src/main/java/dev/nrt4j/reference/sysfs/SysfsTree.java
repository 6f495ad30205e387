package dev.nrt4j.reference.sysfs;

import dev.nrt4j.device.InstanceType;
import dev.nrt4j.device.NeuronChip;
import dev.nrt4j.device.driver.SysfsLayout;
import dev.nrt4j.device.driver.SystemRoot;
import dev.nrt4j.spi.StateDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The simulated machine of one instance type, laid out under {@code <state dir>/<instance type>/} as a
 * real one is under {@code /}: the Neuron driver's sysfs tree of driver 2.25 in
 * {@code sys/devices/virtual/neuron_device/neuron<N>/} (identity files per device and, per physical core
 * since sysfs knows nothing of LNC, the status, memory and other_info counters), the PCI functions the
 * driver binds in {@code sys/bus/pci/drivers/neuron-driver/}, the instance identity in
 * {@code sys/devices/virtual/dmi/id/}, and device nodes {@code dev/neuron<N>} that runtimes hold open.
 * Driver 2.31 reorganised the tree; that layout is not known and not imitated.
 */
public final class SysfsTree {
    /** Bump when the layout changes, so trees written by an older nrt4j get their new files. */
    private static final String LAYOUT_MARKER = ".nrt4j-layout-2.25-v2";
    /** The driver release whose sysfs layout this tree follows. */
    static final String DRIVER_VERSION = "2.25.4.0";

    private final Path stateDir;
    private final InstanceType instance;
    private final SystemRoot system;
    /** Directories made or checked already, so the layout of thousands of files checks each level once. */
    private final Set<Path> ensured = ConcurrentHashMap.newKeySet();

    private SysfsTree(Path stateDir, InstanceType instance, SystemRoot system) {
        this.stateDir = stateDir;
        this.instance = instance;
        this.system = system;
    }

    /** The simulated machine of {@code instance} in {@code stateDir}. */
    public static SystemRoot systemRoot(Path stateDir, InstanceType instance) {
        return SystemRoot.simulated(stateDir.resolve(instance.name()));
    }

    /**
     * The tree of {@code instance} in {@code stateDir}, creating whatever files are missing. Existing files
     * are never rewritten, since another process may be updating their counters. The state directory is
     * checked before anything is written, and every directory of the tree is made 0700 (see
     * {@link StateDirectory}).
     *
     * @throws dev.nrt4j.NeuronException {@link dev.nrt4j.Status#FAILURE} if the state directory is unsafe,
     *     or a directory of the tree cannot be made or is a symbolic link
     * @throws UncheckedIOException if a file of the tree cannot be created
     */
    public static SysfsTree ensure(Path stateDir, InstanceType instance) {
        StateDirectory.ensure(stateDir);
        SystemRoot system = systemRoot(stateDir, instance);
        SysfsTree tree = new SysfsTree(stateDir, instance, system);
        system.records().ifPresent(tree::directory);
        // A complete layout is marked, so later opens skip checking thousands of files (trn2.48xlarge has ~15k).
        Path marker = system.sys().resolve(LAYOUT_MARKER);
        if (!Files.exists(marker)) {
            tree.layOutMachine();
            for (int d = 0; d < instance.deviceCount(); d++) {
                tree.layOutDevice(d);
            }
            SysfsFiles.createIfMissing(marker, "");
        }
        return tree;
    }

    /**
     * Makes sure {@code dir}, a directory of this tree, exists, as {@link StateDirectory#ensureWithin} does.
     *
     * @return {@code dir}
     * @throws dev.nrt4j.NeuronException {@link dev.nrt4j.Status#FAILURE} if it cannot be made or a level
     *     of it is not a directory
     */
    public Path directory(Path dir) {
        if (!ensured.contains(dir)) {
            StateDirectory.ensureWithin(stateDir, dir);
            ensured.add(dir);
        }
        return dir;
    }

    /** Where this machine's {@code sys}, {@code dev} and runtime records are. */
    public SystemRoot systemRoot() {
        return system;
    }

    /** {@code .../neuron_device}, the parent of the {@code neuron<N>} directories. */
    public Path root() {
        return system.neuronDevices();
    }

    /** {@code neuron<device>/}. */
    public Path device(int device) {
        return root().resolve(SysfsLayout.deviceDir(device));
    }

    /** {@code neuron<device>/neuron_core<physicalCore>/}. */
    public Path core(int device, int physicalCore) {
        return device(device).resolve(SysfsLayout.coreDir(physicalCore));
    }

    /** The status counter directory {@code name} of a physical core. */
    public Path status(int device, int physicalCore, String name) {
        return SysfsLayout.status(core(device, physicalCore), name);
    }

    /** {@code stats/memory_usage/device_mem} of a physical core. */
    public Path deviceMem(int device, int physicalCore) {
        return SysfsLayout.deviceMem(core(device, physicalCore), "");
    }

    /** The other_info counter directory {@code name} of a physical core. */
    public Path otherInfo(int device, int physicalCore, String name) {
        return SysfsLayout.otherInfo(core(device, physicalCore), name);
    }

    /** The device-level host memory counter directory of {@code category}. */
    public Path deviceHostMem(int device, String category) {
        return SysfsLayout.deviceHostMem(device(device), category);
    }

    /** {@code stats/memory_usage/host_mem} of a physical core. */
    public Path coreHostMem(int device, int physicalCore) {
        return SysfsLayout.coreHostMem(core(device, physicalCore));
    }

    private void layOutMachine() {
        Path dmi = system.sys().resolve(SysfsLayout.DMI_DIR);
        file(dmi.resolve("product_name"), instance.name() + "\n");
        file(dmi.resolve("board_asset_tag"), instanceId(instance.name()) + "\n");
        file(system.sys().resolve("module/neuron/version"), DRIVER_VERSION + "\n");
        // The class-level UltraServer files read like a standalone instance's.
        Path cls = system.sys().resolve("class/neuron_device");
        file(cls.resolve("node_id_2"), "-1\n");
        file(cls.resolve("node_id_4"), "-1\n");
        file(cls.resolve("server_id_2"), "0000000000000000\n");
        file(cls.resolve("server_id_4"), "0000000000000000\n");
    }

    private void layOutDevice(int d) {
        NeuronChip chip = instance.chip();
        Path dev = device(d);
        // The driver prints core_count with "%d" and no newline.
        file(dev.resolve("core_count"), Integer.toString(chip.physicalCoresPerChip()));
        file(
                dev.resolve("connected_devices"),
                instance.topology().neighbours(d).stream().map(String::valueOf).collect(Collectors.joining(", "))
                        + "\n");
        file(dev.resolve("reset"), "0\n");
        file(dev.resolve("info/notify_delay"), "-1\n");
        file(dev.resolve("info/architecture/arch_type"), chip.sysfsDeviceArchType() + "\n");
        file(dev.resolve("info/architecture/instance_type"), chip.sysfsInstanceType() + "\n");
        file(dev.resolve("info/architecture/device_name"), chip.sysfsDeviceName() + "\n");
        file(dev.resolve("info/serial_number"), serialNumber(instance.name(), d) + "\n");
        file(dev.resolve("stats/power/utilization"), "POWER_STATUS_NO_DATA,0,0.00,0.00,0.00\n");
        for (String h : SysfsLayout.HARDWARE_COUNTERS) {
            file(SysfsLayout.hardware(dev, h), "0\n");
        }
        for (String c : SysfsLayout.HOST_MEM_CATEGORIES) {
            counter(deviceHostMem(d, c), true);
        }
        for (int k = 0; k < chip.physicalCoresPerChip(); k++) {
            Path core = core(d, k);
            file(core.resolve("info/architecture/arch_type"), chip.sysfsCoreArchType() + "\n");
            for (String s : SysfsLayout.STATUS_COUNTERS) {
                counter(status(d, k, s), false);
            }
            Path mem = deviceMem(d, k);
            counter(mem, true);
            for (String c : SysfsLayout.DEVICE_MEM_CATEGORIES) {
                counter(mem.resolve(c), true);
            }
            counter(coreHostMem(d, k), true);
            for (String o : SysfsLayout.OTHER_INFO) {
                counter(otherInfo(d, k, o), false);
            }
        }
        layOutPciFunction(d);
        file(system.deviceNode(d), "");
    }

    /**
     * The device's PCI function: a directory under {@code sys/devices/pci0000:00/} with the vendor,
     * device id, NUMA node and local CPUs, linked from the driver's directory as the kernel links bound
     * functions. See {@link SimulatedPci} for the made-up addresses.
     */
    private void layOutPciFunction(int d) {
        SimulatedPci pci = SimulatedPci.of(instance, d);
        Path function = system.sys().resolve("devices/pci0000:00").resolve(pci.bdf());
        file(function.resolve("vendor"), String.format(Locale.ROOT, "0x%04x\n", NeuronChip.PCI_VENDOR_ID));
        file(
                function.resolve("device"),
                String.format(
                        Locale.ROOT, "0x%04x\n", instance.chip().pciDeviceIds().get(0)));
        file(function.resolve("numa_node"), pci.numaNode() + "\n");
        file(function.resolve("local_cpulist"), pci.cpuAffinity() + "\n");
        Path link = system.sys().resolve(SysfsLayout.PCI_DRIVER_DIR).resolve(pci.bdf());
        directory(link.getParent());
        try {
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, link.getParent().relativize(function));
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // Another process linked it first.
        } catch (IOException | UnsupportedOperationException e) {
            throw new UncheckedIOException(
                    "cannot link " + link, e instanceof IOException ? (IOException) e : new IOException(e));
        }
    }

    /**
     * A made-up but stable serial number, {@code "%016llx"} as the driver prints it: FNV-1a of the
     * instance type and device index, so every run and process sees the same serial for a device.
     */
    static String serialNumber(String instanceType, int device) {
        return String.format(Locale.ROOT, "%016x", fnv1a("nrt4j:" + instanceType + ":" + device));
    }

    /** A made-up but stable EC2 instance id ({@code i-} and 17 hex digits) for the simulated instance. */
    static String instanceId(String instanceType) {
        return "i-0" + String.format(Locale.ROOT, "%016x", fnv1a("nrt4j-instance:" + instanceType));
    }

    private static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    private void counter(Path dir, boolean peak) {
        directory(dir);
        SysfsFiles.createCounterIfMissing(dir.resolve("total"), "0\n");
        SysfsFiles.createCounterIfMissing(dir.resolve("present"), "0\n");
        if (peak) {
            SysfsFiles.createCounterIfMissing(dir.resolve("peak"), "0\n");
        }
    }

    private void file(Path file, String content) {
        directory(file.getParent());
        SysfsFiles.createIfMissing(file, content);
    }
}
