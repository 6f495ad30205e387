package dev.nrt4j.tools.ls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.device.InstanceCatalog;
import dev.nrt4j.device.InstanceType;
import dev.nrt4j.tools.BusyProcess;
import dev.nrt4j.tools.CommandRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code nrt4j ls} on simulated machines checked against the device-model catalog, on hand-written
 * fixture trees in the driver's formats checked against neuron-ls's layout, and with another process
 * holding cores.
 */
class LsCommandTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path state;

    static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    private JsonNode json(String instance, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "ls",
                "--json-output",
                "--backend",
                "reference",
                "--state-dir",
                state.toString(),
                "--instance-type",
                instance));
        args.addAll(List.of(more));
        CommandRun r = run(args.toArray(new String[0]));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("[").endsWith("]\n");
        return JSON.readTree(r.out());
    }

    /** Every device object against the catalog: counts, ids, memory and the topology's neighbour lists. */
    private static void matchesCatalog(JsonNode devices, InstanceType instance, int lnc, boolean lncKey) {
        assertThat(devices.size()).isEqualTo(instance.deviceCount());
        int perDevice = instance.chip().physicalCoresPerChip() / lnc;
        for (int d = 0; d < instance.deviceCount(); d++) {
            JsonNode o = devices.get(d);
            List<String> keys = new ArrayList<>(o.propertyNames());
            List<String> expectedKeys = new ArrayList<>(List.of(
                    "neuron_device",
                    "bdf",
                    "cpu_affinity",
                    "numa_node",
                    "connected_to",
                    "nc_count",
                    "memory_size",
                    "neuroncore_ids",
                    "neuron_processes"));
            if (lncKey) {
                expectedKeys.add(6, "logical_neuroncore_config");
            }
            assertThat(keys).containsExactlyElementsOf(expectedKeys);
            assertThat(o.get("neuron_device").isInt()).isTrue();
            assertThat(o.get("neuron_device").asInt()).isEqualTo(d);
            assertThat(o.get("nc_count").asInt()).isEqualTo(perDevice);
            assertThat(o.get("memory_size").asLong()).isEqualTo(instance.deviceMemoryBytes());
            List<Integer> ids = new ArrayList<>();
            o.get("neuroncore_ids").forEach(n -> ids.add(n.asInt()));
            assertThat(ids).isEqualTo(instance.layout(lnc).coreIdsOfDevice(d));
            List<Integer> linked = new ArrayList<>();
            o.get("connected_to").forEach(n -> linked.add(n.asInt()));
            assertThat(linked).isEqualTo(instance.topology().neighbours(d));
            assertThat(o.get("numa_node").isString()).isTrue();
            assertThat(o.get("bdf").asString()).matches("0000:[0-9a-f]{2}:[0-9a-f]{2}\\.0");
            if (lncKey) {
                assertThat(o.get("logical_neuroncore_config").asInt()).isEqualTo(lnc);
            }
            assertThat(o.get("neuron_processes").isArray()).isTrue();
        }
    }

    @Test
    void helpOffersNoOptionToClaimCores() {
        CommandRun r = run("ls", "--help");
        assertThat(r.status()).isZero();
        assertThat(r.out())
                .contains("--instance-type")
                .doesNotContain("--num-cores")
                .doesNotContain("claim");
    }

    @Test
    void trn2FortyEightXlargeAtLncTwoAndOne() {
        InstanceType trn2 = InstanceCatalog.byName("trn2.48xlarge");
        JsonNode lnc2 = json("trn2.48xlarge");
        matchesCatalog(lnc2, trn2, 2, true);
        // Independent of the catalog code: neuron-ls's documented values for devices 0 and 5.
        assertThat(lnc2.get(0).get("connected_to").toString()).isEqualTo("[12,3,4,1]");
        assertThat(lnc2.get(5).get("connected_to").toString()).isEqualTo("[1,4,9,6]");
        assertThat(lnc2.get(15).get("neuroncore_ids").toString()).isEqualTo("[60,61,62,63]");
        assertThat(lnc2.get(0).get("memory_size").asLong()).isEqualTo(103079215104L);
        assertThat(lnc2.get(0).get("numa_node").asString()).isEqualTo("1");
        assertThat(lnc2.get(4).get("cpu_affinity").asString()).isEqualTo("0-47,96-143");

        JsonNode lnc1 = json("trn2.48xlarge", "--lnc", "1");
        matchesCatalog(lnc1, trn2, 1, true);
        assertThat(lnc1.get(15).get("neuroncore_ids").toString()).isEqualTo("[120,121,122,123,124,125,126,127]");
    }

    @Test
    void inf2FortyEightXlargeIsARingWithoutALogicalCoreKey() {
        JsonNode devices = json("inf2.48xlarge");
        matchesCatalog(devices, InstanceCatalog.byName("inf2.48xlarge"), 1, false);
        assertThat(devices.get(0).get("connected_to").toString()).isEqualTo("[11,1]");
        assertThat(devices.get(11).get("neuroncore_ids").toString()).isEqualTo("[22,23]");
        assertThat(devices.get(0).get("memory_size").asLong()).isEqualTo(34359738368L);
    }

    @Test
    void aSingleDeviceHasNoLinksAndNoConnectedColumn() {
        JsonNode devices = json("trn1.2xlarge");
        assertThat(devices.get(0).get("connected_to").isNull()).isTrue();
        CommandRun table =
                run("ls", "--backend", "reference", "--state-dir", state.toString(), "--instance-type", "trn1.2xlarge");
        assertThat(table.status()).as(table.err()).isZero();
        assertThat(table.out())
                .doesNotContain("CONNECTED")
                .contains("instance-type: trn1.2xlarge")
                .doesNotContain("logical-neuroncore-config");
    }

    @Test
    void topologyDrawsTheTorusWithWrapAroundLinks() {
        CommandRun r = run(
                "ls",
                "--topology",
                "--backend",
                "reference",
                "--state-dir",
                state.toString(),
                "--instance-type",
                "trn1.32xlarge");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("*––►[ 0 ]◄––►[ 1 ]◄––►[ 2 ]◄––►[ 3 ]◄––*")
                .contains("*––►[12 ]◄––►[13 ]◄––►[14 ]◄––►[15 ]◄––*")
                .contains("Legend:");
        CommandRun inf2 = run(
                "ls",
                "-t",
                "--backend",
                "reference",
                "--state-dir",
                state.toString(),
                "--instance-type",
                "inf2.24xlarge");
        assertThat(inf2.out())
                .contains("[ 0 ]◄––►[ 1 ]◄––►[ 2 ]◄––►[ 3 ]◄––►[ 4 ]◄––►[ 5 ]")
                .doesNotContain("*––►");
    }

    /** A trn1.2xlarge tree written by hand in the driver's formats, with one process holding the device. */
    private Path fixture(String coreCount) throws IOException {
        Path root = state.resolve("fixture");
        Path dev = root.resolve("sys/devices/virtual/neuron_device/neuron0");
        write(dev.resolve("core_count"), coreCount);
        write(dev.resolve("connected_devices"), "\n");
        write(dev.resolve("info/architecture/device_name"), "Trainium1\n");
        write(root.resolve("sys/devices/virtual/dmi/id/product_name"), "trn1.2xlarge\n");
        write(root.resolve("sys/devices/virtual/dmi/id/board_asset_tag"), "i-0123456789abcdef0\n");
        Path fn = root.resolve("sys/devices/pci0000:00/0000:00:1e.0");
        write(fn.resolve("numa_node"), "-1\n");
        write(fn.resolve("local_cpulist"), "0-7\n");
        Files.createDirectories(root.resolve("sys/bus/pci/drivers/neuron-driver"));
        Files.createSymbolicLink(root.resolve("sys/bus/pci/drivers/neuron-driver/0000:00:1e.0"), fn);
        write(root.resolve("dev/neuron0"), "");
        write(
                root.resolve("proc/37021/cmdline"),
                "/opt/conda/bin/python\0-c\0from multiprocessing.spawn import spawn_main\0");
        Files.createDirectories(root.resolve("proc/37021/fd"));
        Files.createSymbolicLink(root.resolve("proc/37021/fd/9"), root.resolve("dev/neuron0"));
        // A libnrt application: the runtime library is in its memory map.
        write(
                root.resolve("proc/37021/maps"),
                "7f1c2a000000-7f1c2a400000 r-xp 00000000 103:01 4242 /opt/aws/neuron/lib/libnrt.so.1\n");
        // A process that holds the device without a runtime, like neuron-monitor: listed only with -a.
        write(root.resolve("proc/37100/cmdline"), "neuron-monitor\0-c\0monitor.conf\0");
        write(
                root.resolve("proc/37100/maps"),
                "55d0c0000000-55d0c0100000 r-xp 00000000 103:01 77 /usr/bin/neuron-monitor\n");
        Files.createDirectories(root.resolve("proc/37100/fd"));
        Files.createSymbolicLink(root.resolve("proc/37100/fd/3"), root.resolve("dev/neuron0"));
        return root;
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @Test
    void aFixtureTreePrintsNeuronLsLayout() throws IOException {
        CommandRun r = run("ls", "--root", fixture("2").toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out())
                .isEqualTo(String.join(
                        "\n",
                        "instance-type: trn1.2xlarge",
                        "instance-id: i-0123456789abcdef0",
                        "+--------+--------+----------+--------+--------------+-------+----------+------+------------------------------------------+---------+",
                        "| NEURON | NEURON |  NEURON  | NEURON |     PCI      |  PID  |   CPU    | NUMA |                 COMMAND                  | RUNTIME |",
                        "| DEVICE | CORES  | CORE IDS | MEMORY |     BDF      |       | AFFINITY | NODE |                                          | VERSION |",
                        "+--------+--------+----------+--------+--------------+-------+----------+------+------------------------------------------+---------+",
                        "| 0      | 2      | 0-1      | 32 GB  | 0000:00:1e.0 | 37021 | 0-7      | -1   | /opt/conda/bin/python -c from multipr... | NA      |",
                        "+--------+--------+----------+--------+--------------+-------+----------+------+------------------------------------------+---------+",
                        ""));
        CommandRun json = run("ls", "-j", "--root", state.resolve("fixture").toString());
        JsonNode d = JSON.readTree(json.out()).get(0);
        assertThat(d.get("neuron_processes").get(0).get("pid").asLong()).isEqualTo(37021);
        assertThat(d.get("neuron_processes").get(0).get("command").asString())
                .isEqualTo("/opt/conda/bin/python -c from multiprocessing.spawn import spawn_main");
    }

    @Test
    void showAllProcsAddsProcessesThatRunNoRuntime() throws IOException {
        String root = fixture("2").toString();
        CommandRun brief = run("ls", "--root", root);
        CommandRun all = run("ls", "-a", "--root", root);
        assertThat(all.status()).as(all.err()).isZero();
        assertThat(brief.out()).contains("| 37021 |").doesNotContain("37100").doesNotContain("neuron-monitor");
        assertThat(all.out())
                .contains("| 0      | 2      | 0-1      | 32 GB  | 0000:00:1e.0 | 37021 | 0-7      | -1   |")
                .contains(
                        "|        |        |          |        |              | 37100 |          |      | neuron-monitor -c monitor.conf")
                .contains("| NA      |");
        assertThat(run("ls", "--show-all-procs", "--root", root).out()).isEqualTo(all.out());

        JsonNode briefJson = JSON.readTree(run("ls", "-j", "--root", root).out());
        JsonNode allJson = JSON.readTree(run("ls", "-j", "-a", "--root", root).out());
        assertThat(pids(briefJson.get(0))).containsExactly(37021L);
        assertThat(pids(allJson.get(0))).containsExactly(37021L, 37100L);
        JsonNode monitor = allJson.get(0).get("neuron_processes").get(1);
        assertThat(monitor.get("command").asString()).isEqualTo("neuron-monitor -c monitor.conf");
        assertThat(monitor.get("neuron_runtime_version").asString()).isEqualTo("NA");
    }

    private static List<Long> pids(JsonNode device) {
        List<Long> out = new ArrayList<>();
        device.get("neuron_processes").forEach(p -> out.add(p.get("pid").asLong()));
        return out;
    }

    @Test
    void outputFormatJsonIsTheJsonOutputAndTableTheDefault() throws IOException {
        String root = fixture("2").toString();
        CommandRun j = run("ls", "-j", "-a", "--root", root);
        CommandRun formatJson = run("ls", "--output-format", "json", "-a", "--root", root);
        assertThat(formatJson.status()).as(formatJson.err()).isZero();
        assertThat(formatJson.out()).isEqualTo(j.out()).startsWith("[").endsWith("]\n");
        assertThat(JSON.readTree(formatJson.out()).get(0).get("nc_count").asInt())
                .isEqualTo(2);
        assertThat(run("ls", "--output-format=json", "-j", "-a", "--root", root).out())
                .isEqualTo(j.out());

        CommandRun table = run("ls", "--output-format", "table", "--root", root);
        assertThat(table.status()).as(table.err()).isZero();
        assertThat(table.out()).isEqualTo(run("ls", "--root", root).out()).startsWith("instance-type: trn1.2xlarge\n");
    }

    @Test
    void aBadOutputFormatIsAUsageErrorNamingTheChoices() throws IOException {
        String root = fixture("2").toString();
        CommandRun xml = run("ls", "--output-format", "xml", "--root", root);
        assertThat(xml.status()).isEqualTo(2);
        assertThat(xml.out()).isEmpty();
        assertThat(xml.err().lines().findFirst().orElseThrow())
                .contains("--output-format")
                .contains("json, table")
                .contains("'xml'");
        CommandRun both = run("ls", "-j", "--output-format", "table", "--root", root);
        assertThat(both.status()).isEqualTo(2);
        assertThat(both.out()).isEmpty();
        assertThat(both.err().lines().findFirst().orElseThrow())
                .contains("--json-output")
                .contains("table");
    }

    @Test
    void aCorruptTreeOrNoDriverIsOneClearError() throws IOException {
        CommandRun corrupt = run("ls", "--root", fixture("two").toString());
        assertThat(corrupt.status()).isEqualTo(1);
        assertThat(corrupt.out()).isEmpty();
        assertThat(corrupt.err())
                .contains("core_count")
                .contains("'two'")
                .contains("FAILURE")
                .contains("Neuron driver");
        CommandRun none =
                run("ls", "--json-output", "--root", state.resolve("nothing").toString());
        assertThat(none.status()).isEqualTo(1);
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).contains("no Neuron devices");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anotherProcessHoldingCoresIsListedWithItsRuntime() throws Exception {
        long pid;
        try (BusyProcess child = BusyProcess.start(state, "inf2.24xlarge", 2, 4096)) {
            pid = child.pid();
            JsonNode devices = json("inf2.24xlarge");
            assertThat(devices.get(0).get("neuron_processes").size()).isZero();
            JsonNode p = devices.get(1).get("neuron_processes").get(0);
            assertThat(p.get("pid").asLong()).isEqualTo(pid);
            assertThat(p.get("command").asString()).contains("ModelLoopProcess");
            assertThat(p.get("neuron_runtime_version").asString()).startsWith("nrt4j-reference ");
            CommandRun table = run(
                    "ls",
                    "--backend",
                    "reference",
                    "--state-dir",
                    state.toString(),
                    "--instance-type",
                    "inf2.24xlarge");
            assertThat(table.out())
                    .contains(" PID ")
                    .contains("| " + pid + " |")
                    .contains("| NA ");
        }
        assertThat(json("inf2.24xlarge").get(1).get("neuron_processes").size()).isZero();
    }
}
