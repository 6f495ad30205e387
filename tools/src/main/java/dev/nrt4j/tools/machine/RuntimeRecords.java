package dev.nrt4j.tools.machine;

import dev.nrt4j.device.driver.SystemRoot;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the nrt4j runtime records of a machine: those of live processes only, since a process that
 * died could not remove its own. A record that cannot be parsed is skipped (it may be mid-rename on a
 * file system without atomic rename); the rest are still shown. Stateless.
 */
public final class RuntimeRecords {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String FORMAT = "nrt4j-runtime-record/1";

    private RuntimeRecords() {
    }

    /** The records of live processes, by pid, then file name. Empty if the machine keeps none. */
    public static List<RuntimeRecordView> read(SystemRoot root) {
        List<RuntimeRecordView> out = new ArrayList<>();
        if (root.records().isEmpty() || !Files.isDirectory(root.records().get())) {
            return out;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(root.records().get(), "*.json")) {
            s.forEach(files::add);
        } catch (IOException e) {
            return out;
        }
        files.sort(Comparator.naturalOrder());
        for (Path f : files) {
            try {
                RuntimeRecordView r = parse(JSON.readTree(Files.readString(f)));
                if (r != null && ProcessHandle.of(r.pid()).map(ProcessHandle::isAlive).orElse(false)) {
                    out.add(r);
                }
            } catch (IOException | RuntimeException e) {
                // Vanished or half-written: the next refresh sees it whole or not at all.
            }
        }
        out.sort(Comparator.comparingLong(RuntimeRecordView::pid));
        return out;
    }

    static RuntimeRecordView parse(JsonNode n) {
        if (!FORMAT.equals(n.path("format").asString(""))) {
            return null;
        }
        List<Integer> cores = new ArrayList<>();
        n.path("cores").forEach(c -> cores.add(c.path("core").asInt()));
        List<RuntimeRecordView.LoadedModel> models = new ArrayList<>();
        n.path("models").forEach(m -> models.add(new RuntimeRecordView.LoadedModel(m.path("model_id").asInt(),
                m.path("name").asString(""), m.path("core").asInt(), m.path("device").asInt(),
                m.path("constants").asLong(), m.path("model_code").asLong())));
        Map<Integer, Map<String, Long>> device = new TreeMap<>();
        n.path("device_memory").properties().forEach(e -> device.put(Integer.parseInt(e.getKey()), longs(e.getValue())));
        List<long[]> latencies = new ArrayList<>();
        n.path("latencies").forEach(l -> latencies.add(new long[] {l.path(0).asLong(), l.path(1).asLong()}));
        return new RuntimeRecordView(n.path("pid").asLong(), n.path("command").asString(""), n.path("tag").asString(""),
                n.path("runtime_version").asString(""), n.path("lnc").asInt(1), n.path("updated_ms").asLong(), cores, models,
                device, longs(n.path("host_memory")), longs(n.path("executions")), latencies);
    }

    private static Map<String, Long> longs(JsonNode obj) {
        Map<String, Long> out = new LinkedHashMap<>();
        obj.properties().forEach(e -> out.put(e.getKey(), e.getValue().asLong()));
        return out;
    }
}
