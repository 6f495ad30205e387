package dev.nrt4j.reference.sysfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.LoadOptions;
import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Tensor;
import dev.nrt4j.device.InstanceCatalog;
import dev.nrt4j.device.driver.SysfsLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The simulated driver sysfs tree a reference runtime lays out in its state directory, and the counters
 * its tensors, loads and executes move, read back from the files as a monitoring tool would.
 */
@Isolated("claims simulated cores, which are shared by every runtime of the JVM")
class SysfsTreeTest {
    private static final String TUPLE =
            "HloModule m\nENTRY e {\n  a = f32[2] parameter(0)\n  ROOT t = (f32[2]) tuple(a)\n}\n";

    @TempDir
    Path state;

    private RuntimeOptions.Builder options(String instance) {
        return RuntimeOptions.builder(Map.of(), new Properties())
                .backend("reference")
                .stateDir(state)
                .instanceType(instance);
    }

    private Path device(String instance, int d) {
        return state.resolve(instance).resolve("sys/devices/virtual/neuron_device/neuron" + d);
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p);
    }

    @Test
    void inf2XlargeShowsOneInferentia2WithTwoCores() throws Exception {
        try (NeuronRuntime rt = NeuronRuntime.open(options("inf2.xlarge").build())) {
            Path d = device("inf2.xlarge", 0);
            assertThat(read(d.resolve("core_count"))).isEqualTo("2");
            assertThat(read(d.resolve("connected_devices"))).isEqualTo("\n");
            assertThat(read(d.resolve("info/architecture/arch_type"))).isEqualTo("NDv3\n");
            assertThat(read(d.resolve("info/architecture/instance_type"))).isEqualTo("Inf2\n");
            assertThat(read(d.resolve("info/architecture/device_name"))).isEqualTo("Inferentia2\n");
            assertThat(read(d.resolve("info/serial_number"))).matches("[0-9a-f]{16}\n");
            assertThat(read(d.resolve("neuron_core1/info/architecture/arch_type")))
                    .isEqualTo("NCv2\n");
            assertThat(d.resolve("neuron_core2")).doesNotExist();
            assertThat(device("inf2.xlarge", 1)).doesNotExist();
            try (Stream<Path> names = Files.list(d.resolve("neuron_core0/stats/status"))) {
                assertThat(names.map(p -> p.getFileName().toString()))
                        .containsExactlyInAnyOrderElementsOf(SysfsLayout.STATUS_COUNTERS);
            }
            for (String s : SysfsLayout.STATUS_COUNTERS) {
                assertThat(read(d.resolve("neuron_core0/stats/status/" + s + "/total")))
                        .isEqualTo("0\n");
                assertThat(read(d.resolve("neuron_core0/stats/status/" + s + "/present")))
                        .isEqualTo("0\n");
            }
            Path mem = d.resolve("neuron_core1/stats/memory_usage/device_mem");
            assertThat(read(mem.resolve("peak"))).isEqualTo("0\n");
            for (String c : SysfsLayout.DEVICE_MEM_CATEGORIES) {
                for (String f : new String[] {"total", "present", "peak"}) {
                    assertThat(read(mem.resolve(c).resolve(f))).isEqualTo("0\n");
                }
            }
            for (String o : SysfsLayout.OTHER_INFO) {
                assertThat(read(d.resolve("neuron_core1/stats/other_info/" + o + "/total")))
                        .isEqualTo("0\n");
                assertThat(d.resolve("neuron_core1/stats/other_info/" + o + "/peak"))
                        .doesNotExist();
            }
        }
    }

    @Test
    void trn2ShowsEightPhysicalCoresAtEitherLnc() throws Exception {
        for (int lnc : new int[] {2, 1}) {
            try (NeuronRuntime rt =
                    NeuronRuntime.open(options("trn2.3xlarge").lnc(lnc).build())) {
                assertThat(rt.cores()).hasSize(8 / lnc);
                Path d = device("trn2.3xlarge", 0);
                assertThat(read(d.resolve("core_count"))).isEqualTo("8");
                assertThat(read(d.resolve("info/architecture/arch_type"))).isEqualTo("NDv3\n");
                assertThat(read(d.resolve("info/architecture/instance_type"))).isEqualTo("Trn2\n");
                assertThat(read(d.resolve("info/architecture/device_name"))).isEqualTo("Trainium2\n");
                assertThat(read(d.resolve("neuron_core7/info/architecture/arch_type")))
                        .isEqualTo("NCv3\n");
                assertThat(d.resolve("neuron_core8")).doesNotExist();
            }
        }
    }

    @Test
    void trn2FortyEightXlargeListsTorusNeighbours() throws Exception {
        try (NeuronRuntime rt =
                NeuronRuntime.open(options("trn2.48xlarge").numCores(1).build())) {
            assertThat(read(device("trn2.48xlarge", 0).resolve("connected_devices")))
                    .isEqualTo("12, 3, 4, 1\n");
            assertThat(read(device("trn2.48xlarge", 5).resolve("connected_devices")))
                    .isEqualTo("1, 4, 9, 6\n");
            assertThat(device("trn2.48xlarge", 15).resolve("neuron_core7/stats/other_info/nc_time_in_use/total"))
                    .exists();
            String s0 = read(device("trn2.48xlarge", 0).resolve("info/serial_number"));
            String s1 = read(device("trn2.48xlarge", 1).resolve("info/serial_number"));
            assertThat(s0).isNotEqualTo(s1);
            assertThat(s0).isEqualTo(SysfsTree.serialNumber("trn2.48xlarge", 0) + "\n");
        }
    }

    @Test
    void layingOutAgainKeepsCountersAnotherProcessWrote() throws Exception {
        SysfsTree tree = SysfsTree.ensure(state, InstanceCatalog.byName("inf2.xlarge"));
        Path total = tree.status(0, 1, "success").resolve("total");
        Files.writeString(total, "17\n");
        Files.delete(total.resolveSibling("present"));
        // Drop the completion marker so the layout really runs again.
        try (Stream<Path> s = Files.list(SysfsTree.systemRoot(state, InstanceCatalog.byName("inf2.xlarge"))
                .sys())) {
            s.filter(p -> p.getFileName().toString().startsWith(".nrt4j-layout"))
                    .forEach(p -> p.toFile().delete());
        }
        SysfsTree.ensure(state, InstanceCatalog.byName("inf2.xlarge"));
        assertThat(read(total)).isEqualTo("17\n");
        assertThat(read(total.resolveSibling("present"))).isEqualTo("0\n");
    }

    @Test
    void tensorsLoadsAndExecutesMoveTheCountersOfTheLogicalCoresFirstPhysicalCore() throws Exception {
        Path hlo = Files.writeString(state.resolve("tuple.hlo.txt"), TUPLE);
        int executions = 3;
        Path core2 = device("trn2.3xlarge", 0).resolve("neuron_core2/stats");
        try (NeuronRuntime rt =
                NeuronRuntime.open(options("trn2.3xlarge").lnc(2).build())) {
            // Logical core 1 at LNC=2 is physical cores 2 and 3; its counters go to core 2.
            try (Tensor t = rt.allocate("big", 4096, 1)) {
                t.write(new byte[] {1});
            }
            try (Model m = rt.load(ModelSource.of(hlo), LoadOptions.onCore(1));
                    var in = m.allocateInputs();
                    var out = m.allocateOutputs()) {
                in.get(m.signature().inputs().get(0).name()).write(new float[] {1f, 2f});
                for (int i = 0; i < executions; i++) {
                    m.execute(in, out);
                }
                // The periodic flush publishes the counts while the runtime is still open.
                Path inferences = core2.resolve("other_info/inference_count/total");
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (!read(inferences).equals(executions + "\n") && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(read(inferences)).isEqualTo(executions + "\n");
                assertThat(read(core2.resolve("memory_usage/device_mem/tensors/total")))
                        .isEqualTo("16\n");
            }
        }
        Path mem = core2.resolve("memory_usage/device_mem");
        assertThat(read(mem.resolve("tensors/total"))).isEqualTo("0\n");
        assertThat(read(mem.resolve("tensors/peak"))).isEqualTo("4096\n");
        assertThat(read(mem.resolve("total"))).isEqualTo("0\n");
        assertThat(read(mem.resolve("peak"))).isEqualTo("4096\n");
        assertThat(read(mem.resolve("constants/total"))).isEqualTo("0\n");
        assertThat(read(core2.resolve("status/success/total"))).isEqualTo(executions + "\n");
        assertThat(read(core2.resolve("status/success/present"))).isEqualTo("1\n");
        assertThat(read(core2.resolve("other_info/inference_count/total"))).isEqualTo(executions + "\n");
        assertThat(read(core2.resolve("other_info/model_load_count/total"))).isEqualTo("1\n");
        assertThat(Long.parseLong(
                        read(core2.resolve("other_info/nc_time_in_use/total")).strip()))
                .isPositive();
        assertThat(read(core2.resolve("other_info/flop_count/total"))).isEqualTo("0\n");
        // The other physical core of the pair, and other logical cores, saw nothing.
        assertThat(read(device("trn2.3xlarge", 0).resolve("neuron_core3/stats/other_info/inference_count/total")))
                .isEqualTo("0\n");
        assertThat(read(device("trn2.3xlarge", 0).resolve("neuron_core0/stats/memory_usage/device_mem/peak")))
                .isEqualTo("0\n");

        // A later runtime continues the counts rather than starting over.
        try (NeuronRuntime rt =
                        NeuronRuntime.open(options("trn2.3xlarge").lnc(2).build());
                Model m = rt.load(ModelSource.of(hlo), LoadOptions.onCore(1));
                var in = m.allocateInputs();
                var out = m.allocateOutputs()) {
            m.execute(in, out);
        }
        assertThat(read(core2.resolve("status/success/total"))).isEqualTo((executions + 1) + "\n");
        assertThat(read(core2.resolve("other_info/model_load_count/total"))).isEqualTo("2\n");
    }
}
