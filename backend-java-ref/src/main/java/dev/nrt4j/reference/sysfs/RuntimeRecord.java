package dev.nrt4j.reference.sysfs;

import dev.nrt4j.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * What one reference runtime tells monitoring tools that the driver's sysfs does not: its process and
 * tag, the cores it holds, the models it loaded, its memory by core and category, and its executions.
 * libnrt keeps the same in a shared-memory datastore that neuron-top and neuron-monitor read; the
 * reference device writes it as JSON to {@code <records>/<pid>-<n>.json}, replaced whole (so a reader
 * never sees half), at most every flush period when something changed, and deletes it on close.
 *
 * <p>Format {@value #FORMAT}: {@code pid}, {@code command}, {@code tag} ({@code NEURON_PROCESS_TAG} or
 * the pid), {@code runtime_version}, {@code instance_type}, {@code lnc}, {@code updated_ms};
 * {@code cores}: [{@code core} (global logical id), {@code device}, {@code physical_cores}];
 * {@code models}: [{@code model_id} (from 10001), {@code name}, {@code core}, {@code device},
 * {@code constants}, {@code model_code}]; {@code device_memory}: {core id: {category: bytes}};
 * {@code host_memory}: {category: bytes}; {@code executions}: {Status name: count};
 * {@code latencies}: [[end epoch ms, microseconds]] of the last {@value #LATENCIES} executions;
 * {@code flops}: {core id: floating-point operations executed since the runtime opened} (added after the
 * first readers: a reader that does not know it ignores it, and one that does reads its absence as no
 * FLOPs counted, so the format name stays). Thread-safe.
 */
public final class RuntimeRecord {
    /** The format name written in every record. */
    public static final String FORMAT = "nrt4j-runtime-record/1";

    static final int LATENCIES = 1024;
    /**
     * Jackson's streaming writer, not its databind mapper: every runtime writes a record as it opens,
     * and the mapper's several hundred classes were most of the start-up of a command such as {@code nrt4j info}.
     */
    private static final JsonFactory JSON = new JsonFactory();

    private static final java.util.concurrent.atomic.AtomicInteger SEQUENCE =
            new java.util.concurrent.atomic.AtomicInteger();

    private final SysfsTree tree;
    private final Path file;
    private final Map<String, Object> identity = new LinkedHashMap<>();
    private final List<Map<String, Object>> cores = new ArrayList<>();
    private final Map<Integer, Map<String, Object>> models = new TreeMap<>();
    private final Map<Integer, Map<String, Long>> deviceMemory = new TreeMap<>();
    private final Map<String, Long> hostMemory = new TreeMap<>();
    private final Map<Status, Long> executions = new EnumMap<>(Status.class);
    private final ArrayDeque<long[]> latencies = new ArrayDeque<>();
    private final Map<Integer, Long> flops = new TreeMap<>();
    private int nextModelId = 10001;
    private boolean dirty = true;
    /** Serialises writing and deleting the file, so a flush that was under way cannot bring it back after delete. */
    private final Object fileLock = new Object();

    private boolean deleted;

    /**
     * A record for this process in {@code tree}'s records directory, written 0600 since it holds the
     * full command line.
     *
     * @param tree the simulated machine whose records directory holds it; it must have one
     * @param instanceType the simulated instance
     * @param lnc its logical core size
     * @param runtimeVersion what the record reports as the runtime version
     */
    public RuntimeRecord(SysfsTree tree, String instanceType, int lnc, String runtimeVersion) {
        ProcessHandle self = ProcessHandle.current();
        this.tree = tree;
        this.file = tree.systemRoot()
                .records()
                .orElseThrow()
                .resolve(self.pid() + "-" + SEQUENCE.incrementAndGet() + ".json");
        String tag = System.getenv("NEURON_PROCESS_TAG");
        identity.put("format", FORMAT);
        identity.put("pid", self.pid());
        identity.put(
                "command",
                self.info().commandLine().orElse(self.info().command().orElse("")));
        identity.put("tag", tag == null || tag.isEmpty() ? Long.toString(self.pid()) : tag);
        identity.put("runtime_version", runtimeVersion);
        identity.put("instance_type", instanceType);
        identity.put("lnc", lnc);
    }

    /** The record's file. */
    public Path file() {
        return file;
    }

    /** The runtime holds global logical core {@code core}, made of these physical cores of {@code device}. */
    public synchronized void holdsCore(int core, int device, List<Integer> physicalCores) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("core", core);
        c.put("device", device);
        c.put("physical_cores", List.copyOf(physicalCores));
        cores.add(c);
        deviceMemory.computeIfAbsent(core, k -> new TreeMap<>());
        dirty = true;
    }

    synchronized void deviceMemory(int core, String category, long delta) {
        deviceMemory.computeIfAbsent(core, k -> new TreeMap<>()).merge(category, delta, Long::sum);
        dirty = true;
    }

    synchronized void hostMemory(String category, long delta) {
        hostMemory.merge(category, delta, Long::sum);
        dirty = true;
    }

    synchronized int modelLoaded(String name, int core, int device, long constants) {
        int id = nextModelId++;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model_id", id);
        m.put("name", name);
        m.put("core", core);
        m.put("device", device);
        m.put("constants", constants);
        m.put("model_code", 0L);
        models.put(id, m);
        dirty = true;
        return id;
    }

    synchronized void modelUnloaded(int id) {
        models.remove(id);
        dirty = true;
    }

    synchronized void executed(Status outcome, long micros) {
        executions.merge(outcome, 1L, Long::sum);
        if (latencies.size() == LATENCIES) {
            latencies.removeFirst();
        }
        latencies.addLast(new long[] {System.currentTimeMillis(), micros});
        dirty = true;
    }

    /**
     * Core {@code core} executed {@code count} more FLOPs. The count saturates at {@link Long#MAX_VALUE}
     * rather than wrap to a negative number readers would refuse.
     */
    synchronized void flops(int core, long count) {
        flops.merge(core, count, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
        dirty = true;
    }

    private static String write(Map<String, Object> record) {
        java.io.StringWriter text = new java.io.StringWriter();
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), text)) {
            write(g, record);
        }
        return text.toString();
    }

    /** The values a record holds: maps with string keys, lists, long arrays, whole numbers and strings. */
    private static void write(JsonGenerator g, Object value) {
        if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof List<?> list) {
            g.writeStartArray();
            for (Object v : list) {
                write(g, v);
            }
            g.writeEndArray();
        } else if (value instanceof long[] numbers) {
            g.writeStartArray();
            for (long v : numbers) {
                g.writeNumber(v);
            }
            g.writeEndArray();
        } else if (value instanceof Integer || value instanceof Long) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof String string) {
            g.writeString(string);
        } else if (value == null) {
            g.writeNull();
        } else {
            throw new IllegalArgumentException(
                    "a runtime record holds no " + value.getClass().getName());
        }
    }

    /** Writes the record if it changed since the last write. */
    void flush() {
        String json;
        synchronized (this) {
            if (!dirty) {
                return;
            }
            dirty = false;
            Map<String, Object> out = new LinkedHashMap<>(identity);
            out.put("updated_ms", System.currentTimeMillis());
            out.put("cores", new ArrayList<>(cores));
            out.put("models", new ArrayList<>(models.values()));
            Map<String, Object> mem = new LinkedHashMap<>();
            deviceMemory.forEach((k, v) -> mem.put(Integer.toString(k), new TreeMap<>(v)));
            out.put("device_memory", mem);
            out.put("host_memory", new TreeMap<>(hostMemory));
            Map<String, Long> ex = new LinkedHashMap<>();
            executions.forEach((k, v) -> ex.put(k.name(), v));
            out.put("executions", ex);
            List<long[]> lat = new ArrayList<>(latencies);
            out.put("latencies", lat);
            Map<String, Long> fl = new LinkedHashMap<>();
            flops.forEach((k, v) -> fl.put(Integer.toString(k), v));
            out.put("flops", fl);
            json = write(out);
        }
        synchronized (fileLock) {
            if (deleted) {
                return;
            }
            tree.directory(file.getParent());
            SysfsFiles.replace(file, json);
        }
    }

    /** Removes the record for good: the runtime is gone. */
    void delete() {
        synchronized (fileLock) {
            deleted = true;
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // Readers skip records of processes that are not alive, so a leftover misleads nobody.
            }
        }
    }
}
