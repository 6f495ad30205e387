package dev.nrt4j.reference.sysfs;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The sysfs counters of the physical cores one runtime holds. Updates stay in memory, so executes
 * never wait on the file system; one daemon thread shared by every session writes the changed
 * counters every {@value #FLUSH_MILLIS} ms, and {@link #close()} writes the last changes. A core is
 * held by one runtime at a time, so no other writer touches these files meanwhile.
 */
public final class SysfsSession implements AutoCloseable {
    /** Tools poll sysfs about once a second; the driver's live counters (2.30+) should lag by at most 200 ms. */
    static final long FLUSH_MILLIS = 100;
    private static final Logger LOG = Logger.getLogger(SysfsSession.class.getName());
    private static final ScheduledExecutorService FLUSHER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "nrt4j-reference-sysfs");
        t.setDaemon(true);
        return t;
    });

    private final SysfsTree tree;
    private final Map<Long, CoreStats> cores = new HashMap<>();
    private final ScheduledFuture<?> task;

    private SysfsSession(SysfsTree tree) {
        this.tree = tree;
        this.task = FLUSHER.scheduleWithFixedDelay(this::flushQuietly, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** A session over {@code tree}; call {@link #core} for each physical core the runtime reports through. */
    public static SysfsSession open(SysfsTree tree) {
        return new SysfsSession(tree);
    }

    /**
     * The counters of a physical core, read from its files the first time it is asked for (so they
     * continue from whatever an earlier runtime left).
     */
    public synchronized CoreStats core(int device, int physicalCore) {
        return cores.computeIfAbsent(((long) device << 32) | physicalCore, k -> new CoreStats(tree, device, physicalCore));
    }

    /** Writes every counter changed since the last flush. */
    public void flush() {
        CoreStats[] now;
        synchronized (this) {
            now = cores.values().toArray(new CoreStats[0]);
        }
        for (CoreStats c : now) {
            c.flush();
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            // The statistics are a convenience; a full disk must not kill the shared flusher thread.
            LOG.log(Level.FINE, "cannot write the reference device's sysfs counters", e);
        }
    }

    /** Stops the periodic flush and writes the remaining changes. */
    @Override
    public void close() {
        task.cancel(false);
        flushQuietly();
    }
}
