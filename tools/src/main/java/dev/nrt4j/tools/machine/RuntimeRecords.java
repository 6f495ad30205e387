package dev.nrt4j.tools.machine;

import dev.nrt4j.device.driver.DriverSysfs;
import dev.nrt4j.device.driver.SystemRoot;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the nrt4j runtime records of a machine, believing none until it holds up: a record is a file
 * anyone who can write the records directory can forge, and the tools add its numbers up. A record is
 * shown only if it has the format's schema (the format name and a pid; any other field may be missing,
 * but one that is there must have its type), every number is in the range a real runtime writes (ids of
 * existing cores and devices, byte counts and counts from 0 to {@link DriverSysfs#PLAUSIBLE_COUNTER_MAX},
 * so sums cannot overflow), and its pid is a live process of the user running the tool. A record of a
 * process that is gone is skipped silently (a process killed cannot remove its own); any other bad record
 * is skipped with one line to the warnings sink. Stateless.
 */
public final class RuntimeRecords {
    private static final String FORMAT = "nrt4j-runtime-record/1";
    private static final String NOT_JSON = "it cannot be read as JSON";
    /** A real record is tens of kilobytes (1,024 latencies and the loaded models). */
    private static final long MAX_FILE_BYTES = 4L << 20;
    /** Above the largest instance (trn2.48xlarge: 16 devices, 128 physical cores), far below overflow. */
    private static final int MAX_DEVICE = 1023;

    private static final int MAX_CORE = 4095;
    /**
     * The LNC sizes Neuron has (Trn2 and Trn3 join 1 or 2 physical cores) and {@link LogicalCores} lays out:
     * a record claiming another would stop every tool that places its cores.
     */
    private static final int MAX_LNC = 2;

    private static final int MAX_LIST = 65536;
    /** Memory categories and execution statuses are a few dozen names. */
    private static final int MAX_CATEGORIES = 256;

    private RuntimeRecords() {}

    /**
     * The believable records of live processes, by pid, then file name. Empty if the machine keeps none.
     *
     * @param root the machine
     * @param warnings receives one line per record skipped as bad
     * @return the records
     */
    public static List<RuntimeRecordView> read(SystemRoot root, Consumer<String> warnings) {
        List<RuntimeRecordView> out = new ArrayList<>();
        if (root.records().isEmpty() || !Files.isDirectory(root.records().get())) {
            return out;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(root.records().get(), "*.json")) {
            s.forEach(files::add);
        } catch (IOException e) {
            warnings.accept(
                    "cannot list the runtime records in " + root.records().get() + " (" + e.getMessage() + ")");
            return out;
        }
        files.sort(Comparator.naturalOrder());
        for (Path f : files) {
            try {
                read(root, f).ifPresent(out::add);
            } catch (BadRecord e) {
                warnings.accept("skipping runtime record " + f + ": " + e.getMessage());
            }
        }
        out.sort(Comparator.comparingLong(RuntimeRecordView::pid));
        return out;
    }

    /** The record in {@code f}, empty if its process is gone. */
    private static Optional<RuntimeRecordView> read(SystemRoot root, Path f) {
        JsonNode n;
        try {
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                throw new BadRecord("it is not a regular file");
            }
            if (Files.size(f) > MAX_FILE_BYTES) {
                throw new BadRecord("it holds " + Files.size(f) + " bytes, more than a runtime writes");
            }
            n = Json.tree(Files.readString(f));
        } catch (java.nio.file.NoSuchFileException e) {
            // Removed between listing and reading: its runtime closed.
            return Optional.empty();
        } catch (IOException e) {
            throw new BadRecord(NOT_JSON);
        }
        RuntimeRecordView r = parse(n);
        if (!ProcessHandle.of(r.pid()).map(ProcessHandle::isAlive).orElse(false)) {
            return Optional.empty();
        }
        checkSameUser(root, r.pid());
        return Optional.of(r);
    }

    /**
     * A record's content, checked against the schema.
     *
     * @throws BadRecord naming the first field that does not hold up
     */
    static RuntimeRecordView parse(JsonNode n) {
        if (!n.isObject() || !FORMAT.equals(n.path("format").asString(""))) {
            throw new BadRecord("it is not in the format " + FORMAT);
        }
        List<Integer> cores = new ArrayList<>();
        for (JsonNode c : array(n, "cores")) {
            cores.add((int) number(c, "core", 0, MAX_CORE));
            number(c, "device", 0, MAX_DEVICE);
        }
        List<RuntimeRecordView.LoadedModel> models = new ArrayList<>();
        for (JsonNode m : array(n, "models")) {
            models.add(new RuntimeRecordView.LoadedModel(
                    (int) number(m, "model_id", 0, Integer.MAX_VALUE),
                    text(m, "name"),
                    (int) number(m, "core", 0, MAX_CORE),
                    (int) number(m, "device", 0, MAX_DEVICE),
                    number(m, "constants", 0, DriverSysfs.PLAUSIBLE_COUNTER_MAX),
                    number(m, "model_code", 0, DriverSysfs.PLAUSIBLE_COUNTER_MAX)));
        }
        Map<Integer, Map<String, Long>> device = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : object(n, "device_memory").properties()) {
            int core = coreId(e.getKey(), "device_memory");
            device.put(core, amounts(e.getValue(), "device_memory." + core));
        }
        List<long[]> latencies = new ArrayList<>();
        for (JsonNode l : array(n, "latencies")) {
            if (!l.isArray() || l.size() != 2) {
                throw new BadRecord("latencies holds an entry that is not [end ms, microseconds]");
            }
            latencies.add(new long[] {
                value(l.get(0), "latencies", 0, Long.MAX_VALUE),
                value(l.get(1), "latencies", 0, DriverSysfs.PLAUSIBLE_COUNTER_MAX)
            });
        }
        Map<Integer, Long> flops = new TreeMap<>();
        JsonNode flopsNode = object(n, "flops");
        if (!flopsNode.isObject() || flopsNode.size() > MAX_CORE + 1) {
            throw new BadRecord("flops is not an object of at most " + (MAX_CORE + 1) + " core ids");
        }
        for (Map.Entry<String, JsonNode> e : flopsNode.properties()) {
            // A count that grows for as long as the runtime runs: any whole number of a long is believable,
            // and readers work with differences and doubles, so no sum of them can overflow.
            flops.put(
                    coreId(e.getKey(), "flops"), value(e.getValue(), "flops." + shown(e.getKey()), 0, Long.MAX_VALUE));
        }
        if (n.get("pid") == null) {
            throw new BadRecord("it names no pid");
        }
        RuntimeRecordView r = new RuntimeRecordView(
                number(n, "pid", 1, Integer.MAX_VALUE),
                text(n, "command"),
                text(n, "tag"),
                text(n, "runtime_version"),
                (int) number(n, "lnc", 1, MAX_LNC),
                number(n, "updated_ms", 0, Long.MAX_VALUE),
                cores,
                models,
                device,
                amounts(object(n, "host_memory"), "host_memory"),
                amounts(object(n, "executions"), "executions"),
                latencies,
                flops);
        // Each amount is bounded; their sums, which the tools print, must be too.
        long deviceTotal = 0;
        for (Map<String, Long> byCategory : device.values()) {
            for (long v : byCategory.values()) {
                deviceTotal += v;
                if (deviceTotal > DriverSysfs.PLAUSIBLE_COUNTER_MAX) {
                    throw new BadRecord(
                            "its device memory adds up to more than " + DriverSysfs.PLAUSIBLE_COUNTER_MAX + " bytes");
                }
            }
        }
        // At most MAX_CATEGORIES amounts of at most 2^50 each: this sum cannot overflow.
        if (r.hostMemoryTotal() > DriverSysfs.PLAUSIBLE_COUNTER_MAX) {
            throw new BadRecord("its host memory adds up to more than " + DriverSysfs.PLAUSIBLE_COUNTER_MAX + " bytes");
        }
        return r;
    }

    /**
     * Refuses a record whose process belongs to another user: the owner of {@code /proc/<pid>} must be the
     * owner of {@code /proc/self}. Without a {@code /proc} (not Linux) only liveness is checked.
     */
    private static void checkSameUser(SystemRoot root, long pid) {
        Path self = root.proc().resolve("self");
        if (!Files.isDirectory(self)) {
            return;
        }
        try {
            UserPrincipal me = Files.getOwner(self);
            UserPrincipal owner = Files.getOwner(root.proc().resolve(Long.toString(pid)));
            if (!owner.equals(me)) {
                throw new BadRecord("its process " + pid + " belongs to " + owner.getName() + ", not to you");
            }
        } catch (IOException e) {
            throw new BadRecord("the owner of its process " + pid + " cannot be read");
        }
    }

    /** A key of an object keyed by core id. */
    private static int coreId(String key, String field) {
        int core;
        try {
            core = Integer.parseInt(key);
        } catch (NumberFormatException x) {
            throw new BadRecord(field + " has the key '" + shown(key) + "', not a core id");
        }
        if (core < 0 || core > MAX_CORE) {
            throw new BadRecord(field + " has the core id " + core + ", outside 0.." + MAX_CORE);
        }
        return core;
    }

    private static Map<String, Long> amounts(JsonNode obj, String field) {
        if (!obj.isObject()) {
            throw new BadRecord(field + " is not an object");
        }
        if (obj.size() > MAX_CATEGORIES) {
            throw new BadRecord(field + " has " + obj.size() + " entries, more than " + MAX_CATEGORIES);
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : obj.properties()) {
            out.put(
                    e.getKey(),
                    value(e.getValue(), field + "." + shown(e.getKey()), 0, DriverSysfs.PLAUSIBLE_COUNTER_MAX));
        }
        return out;
    }

    private static Iterable<JsonNode> array(JsonNode n, String field) {
        JsonNode a = n.path(field);
        if (a.isMissingNode()) {
            return List.of();
        }
        if (!a.isArray() || a.size() > MAX_LIST) {
            throw new BadRecord(field + " is not a list of at most " + MAX_LIST + " entries");
        }
        return a;
    }

    private static JsonNode object(JsonNode n, String field) {
        JsonNode o = n.path(field);
        return o.isMissingNode() ? Json.emptyObject() : o;
    }

    private static String text(JsonNode n, String field) {
        JsonNode t = n.path(field);
        if (t.isMissingNode()) {
            return "";
        }
        if (!t.isString()) {
            throw new BadRecord(field + " is not a string");
        }
        return t.asString();
    }

    /**
     * A whole-number field from {@code min} to {@code max}; a missing one reads as {@code min} (as older
     * writers left some out), but one that is there must be right.
     */
    private static long number(JsonNode n, String field, long min, long max) {
        if (!n.isObject()) {
            throw new BadRecord("an entry holding " + field + " is not an object");
        }
        JsonNode v = n.get(field);
        return v == null ? min : value(v, field, min, max);
    }

    private static long value(JsonNode v, String field, long min, long max) {
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw new BadRecord(field + " is " + (v == null ? "missing" : shown(v.toString()))
                    + ", not a whole number from " + min + " to " + max);
        }
        return v.longValue();
    }

    /** At most 40 characters of something a record holds, without control characters, for a one-line message. */
    private static String shown(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    /**
     * The JSON reader, made when the first record is read: Jackson's databind is several hundred
     * classes, a third of {@code nrt4j ls}'s start-up, and a machine without a live runtime has no records.
     */
    private static final class Json {
        static final JsonMapper MAPPER = JsonMapper.builder().build();

        /** As a JsonNode: the verifier would load the node classes to check an ObjectNode where a JsonNode goes. */
        static JsonNode emptyObject() {
            return MAPPER.createObjectNode();
        }

        /** Here, not in the reader, so that checking the reader's bytecode does not load Jackson's exception. */
        static JsonNode tree(String text) {
            try {
                return MAPPER.readTree(text);
            } catch (JacksonException e) {
                throw new BadRecord(NOT_JSON);
            }
        }
    }

    /** A record that does not hold up; the message says which field and why. */
    static final class BadRecord extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRecord(String problem) {
            super(problem, null, false, false);
        }
    }
}
