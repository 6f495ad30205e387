package dev.nrt4j.device.driver;

import dev.nrt4j.device.NeuronChip;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the Neuron driver's sysfs tree under a {@link SystemRoot}: the devices, their cores' counters,
 * the PCI functions the driver binds and the instance identity EC2 puts in DMI. Every call reads the
 * files anew, so repeated calls follow the counters as runtimes move them. Stateless and thread-safe.
 *
 * <p>A file the tree lacks reads as absent (0 for a counter), since drivers of other versions lay out
 * fewer files; an identity file ({@code core_count}, {@code connected_devices}) that does not hold what
 * the driver writes there is a {@link DriverSysfsException} naming it. Counters that hold something
 * other than a number read as 0 (see {@link #counter}).
 *
 * <p>The driver does not say which PCI function a device id belongs to (neuron-ls asks it through an
 * ioctl on the device node). Without that, the functions bound to {@code neuron-driver} are matched to
 * device ids in bus order, which is right when the driver numbers devices in probe order and may not
 * be on machines whose driver renumbers them (Trn1/Trn2 by routing id).
 */
public final class DriverSysfs {
    private static final Pattern DEVICE_DIR = Pattern.compile("neuron(\\d{1,4})");
    private static final Pattern BDF = Pattern.compile("[0-9a-fA-F]{4,8}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]");

    /** Far above any chip's 8 physical cores, far below what would make a listing huge. */
    static final int MAX_CORES_PER_DEVICE = 64;

    /**
     * The largest counter value believed, 2^50 (a pebibyte, or 10^15 events): no device comes near it, and
     * sums of thousands of counters stay far from overflowing a {@code long}.
     */
    public static final long PLAUSIBLE_COUNTER_MAX = 1L << 50;

    /**
     * The largest {@code flop_count} believed: any {@code long}. A busy core adds about 10^14 a second, so it
     * passes {@link #PLAUSIBLE_COUNTER_MAX} within a minute; readers take differences of it, which cannot
     * overflow between two values from 0 to this.
     */
    public static final long FLOP_COUNTER_MAX = Long.MAX_VALUE;

    /** The other_info counter that counts floating-point operations. */
    private static final String FLOP_COUNT = "flop_count";

    private static final long MAX_COUNTER_FILE_BYTES = 4096;

    private final SystemRoot root;
    /** Where lenient reading reports a counter it skipped; null for strict reading. */
    private final Consumer<String> warnings;

    /**
     * A reader of {@code root}'s tree. Reads nothing yet: a missing tree shows only when a method reads it.
     * A counter file that exists but cannot be read is a {@link DriverSysfsException}.
     *
     * @param root where the machine's {@code /sys}, {@code /dev} and {@code /proc} are; not null
     */
    public DriverSysfs(SystemRoot root) {
        this.root = root;
        this.warnings = null;
    }

    /**
     * A lenient reader of {@code root}'s tree, for monitoring tools that must keep showing the rest of a
     * machine when one counter is junk: a counter file that is not a regular file (a directory, a pipe),
     * cannot be read, or does not hold a number from 0 to {@link #PLAUSIBLE_COUNTER_MAX} ({@code flop_count}:
     * {@link #FLOP_COUNTER_MAX}) reads as 0, and
     * {@code warnings} receives one line naming it and what is wrong (every time it is read; the caller
     * drops repeats).
     *
     * @param root where the machine's {@code /sys}, {@code /dev} and {@code /proc} are; not null
     * @param warnings receives a line per skipped counter; not null
     */
    public DriverSysfs(SystemRoot root, Consumer<String> warnings) {
        this.root = root;
        this.warnings = Objects.requireNonNull(warnings, "warnings");
    }

    /** {@return the places this reader reads} */
    public SystemRoot root() {
        return root;
    }

    /**
     * Every Neuron device, in id order; empty when the driver is not loaded (no class directory).
     *
     * @return a new list of the devices read now; the caller may change it
     * @throws DriverSysfsException if a device's identity files are malformed
     */
    public List<DriverDevice> devices() {
        List<Integer> ids = deviceIds();
        List<PciFunction> pci = pciFunctions();
        List<DriverDevice> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            int id = ids.get(i);
            Path dir = deviceDir(id);
            String name = text(dir.resolve("info/architecture/device_name")).orElse("");
            Optional<NeuronChip> chip = NeuronChip.fromSysfsDeviceName(name);
            out.add(new DriverDevice(
                    id,
                    chip,
                    name,
                    text(dir.resolve("info/architecture/arch_type")).orElse(""),
                    coreCount(dir.resolve("core_count")),
                    connected(dir.resolve("connected_devices")),
                    text(dir.resolve("info/serial_number")).orElse(""),
                    pci.size() == ids.size() ? Optional.of(pci.get(i)) : Optional.empty()));
        }
        return out;
    }

    /**
     * The counters of one physical core now.
     *
     * @param device the device id, as in {@code neuron<device>}
     * @param physicalCore the core's index on its device (sysfs counts physical cores, whatever the LNC)
     * @return every counter of {@link SysfsLayout}'s lists; all 0 for a core or device the tree lacks
     * @throws DriverSysfsException if a counter file cannot be read
     */
    public CoreCounters counters(int device, int physicalCore) {
        Path core = deviceDir(device).resolve(SysfsLayout.coreDir(physicalCore));
        Map<String, MemoryCounter> mem = new HashMap<>();
        for (String c : SysfsLayout.DEVICE_MEM_CATEGORIES) {
            mem.put(c, memory(SysfsLayout.deviceMem(core, c)));
        }
        Map<String, Long> status = new HashMap<>();
        for (String s : SysfsLayout.STATUS_COUNTERS) {
            status.put(s, count(SysfsLayout.status(core, s).resolve("total")));
        }
        Map<String, Long> other = new HashMap<>();
        for (String o : SysfsLayout.OTHER_INFO) {
            other.put(
                    o,
                    count(
                            SysfsLayout.otherInfo(core, o).resolve("total"),
                            o.equals(FLOP_COUNT) ? FLOP_COUNTER_MAX : PLAUSIBLE_COUNTER_MAX));
        }
        return new CoreCounters(
                device,
                physicalCore,
                memory(SysfsLayout.deviceMem(core, "")),
                mem,
                memory(SysfsLayout.coreHostMem(core)),
                status,
                other);
    }

    /**
     * One device memory counter of a physical core now; {@code category} empty for the core's total.
     *
     * @param device the device id
     * @param physicalCore the core's index on its device
     * @param category one of {@link SysfsLayout#DEVICE_MEM_CATEGORIES}, or empty for the total; not null
     * @return the counter; {@link MemoryCounter#ZERO}'s values when the tree lacks it
     * @throws DriverSysfsException if a counter file cannot be read
     */
    public MemoryCounter deviceMemory(int device, int physicalCore, String category) {
        return memory(SysfsLayout.deviceMem(deviceDir(device).resolve(SysfsLayout.coreDir(physicalCore)), category));
    }

    /**
     * A device's host memory by category now.
     *
     * @param device the device id
     * @return a new mutable map with one counter per {@link SysfsLayout#HOST_MEM_CATEGORIES} name
     * @throws DriverSysfsException if a counter file cannot be read
     */
    public Map<String, MemoryCounter> hostMemory(int device) {
        Map<String, MemoryCounter> out = new HashMap<>();
        for (String c : SysfsLayout.HOST_MEM_CATEGORIES) {
            out.put(c, memory(SysfsLayout.deviceHostMem(deviceDir(device), c)));
        }
        return out;
    }

    /**
     * A device's hardware error counters now.
     *
     * @param device the device id
     * @return a new mutable map with one total per {@link SysfsLayout#HARDWARE_COUNTERS} name
     * @throws DriverSysfsException if a counter file cannot be read
     */
    public Map<String, Long> hardwareCounters(int device) {
        Map<String, Long> out = new HashMap<>();
        for (String c : SysfsLayout.HARDWARE_COUNTERS) {
            out.put(c, count(SysfsLayout.hardware(deviceDir(device), c)));
        }
        return out;
    }

    /**
     * {@return the EC2 instance type from DMI ({@code product_name}), e.g. {@code trn1.32xlarge}; empty
     * when the file is missing or blank}
     *
     * @throws DriverSysfsException if the file exists but cannot be read
     */
    public Optional<String> instanceType() {
        return text(root.sys().resolve(SysfsLayout.DMI_DIR).resolve("product_name"))
                .filter(s -> !s.isEmpty());
    }

    /**
     * {@return the EC2 instance id from DMI ({@code board_asset_tag}), e.g. {@code i-0123456789abcdef0};
     * empty when missing or not an instance id (outside EC2)}
     *
     * @throws DriverSysfsException if the file exists but cannot be read
     */
    public Optional<String> instanceId() {
        return text(root.sys().resolve(SysfsLayout.DMI_DIR).resolve("board_asset_tag"))
                .filter(s -> s.startsWith("i-"));
    }

    /**
     * {@return the loaded driver's version ({@code module/neuron/version}); empty when no driver is loaded}
     *
     * @throws DriverSysfsException if the file exists but cannot be read
     */
    public Optional<String> driverVersion() {
        return text(root.sys().resolve("module/neuron/version")).filter(s -> !s.isEmpty());
    }

    private Path deviceDir(int id) {
        return root.neuronDevices().resolve(SysfsLayout.deviceDir(id));
    }

    private List<Integer> deviceIds() {
        List<Integer> ids = new ArrayList<>();
        for (String name : list(root.neuronDevices())) {
            Matcher m = DEVICE_DIR.matcher(name);
            if (m.matches()) {
                ids.add(Integer.parseInt(m.group(1)));
            }
        }
        Collections.sort(ids);
        return ids;
    }

    private List<PciFunction> pciFunctions() {
        Path driver = root.sys().resolve(SysfsLayout.PCI_DRIVER_DIR);
        List<String> bdfs = new ArrayList<>();
        for (String name : list(driver)) {
            if (BDF.matcher(name).matches()) {
                bdfs.add(name.toLowerCase(java.util.Locale.ROOT));
            }
        }
        Collections.sort(bdfs);
        List<PciFunction> out = new ArrayList<>();
        for (String bdf : bdfs) {
            Path fn = driver.resolve(bdf);
            out.add(new PciFunction(
                    bdf,
                    text(fn.resolve("numa_node")).orElse("-1"),
                    text(fn.resolve("local_cpulist")).orElse("")));
        }
        return out;
    }

    private static List<String> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                names.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            throw new DriverSysfsException(dir, "cannot list the directory", e);
        }
        return names;
    }

    /** A file's content without its trailing newline, empty if it does not exist. */
    static Optional<String> text(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8);
            return Optional.of(s.endsWith("\n") ? s.substring(0, s.length() - 1) : s);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new DriverSysfsException(file, "cannot be read", e);
        }
    }

    /** The driver's physical core count: 2, 4 or 8 on every chip so far; far more means a corrupt file. */
    private static int coreCount(Path file) {
        String s =
                text(file).orElseThrow(() -> new DriverSysfsException(file, "is missing; every Neuron device has it"));
        int n;
        try {
            n = Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new DriverSysfsException(file, "holds '" + s + "', not a decimal number");
        }
        if (n < 0 || n > MAX_CORES_PER_DEVICE) {
            throw new DriverSysfsException(
                    file, "says " + n + " cores; a Neuron device has 0 to " + MAX_CORES_PER_DEVICE);
        }
        return n;
    }

    private static List<Integer> connected(Path file) {
        String s = text(file).orElse("").strip();
        if (s.isEmpty()) {
            return List.of();
        }
        List<Integer> out = new ArrayList<>();
        for (String part : s.split(",")) {
            int id;
            try {
                id = Integer.parseInt(part.strip());
            } catch (NumberFormatException e) {
                throw new DriverSysfsException(file, "holds '" + s + "', not device ids separated by ', '");
            }
            if (id < 0) {
                throw new DriverSysfsException(file, "holds '" + s + "', with a negative device id");
            }
            out.add(id);
        }
        return out;
    }

    private MemoryCounter memory(Path dir) {
        return new MemoryCounter(
                count(dir.resolve("total")), count(dir.resolve("present")), count(dir.resolve("peak")));
    }

    /** A counter as this reader reads it: {@link #counter} when strict, else as the lenient constructor says. */
    private long count(Path file) {
        return count(file, PLAUSIBLE_COUNTER_MAX);
    }

    /** As {@link #count(Path)}, believing values from 0 to {@code max} when lenient. */
    private long count(Path file, long max) {
        if (warnings == null) {
            return counter(file);
        }
        if (Files.notExists(file, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        if (!Files.isRegularFile(file)) {
            // Reading a pipe would block; a directory cannot be read.
            warnings.accept("skipping counter " + file + ": it is not a regular file; it counts as 0");
            return 0;
        }
        String s;
        try {
            // sysfs reports 4096 bytes for every attribute file; more is not a counter, and must not be read whole.
            if (Files.size(file) > MAX_COUNTER_FILE_BYTES) {
                warnings.accept(
                        "skipping counter " + file + ": it holds " + Files.size(file) + " bytes; it counts as 0");
                return 0;
            }
            s = text(file).orElse("").strip();
        } catch (IOException | DriverSysfsException e) {
            warnings.accept("skipping counter " + file + ": it cannot be read; it counts as 0");
            return 0;
        }
        if (s.isEmpty()) {
            // A counter file is empty for a moment while its creator writes it.
            return 0;
        }
        // At most 19 digits, and a value past a long is refused by the parser rather than wrapped.
        long v = -1;
        if (s.matches("[0-9]{1,19}")) {
            try {
                v = Long.parseLong(s);
            } catch (NumberFormatException e) {
                v = -1;
            }
        }
        if (v < 0 || v > max) {
            String shown = s.length() > 24 ? s.substring(0, 24) + "..." : s;
            warnings.accept("skipping counter " + file + ": it holds '" + shown.replaceAll("\\p{Cntrl}", "?")
                    + "', not a number from 0 to " + max + "; it counts as 0");
            return 0;
        }
        return v;
    }

    /**
     * A counter file ({@code "%llu\n"}), 0 if missing. Anything else also reads as 0: writing to a counter
     * file is how users reset it, the driver then shows 0 whatever was written, and on the reference
     * device the written text stays until the owning runtime next writes the counter.
     *
     * @param file a {@code total}, {@code present} or {@code peak} file
     * @return its value as an unsigned 64-bit number
     * @throws DriverSysfsException if it exists but cannot be read
     */
    public static long counter(Path file) {
        Optional<String> s = text(file);
        if (s.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseUnsignedLong(s.get().strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
