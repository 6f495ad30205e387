package dev.nrt4j.testbackend;

import dev.nrt4j.BackendInfo;
import dev.nrt4j.LoadOptions;
import dev.nrt4j.MemoryUsage;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronCore;
import dev.nrt4j.NeuronDevice;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import dev.nrt4j.TensorPlacement;
import dev.nrt4j.spi.ModelHandle;
import dev.nrt4j.spi.RuntimeBackend;
import dev.nrt4j.spi.TensorHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory device for testing the API layer: {@value #CORES} cores with {@value #CORE_MEMORY}
 * bytes each, host memory, and tiny text programs ({@link MemoryModel}).
 *
 * <p>It is strict about the SPI contract the API layer promises (bounds checked, no use after free,
 * free exactly once, close only after every handle was released): a breach is recorded in
 * {@link #takeViolations()} and thrown as an {@link AssertionError}, so it fails a test even when it
 * happens on the Cleaner's thread where the error itself would be swallowed.
 */
public final class MemoryBackend implements RuntimeBackend {
    public static final int CORES = 2;
    public static final long CORE_MEMORY = 1 << 20;
    public static final long HOST_MEMORY = 16 << 20;
    static final Duration DEFAULT_EXEC_TIMEOUT = Duration.ofSeconds(10);

    private static final AtomicInteger IDS = new AtomicInteger();
    private static final Map<Integer, MemoryBackend> BY_ID = new ConcurrentHashMap<>();
    private static final List<String> VIOLATIONS = Collections.synchronizedList(new ArrayList<>());
    private static final String ID_MARK = " #";

    private final int id = IDS.incrementAndGet();
    private final String name;
    private final RuntimeOptions options;
    private final List<NeuronCore> cores;
    private final long[] used;
    private long hostUsed;
    private final Set<MemoryTensor> liveTensors = ConcurrentHashMap.newKeySet();
    private final Set<MemoryModel> loadedModels = ConcurrentHashMap.newKeySet();
    private final List<String> releases = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean closed;

    MemoryBackend(String name, RuntimeOptions options) {
        this.name = name;
        this.options = options;
        int count =
                options.numCores().orElse(0) == 0 ? CORES : options.numCores().getAsInt();
        if (count > CORES) {
            throw new NeuronException(
                    Status.RESOURCE,
                    "open " + name + " backend",
                    count + " cores asked for, the test device has " + CORES);
        }
        List<NeuronCore> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(new NeuronCore(i, i, 0, List.of(i), i, CORE_MEMORY));
        }
        this.cores = List.copyOf(list);
        this.used = new long[count];
        BY_ID.put(id, this);
    }

    /** The backend under a runtime opened on one of the test providers. */
    public static MemoryBackend of(NeuronRuntime runtime) {
        String detail = runtime.backend().detail();
        int at = detail.lastIndexOf(ID_MARK);
        MemoryBackend b = at < 0 ? null : BY_ID.get(Integer.parseInt(detail.substring(at + ID_MARK.length())));
        if (b == null) {
            throw new IllegalArgumentException(runtime + " does not run on a test backend");
        }
        return b;
    }

    /** Contract breaches seen so far in this JVM; clears the record. */
    public static List<String> takeViolations() {
        synchronized (VIOLATIONS) {
            List<String> out = List.copyOf(VIOLATIONS);
            VIOLATIONS.clear();
            return out;
        }
    }

    static AssertionError violation(String what) {
        VIOLATIONS.add(what);
        return new AssertionError("SPI contract broken by the API layer: " + what);
    }

    public String name() {
        return name;
    }

    public RuntimeOptions options() {
        return options;
    }

    /** Bytes allocated on a core, tensors only. */
    public synchronized long usedBytes(int core) {
        return used[core];
    }

    @Override
    public synchronized MemoryUsage memoryUsage(int core) {
        return new MemoryUsage(used[core], CORE_MEMORY);
    }

    public synchronized long hostUsedBytes() {
        return hostUsed;
    }

    /** Bytes allocated anywhere, device and host. */
    public synchronized long totalUsedBytes() {
        long sum = hostUsed;
        for (long u : used) {
            sum += u;
        }
        return sum;
    }

    public int liveTensorCount() {
        return liveTensors.size();
    }

    public int loadedModelCount() {
        return loadedModels.size();
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public BackendInfo info() {
        return new BackendInfo(
                name,
                "0-test",
                options.instanceType().orElse("test.memory"),
                1,
                "in-memory test device" + ID_MARK + id);
    }

    @Override
    public List<NeuronDevice> devices() {
        List<Integer> ids = new ArrayList<>();
        for (NeuronCore c : cores) {
            ids.add(c.globalId());
        }
        return List.of(new NeuronDevice(0, "MemoryChip", "v0", CORES, ids, CORES * CORE_MEMORY, List.of()));
    }

    @Override
    public List<NeuronCore> cores() {
        return cores;
    }

    @Override
    public TensorHandle allocate(TensorPlacement placement, int core, long size, String tensorName) {
        checkOpen("allocate");
        if (size < 0 || (placement == TensorPlacement.DEVICE ? core < 0 || core >= cores.size() : core != -1)) {
            throw violation("allocate(" + placement + ", core " + core + ", " + size + " bytes)");
        }
        synchronized (this) {
            long capacity = placement == TensorPlacement.HOST ? HOST_MEMORY : CORE_MEMORY;
            long inUse = placement == TensorPlacement.HOST ? hostUsed : used[core];
            if (size > capacity - inUse) {
                throw new NeuronException(
                        Status.RESOURCE,
                        "allocate tensor '" + tensorName + "'",
                        size + " bytes do not fit: " + inUse + " of " + capacity + " bytes in use on "
                                + (placement == TensorPlacement.HOST ? "host" : "core " + core));
            }
            if (placement == TensorPlacement.HOST) {
                hostUsed += size;
            } else {
                used[core] += size;
            }
        }
        MemoryTensor t = new MemoryTensor(this, placement == TensorPlacement.HOST ? -1 : core, tensorName, size);
        liveTensors.add(t);
        return t;
    }

    void released(MemoryTensor t) {
        synchronized (this) {
            if (t.core() < 0) {
                hostUsed -= t.size();
            } else {
                used[t.core()] -= t.size();
            }
        }
        liveTensors.remove(t);
        releases.add("tensor");
    }

    /** What was released, in order: {@code "tensor"} or {@code "model"} per handle, then {@code "backend"}. */
    public List<String> releases() {
        return List.copyOf(releases);
    }

    @Override
    public ModelHandle load(ModelSource source, LoadOptions loadOptions) {
        checkOpen("load");
        if (loadOptions.core() >= cores.size()) {
            throw violation("load on core " + loadOptions.core() + " of " + cores.size());
        }
        int core = loadOptions.core() < 0 ? 0 : loadOptions.core();
        MemoryModel m =
                MemoryModel.load(this, source, core, options.execTimeout().orElse(DEFAULT_EXEC_TIMEOUT));
        loadedModels.add(m);
        return m;
    }

    void unloaded(MemoryModel m) {
        loadedModels.remove(m);
        releases.add("model");
    }

    void checkOpen(String what) {
        if (closed) {
            throw violation(what + " after the backend was closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            throw violation("backend closed twice");
        }
        closed = true;
        releases.add("backend");
        if (!liveTensors.isEmpty() || !loadedModels.isEmpty()) {
            throw violation("backend closed with " + liveTensors + " and " + loadedModels + " still live");
        }
    }

    @Override
    public String toString() {
        return name + ID_MARK + id;
    }
}
