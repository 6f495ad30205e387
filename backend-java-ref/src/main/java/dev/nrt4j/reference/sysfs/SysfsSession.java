package dev.nrt4j.reference.sysfs;

import dev.nrt4j.spi.StateFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One runtime's connection to the simulated driver: the device nodes it holds open (so tools that look
 * for a device's users in {@code /proc} find it), the sysfs counters of the cores it holds, and its
 * {@link RuntimeRecord}. Updates stay in memory, so executes never wait on the file system; one daemon
 * thread shared by every session writes what changed every {@value #FLUSH_MILLIS} ms, and
 * {@link #close()} writes the last changes and removes the record. A core is held by one runtime at a
 * time, so no other writer touches its files meanwhile; the device-wide host memory counters, which
 * several processes move, are merged under a lock.
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
    private final RuntimeRecord record;
    private final Map<Long, CoreStats> cores = new HashMap<>();
    private final Map<Integer, SharedSysfsCounter> hostTensors = new HashMap<>();
    private final Map<Integer, FileChannel> deviceNodes = new HashMap<>();
    private final ScheduledFuture<?> task;
    private boolean closed;

    private SysfsSession(SysfsTree tree, RuntimeRecord record) {
        this.tree = tree;
        this.record = record;
        this.task =
                FLUSHER.scheduleWithFixedDelay(this::flushQuietly, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** A session over {@code tree} publishing {@code record}; call {@link #core} for each core the runtime holds. */
    public static SysfsSession open(SysfsTree tree, RuntimeRecord record) {
        return new SysfsSession(tree, record);
    }

    /** The runtime's record. */
    public RuntimeRecord record() {
        return record;
    }

    /**
     * The counters of a logical core the runtime just claimed, kept in its first physical core's files
     * (so counts continue from whatever an earlier runtime left, except memory, which the driver frees
     * with its owner). Opens the device's node if this is the runtime's first core on it.
     */
    public synchronized CoreStats core(int logicalCore, int device, List<Integer> physicalCores) {
        record.holdsCore(logicalCore, device, physicalCores);
        holdDeviceNode(device);
        SharedSysfsCounter host =
                hostTensors.computeIfAbsent(device, d -> new SharedSysfsCounter(tree.deviceHostMem(d, "tensors")));
        return cores.computeIfAbsent(((long) device << 32) | physicalCores.get(0), k -> {
            CoreStats s = new CoreStats(tree, logicalCore, device, physicalCores.get(0), record, host);
            s.reclaimLeftovers();
            return s;
        });
    }

    private void holdDeviceNode(int device) {
        if (deviceNodes.containsKey(device)) {
            return;
        }
        try {
            deviceNodes.put(device, StateFiles.open(tree.systemRoot().deviceNode(device), StandardOpenOption.READ));
        } catch (IOException e) {
            // Only tools looking for the device's users miss it; the runtime works without.
            LOG.log(Level.FINE, "cannot open the simulated device node of neuron" + device, e);
        }
    }

    /** Writes every counter and the record if changed since the last flush. */
    public void flush() {
        CoreStats[] now;
        SharedSysfsCounter[] shared;
        synchronized (this) {
            if (closed) {
                return;
            }
            now = cores.values().toArray(new CoreStats[0]);
            shared = hostTensors.values().toArray(new SharedSysfsCounter[0]);
        }
        for (CoreStats c : now) {
            c.flush();
        }
        for (SharedSysfsCounter c : shared) {
            c.flush();
        }
        record.flush();
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            // The statistics are a convenience; a full disk must not kill the shared flusher thread.
            LOG.log(Level.FINE, "cannot write the reference device's sysfs counters", e);
        }
    }

    /** Stops the periodic flush, writes the remaining changes, removes the record and closes the device nodes. */
    @Override
    public void close() {
        task.cancel(false);
        flushQuietly();
        List<FileChannel> nodes;
        synchronized (this) {
            closed = true;
            nodes = new ArrayList<>(deviceNodes.values());
            deviceNodes.clear();
        }
        record.delete();
        for (FileChannel ch : nodes) {
            try {
                ch.close();
            } catch (IOException e) {
                // The node is closed with the process at the latest.
            }
        }
    }
}
