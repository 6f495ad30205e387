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

    /** {@return this machine: {@code /sys}, {@code /dev}, {@code /proc}, and no runtime records} */
    public static SystemRoot host() {
        return new SystemRoot(Path.of("/sys"), Path.of("/dev"), Path.of("/proc"), null);
    }

    /**
     * A simulated machine under {@code root}: {@code root/sys}, {@code root/dev}, runtime records in
     * {@code root/runtimes}, and this machine's {@code /proc}, since its processes are real.
     *
     * @param root the simulated machine's directory; not null, need not exist yet
     * @return the places under it; nothing is created
     */
    public static SystemRoot simulated(Path root) {
        return new SystemRoot(root.resolve("sys"), root.resolve("dev"), Path.of("/proc"), root.resolve("runtimes"));
    }

    /**
     * Any four places; {@code records} may be null.
     *
     * @param sys the directory standing for {@code /sys}; not null
     * @param dev the directory of the {@code neuron<N>} device nodes; not null
     * @param proc the directory standing for {@code /proc}; not null
     * @param records the runtime records' directory, or null when the machine's runtimes publish none
     * @return the places, none checked to exist
     * @throws NullPointerException if {@code sys}, {@code dev} or {@code proc} is null
     */
    public static SystemRoot of(Path sys, Path dev, Path proc, Path records) {
        return new SystemRoot(sys, dev, proc, records);
    }

    /** {@return the directory standing for {@code /sys}} */
    public Path sys() {
        return sys;
    }

    /** {@return the directory holding the {@code neuron<N>} device nodes} */
    public Path dev() {
        return dev;
    }

    /** {@return the directory standing for {@code /proc}} */
    public Path proc() {
        return proc;
    }

    /** {@return the directory of nrt4j runtime records, if this machine's runtimes publish them} */
    public Optional<Path> records() {
        return Optional.ofNullable(records);
    }

    /** {@return {@code sys/devices/virtual/neuron_device}, the parent of the {@code neuron<N>} directories} */
    public Path neuronDevices() {
        return sys.resolve(SysfsLayout.NEURON_DEVICE_CLASS_DIR);
    }

    /**
     * The device node of device {@code index}.
     *
     * @param index the device id, 0 or more
     * @return {@code dev/neuron<index>}, not checked to exist
     */
    public Path deviceNode(int index) {
        return dev.resolve("neuron" + index);
    }

    @Override
    public String toString() {
        return "sys=" + sys + ", dev=" + dev + ", proc=" + proc + (records == null ? "" : ", records=" + records);
    }
}
