package dev.nrt4j.tools.monitor;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.strict.StrictJsonMapper;
import dev.nrt4j.strict.StrictUtf8;
import dev.nrt4j.tools.TerminalText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@code monitor} collects and how often: neuron-monitor's {@code -c} config ({@code neff-sysfs-tools.md}
 * §6.1), or everything at one period without one. The config is a JSON object with an optional
 * {@code period}, {@code neuron_runtimes} (entries of {@code tag_filter}, an optional {@code period} and
 * {@code metrics}) and {@code system_metrics}; each metric is {@code {"type": ..., "period": ...}}, and a
 * period not given is its entry's, else the root's. Only the groups named are collected, and only runtimes
 * whose tag a {@code tag_filter} matches (the first such entry decides their groups). The file is untrusted:
 * it is read strictly (duplicate keys, unknown keys, trailing data and bad UTF-8 are refused) and bounded
 * (size, nesting, string length, pattern length), and every refusal is one line naming the file, where in
 * it, and what to write instead. Immutable.
 *
 * @param periodMillis the root period: of reports when no group is collected at all
 * @param runtimes the runtime entries, in the file's order
 * @param system the system metric groups collected, by type, with their periods in milliseconds
 */
record MonitorConfig(long periodMillis, List<RuntimeEntry> runtimes, Map<String, Long> system) {
    /** Runtime metric groups, in the order a report lists them. */
    static final List<String> RUNTIME_TYPES =
            List.of("neuroncore_counters", "memory_used", "neuron_runtime_vcpu_usage", "execution_stats");

    /** System metric groups, in the order a report lists them. */
    static final List<String> SYSTEM_TYPES = List.of("neuron_hw_counters", "vcpu_usage", "memory_info");

    /** A config is a few hundred bytes; this leaves room for many entries and keeps a huge file out. */
    static final int MAX_FILE_BYTES = 64 * 1024;

    /** The schema is four levels deep (root, list, entry, metric list, metric); room for a mistake's message. */
    private static final int MAX_DEPTH = 8;

    private static final Set<String> ROOT_KEYS = Set.of("period", "neuron_runtimes", "system_metrics");
    private static final Set<String> RUNTIME_KEYS = Set.of("tag_filter", "period", "metrics");
    private static final Set<String> METRIC_KEYS = Set.of("type", "period");

    private static final JsonMapper STRICT = StrictJsonMapper.builder(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxNumberLength(32)
                    .maxStringLength(MAX_FILE_BYTES)
                    .maxNameLength(256)
                    .maxDocumentLength(MAX_FILE_BYTES)
                    .build())
            .build();

    /**
     * One {@code neuron_runtimes} entry.
     *
     * @param filter which runtime tags it selects
     * @param metrics the groups collected for them, by type, with their periods in milliseconds
     */
    record RuntimeEntry(TagFilter filter, Map<String, Long> metrics) {}

    /** Every group, of every runtime, at {@code periodMillis}: what neuron-monitor does without a config. */
    static MonitorConfig everything(long periodMillis) {
        Map<String, Long> runtime = new LinkedHashMap<>();
        RUNTIME_TYPES.forEach(t -> runtime.put(t, periodMillis));
        Map<String, Long> system = new LinkedHashMap<>();
        SYSTEM_TYPES.forEach(t -> system.put(t, periodMillis));
        return new MonitorConfig(
                periodMillis,
                List.of(new RuntimeEntry(new TagFilter(".*", Pattern.compile(".*", Pattern.DOTALL), "all"), runtime)),
                system);
    }

    /**
     * The index of the first entry whose filter matches {@code tag}, or -1 when none does.
     *
     * @throws dev.nrt4j.NeuronException {@link Status#INVALID} when a filter takes too long to match
     */
    int entryFor(String tag) {
        for (int i = 0; i < runtimes.size(); i++) {
            if (runtimes.get(i).filter().matches(tag)) {
                return i;
            }
        }
        return -1;
    }

    /** Every period in the config, in milliseconds. */
    List<Long> periods() {
        List<Long> out = new ArrayList<>(system.values());
        runtimes.forEach(e -> out.addAll(e.metrics().values()));
        return out;
    }

    /**
     * Reads config {@code file}.
     *
     * @param rootMillis the period where the file gives none at its root
     * @throws NeuronException {@link Status#INVALID} naming the file and what to fix when it cannot be read
     *     or is not a valid config
     */
    static MonitorConfig read(Path file, long rootMillis) {
        return new Reader(file).parse(rootMillis);
    }

    /** Reads one file; keeps its name for the messages. */
    private static final class Reader {
        private final Path file;

        Reader(Path file) {
            this.file = file;
        }

        private NeuronException bad(String what) {
            return new NeuronException(Status.INVALID, "read monitor config " + file, what);
        }

        MonitorConfig parse(long defaultMillis) {
            JsonNode root = tree();
            if (!root.isObject()) {
                throw bad("it must be a JSON object like {\"period\": \"5s\", \"neuron_runtimes\": [...],"
                        + " \"system_metrics\": [...]}, not " + kind(root));
            }
            keys(root, ROOT_KEYS, "the top level");
            long rootMillis = root.has("period") ? period(root.get("period"), "period") : defaultMillis;
            List<RuntimeEntry> runtimes = new ArrayList<>();
            JsonNode list = root.get("neuron_runtimes");
            if (list != null) {
                array(list, "neuron_runtimes");
                for (int i = 0; i < list.size(); i++) {
                    runtimes.add(runtime(list.get(i), "neuron_runtimes[" + i + "]", rootMillis));
                }
            }
            Map<String, Long> system = new LinkedHashMap<>();
            JsonNode sys = root.get("system_metrics");
            if (sys != null) {
                system = metrics(sys, "system_metrics", SYSTEM_TYPES, rootMillis);
            }
            return new MonitorConfig(rootMillis, List.copyOf(runtimes), system);
        }

        private JsonNode tree() {
            if (!Files.isRegularFile(file)) {
                throw bad(
                        Files.exists(file)
                                ? "it is not a regular file; give a JSON file"
                                : "no such file; give the path of a neuron-monitor JSON config");
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            } catch (IOException e) {
                throw bad("it cannot be read (" + e.getMessage() + "); check its permissions");
            }
            if (bytes.length > MAX_FILE_BYTES) {
                throw bad("it is larger than " + MAX_FILE_BYTES / 1024 + " KiB; a monitor config is a few hundred"
                        + " bytes, so check that this is the right file");
            }
            String text;
            try {
                text = StrictUtf8.decode(bytes);
            } catch (CharacterCodingException e) {
                throw bad("it is not UTF-8 text; save it as UTF-8 JSON");
            }
            JsonNode root;
            try {
                root = STRICT.readTree(text);
            } catch (JacksonException e) {
                throw bad("it is not valid JSON" + where(e.getLocation()) + ": " + firstLine(e.getOriginalMessage())
                        + "; fix the JSON (each key once, no trailing text)");
            }
            if (root == null || root.isMissingNode()) {
                throw bad("it is empty; write a JSON object such as {\"period\": \"5s\", \"system_metrics\":"
                        + " [{\"type\": \"memory_info\"}]}");
            }
            return root;
        }

        private RuntimeEntry runtime(JsonNode entry, String at, long rootMillis) {
            if (!entry.isObject()) {
                throw bad(at + " must be an object like {\"tag_filter\": \".*\", \"metrics\": [{\"type\":"
                        + " \"memory_used\"}]}, not " + kind(entry));
            }
            keys(entry, RUNTIME_KEYS, at);
            long millis = entry.has("period") ? period(entry.get("period"), at + ".period") : rootMillis;
            String source = ".*";
            JsonNode tag = entry.get("tag_filter");
            if (tag != null) {
                source = string(tag, at + ".tag_filter");
            }
            if (source.length() > TagFilter.MAX_LENGTH) {
                throw bad(at + ".tag_filter is " + source.length() + " characters long; at most " + TagFilter.MAX_LENGTH
                        + " are accepted");
            }
            Pattern pattern;
            try {
                pattern = Pattern.compile(source);
            } catch (PatternSyntaxException e) {
                throw bad(at + ".tag_filter " + TerminalText.quoted(source) + " is not a regular expression: "
                        + e.getDescription() + (e.getIndex() >= 0 ? " at index " + e.getIndex() : "")
                        + "; write a Java regular expression such as \"my-app.*\"");
            } catch (StackOverflowError e) {
                throw bad(at + ".tag_filter nests too deeply; simplify it");
            }
            JsonNode metrics = entry.get("metrics");
            if (metrics == null) {
                throw bad(at + " has no \"metrics\"; list the groups to collect, e.g. [{\"type\":"
                        + " \"neuroncore_counters\"}], from " + RUNTIME_TYPES);
            }
            return new RuntimeEntry(
                    new TagFilter(source, pattern, at + ".tag_filter of " + file),
                    metrics(metrics, at + ".metrics", RUNTIME_TYPES, millis));
        }

        private Map<String, Long> metrics(JsonNode list, String at, List<String> types, long millis) {
            array(list, at);
            Map<String, Long> out = new LinkedHashMap<>();
            for (int i = 0; i < list.size(); i++) {
                JsonNode m = list.get(i);
                String here = at + "[" + i + "]";
                if (!m.isObject()) {
                    throw bad(here + " must be an object like {\"type\": \"" + types.get(0) + "\"}, not " + kind(m));
                }
                keys(m, METRIC_KEYS, here);
                JsonNode type = m.get("type");
                if (type == null) {
                    throw bad(here + " has no \"type\"; give one of " + types);
                }
                String name = string(type, here + ".type");
                if (!types.contains(name)) {
                    throw bad(here + ".type " + TerminalText.quoted(name) + " is not a metric group here; use one of "
                            + types);
                }
                if (out.containsKey(name)) {
                    throw bad(here + " names " + name + " a second time in " + at + "; list each group once");
                }
                out.put(name, m.has("period") ? period(m.get("period"), here + ".period") : millis);
            }
            return out;
        }

        private long period(JsonNode value, String at) {
            String text = string(value, at);
            return MonitorPeriod.millis(text)
                    .orElseThrow(() -> bad(
                            at + " " + TerminalText.quoted(text) + " is not a period; write " + MonitorPeriod.FORMS));
        }

        private String string(JsonNode value, String at) {
            if (!value.isString()) {
                throw bad(at + " must be a string, not " + kind(value));
            }
            return value.asString();
        }

        private void array(JsonNode value, String at) {
            if (!value.isArray()) {
                throw bad(at + " must be a list [...], not " + kind(value));
            }
        }

        private void keys(JsonNode object, Set<String> allowed, String at) {
            for (Iterator<String> it = object.propertyNames().iterator(); it.hasNext(); ) {
                String key = it.next();
                if (!allowed.contains(key)) {
                    throw bad(at + " has the unknown key " + TerminalText.quoted(key) + "; the keys there are "
                            + allowed.stream().sorted().toList());
                }
            }
        }
    }

    private static String kind(JsonNode n) {
        if (n.isObject()) {
            return "an object";
        }
        if (n.isArray()) {
            return "a list";
        }
        if (n.isString()) {
            return "a string";
        }
        if (n.isNumber()) {
            return "a number";
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        return "null";
    }

    private static String where(TokenStreamLocation at) {
        if (at == null || at.getLineNr() < 0) {
            return "";
        }
        return " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse(s);
    }
}
