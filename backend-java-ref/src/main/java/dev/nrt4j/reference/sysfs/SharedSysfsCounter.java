package dev.nrt4j.reference.sysfs;

import dev.nrt4j.device.driver.DriverSysfs;
import dev.nrt4j.spi.StateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A driver memory counter that several processes move at once, such as a device's {@code host_mem}
 * categories, which every process using the device adds to. Each process keeps only its own change
 * since the last flush and merges it into the files under a lock: the JVM's for its own threads and an
 * OS lock on {@code .lock} in the counter's directory for other processes. Same rules as
 * {@link SysfsCounter}; thread-safe.
 */
final class SharedSysfsCounter {
    /** FileChannel locks belong to the whole JVM, so its sessions take turns here first. */
    private static final Map<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path directory;
    private long pending;
    private long lastChange;
    private boolean dirty;

    SharedSysfsCounter(Path directory) {
        this.directory = directory;
    }

    synchronized void increment(long d) {
        pending += d;
        lastChange = d;
        dirty = true;
    }

    synchronized void decrement(long d) {
        pending -= d;
        lastChange = d;
        dirty = true;
    }

    void flush() {
        long delta;
        long present;
        synchronized (this) {
            if (!dirty) {
                return;
            }
            delta = pending;
            present = lastChange;
            pending = 0;
            dirty = false;
        }
        synchronized (JVM_LOCKS.computeIfAbsent(directory.toAbsolutePath().normalize(), k -> new Object())) {
            try (FileChannel ch = StateFiles.open(
                            directory.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = ch.lock()) {
                long total = DriverSysfs.counter(directory.resolve("total")) + delta;
                long peak = Math.max(DriverSysfs.counter(directory.resolve("peak")), total);
                SysfsFiles.replace(directory.resolve("total"), SysfsCounter.format(total));
                SysfsFiles.replace(directory.resolve("present"), SysfsCounter.format(present));
                SysfsFiles.replace(directory.resolve("peak"), SysfsCounter.format(peak));
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    // Keep the change for the next flush rather than losing it.
                    pending += delta;
                    dirty = true;
                }
                throw e instanceof RuntimeException
                        ? (RuntimeException) e
                        : new UncheckedIOException("cannot update " + directory, (IOException) e);
            }
        }
    }
}
