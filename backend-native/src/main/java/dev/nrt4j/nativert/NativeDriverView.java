package dev.nrt4j.nativert;

import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.device.driver.SystemRoot;
import dev.nrt4j.spi.DriverViewProvider;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where libnrt's machine shows through the Neuron driver: the machine's own {@code /sys}, {@code /dev}
 * and {@code /proc}; or, for tests, {@code sys}, {@code dev} and (when present) {@code proc} under the
 * directory the system property {@value #ROOT_PROPERTY} names. The native runtime reads it too, to
 * list the devices as the driver shows them. Thread-safe; cheap to construct.
 */
public final class NativeDriverView implements DriverViewProvider {
    /** Names a directory that stands for {@code /} when reading the driver's sysfs (tests point it at fixture trees). */
    public static final String ROOT_PROPERTY = "nrt4j.native.root";

    @Override
    public String backend() {
        return NativeBackendProvider.NAME;
    }

    @Override
    public SystemRoot driverView(RuntimeOptions options) {
        String root = System.getProperty(ROOT_PROPERTY);
        if (root == null || root.isBlank()) {
            return SystemRoot.host();
        }
        Path dir = Path.of(root);
        Path proc = dir.resolve("proc");
        return SystemRoot.of(
                dir.resolve("sys"), dir.resolve("dev"), Files.isDirectory(proc) ? proc : Path.of("/proc"), null);
    }
}
