package dev.nrt4j.device.driver;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where to find the driver's view of a machine: the {@code /sys} tree, the directory of the
 * {@code neuron<N>} device nodes, {@code /proc} (whose processes hold those nodes open) and, for
 * runtimes that publish them, the nrt4j runtime records (which process loaded which model, the
 * counterpart of libnrt's shared-memory datastore). A real machine is {@link #host()}; the reference
 * device keeps a simulated {@code sys} and {@code dev} in its state directory; tests point all four
 * at fixture trees. Immutable.
 */
public final class SystemRoot {
    private final Path sys;
    private final Path dev;
    private final Path proc;
    private final Path records;

    private SystemRoot(Path sys, Path dev, Path proc, Path records) {
        this.sys = Objects.requireNonNull(sys, "sys");
        this.dev = Objects.requireNonNull(dev, "dev");
        this.proc = Objects.requireNonNull(proc, "proc");
        this.records = records;
    }

    /** This machine: {@code /sys}, {@code /dev}, {@code /proc}, and no runtime records. */
    public static SystemRoot host() {
        return new SystemRoot(Path.of("/sys"), Path.of("/dev"), Path.of("/proc"), null);
    }

    /**
     * A simulated machine under {@code root}: {@code root/sys}, {@code root/dev}, runtime records in
     * {@code root/runtimes}, and this machine's {@code /proc}, since its processes are real.
     */
    public static SystemRoot simulated(Path root) {
        return new SystemRoot(root.resolve("sys"), root.resolve("dev"), Path.of("/proc"), root.resolve("runtimes"));
    }

    /** Any four places; {@code records} may be null. */
    public static SystemRoot of(Path sys, Path dev, Path proc, Path records) {
        return new SystemRoot(sys, dev, proc, records);
    }

    /** The directory standing for {@code /sys}. */
    public Path sys() {
        return sys;
    }

    /** The directory holding the {@code neuron<N>} device nodes. */
    public Path dev() {
        return dev;
    }

    /** The directory standing for {@code /proc}. */
    public Path proc() {
        return proc;
    }

    /** The directory of nrt4j runtime records, if this machine's runtimes publish them. */
    public Optional<Path> records() {
        return Optional.ofNullable(records);
    }

    /** {@code sys/devices/virtual/neuron_device}, the parent of the {@code neuron<N>} directories. */
    public Path neuronDevices() {
        return sys.resolve(SysfsLayout.NEURON_DEVICE_CLASS_DIR);
    }

    /** The device node of device {@code index}. */
    public Path deviceNode(int index) {
        return dev.resolve("neuron" + index);
    }

    @Override
    public String toString() {
        return "sys=" + sys + ", dev=" + dev + ", proc=" + proc + (records == null ? "" : ", records=" + records);
    }
}
