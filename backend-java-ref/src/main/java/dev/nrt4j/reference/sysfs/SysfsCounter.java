package dev.nrt4j.reference.sysfs;

import java.nio.file.Path;

/**
 * One driver metric directory ({@code total}, {@code present} and, for memory, {@code peak}) with the
 * Neuron driver's update rules: increment does {@code total += d; present = d; peak = max(peak, total)},
 * decrement does {@code total -= d; present = d}, set does {@code total = present = v} raising peak if
 * needed. Updates change memory only and mark the counter dirty; {@link #flush()} writes the files, each
 * as {@code "%llu\n"}.
 *
 * <p>As in the driver, writing anything to one of the files resets that field to 0: a flush that finds a
 * file changed since it last wrote it takes the field as reset and keeps only the changes made since.
 * Thread-safe.
 */
public final class SysfsCounter {
    private final Path directory;
    private final boolean hasPeak;
    private long total;
    private long present;
    private long peak;
    private boolean dirty;
    /** What the files held after the last flush (or when read at construction), to notice resets. */
    private long writtenTotal;

    private long writtenPresent;
    private long writtenPeak;
    /** Serialises flushes, so an older snapshot can never be written after a newer one. */
    private final Object flushLock = new Object();

    /** Whether the starting values were read; a runtime holds thousands of counters and uses few. */
    private boolean loaded;

    /**
     * A counter over the files in {@code directory}, starting from the values they hold (so counts kept
     * by an earlier runtime of this or another process carry on), or 0 where a file is missing or unreadable.
     * The files are read when the counter is first used.
     */
    public SysfsCounter(Path directory, boolean hasPeak) {
        this.directory = directory;
        this.hasPeak = hasPeak;
    }

    private void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        total = readValue("total");
        present = readValue("present");
        peak = hasPeak ? readValue("peak") : 0;
        writtenTotal = total;
        writtenPresent = present;
        writtenPeak = peak;
    }

    private long readValue(String name) {
        Long v = fileValue(name);
        return v == null ? 0 : v;
    }

    /** The file's number, or null if it is missing or holds something else (a reset with a word). */
    private Long fileValue(String name) {
        String s = SysfsFiles.read(directory.resolve(name));
        if (s == null) {
            return null;
        }
        try {
            return Long.parseUnsignedLong(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The directory holding the counter's files. */
    public Path directory() {
        return directory;
    }

    /** Adds {@code d} as the driver's increment does. */
    public synchronized void increment(long d) {
        load();
        total += d;
        present = d;
        if (hasPeak) {
            peak = Math.max(peak, total);
        }
        dirty = true;
    }

    /** Subtracts {@code d} as the driver's decrement does (peak is left alone). */
    public synchronized void decrement(long d) {
        load();
        total -= d;
        present = d;
        dirty = true;
    }

    /** Sets total and present to {@code v} as the driver's set does. */
    public synchronized void set(long v) {
        load();
        total = v;
        present = v;
        if (hasPeak) {
            peak = Math.max(peak, v);
        }
        dirty = true;
    }

    /** The current total. */
    public synchronized long total() {
        load();
        return total;
    }

    /** The last change (or set value). */
    public synchronized long present() {
        load();
        return present;
    }

    /** The high-water mark of total, 0 for a counter without a peak file. */
    public synchronized long peak() {
        load();
        return peak;
    }

    /** Writes the files if an update happened since the last flush, first taking in any reset written to them. */
    public void flush() {
        synchronized (flushLock) {
            long t;
            long p;
            long k;
            synchronized (this) {
                if (!dirty) {
                    return;
                }
            }
            // Read outside the counter's lock: executes must not wait on the file system.
            boolean resetTotal = !Long.valueOf(writtenTotal).equals(fileValue("total"));
            boolean resetPresent = !Long.valueOf(writtenPresent).equals(fileValue("present"));
            boolean resetPeak = hasPeak && !Long.valueOf(writtenPeak).equals(fileValue("peak"));
            synchronized (this) {
                dirty = false;
                if (resetTotal) {
                    // The field restarted from 0 when it was written; what changed since still counts.
                    total -= writtenTotal;
                }
                if (resetPresent && present == writtenPresent) {
                    present = 0;
                }
                if (resetPeak) {
                    peak = total;
                }
                t = total;
                p = present;
                k = peak;
            }
            // Writing outside the counter's lock keeps executes from waiting on the file system; an update
            // meanwhile marks it dirty again and the next flush writes the newer values.
            SysfsFiles.replace(directory.resolve("total"), format(t));
            SysfsFiles.replace(directory.resolve("present"), format(p));
            if (hasPeak) {
                SysfsFiles.replace(directory.resolve("peak"), format(k));
            }
            writtenTotal = t;
            writtenPresent = p;
            writtenPeak = k;
        }
    }

    /** The driver's {@code "%llu\n"}: an unsigned 64-bit decimal, so a decrement below 0 wraps as it does there. */
    static String format(long v) {
        return Long.toUnsignedString(v) + "\n";
    }
}
