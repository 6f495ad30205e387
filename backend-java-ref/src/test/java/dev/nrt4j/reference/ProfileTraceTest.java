package dev.nrt4j.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.Status;
import dev.nrt4j.TensorSet;
import dev.nrt4j.testsupport.ProfiledHlo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** {@code RuntimeOptions.profileOutput} on the reference device: a Chrome trace of every executed instruction. */
@Isolated("claims simulated cores, which are shared by every runtime of the JVM")
class ProfileTraceTest {

    @Test
    void everyExecutedInstructionIsOneCompleteEventNamedByItsOpcode(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("trace.json");
        try (NeuronRuntime rt = NeuronRuntime.open(
                        ReferenceRuntimeTest.options().profileOutput(file).build());
                Model m = rt.load(ModelSource.of(
                        ProfiledHlo.PROGRAM.getBytes(StandardCharsets.UTF_8), ModelSource.Kind.HLO_TEXT));
                TensorSet in = m.allocateInputs();
                TensorSet out = m.allocateOutputs()) {
            in.get("input0").write(new float[6]);
            in.get("input1").write(new float[12]);
            m.execute(in, out);
            m.execute(in, out);
        }

        JsonNode events = new ObjectMapper().readTree(file.toFile()).get("traceEvents");
        List<String> names = new ArrayList<>();
        for (JsonNode e : events) {
            assertThat(e.get("ph").asString()).isEqualTo("X");
            assertThat(e.get("dur").asDouble()).isGreaterThanOrEqualTo(0);
            assertThat(e.get("ts").asDouble()).isGreaterThanOrEqualTo(0);
            assertThat(e.get("pid").asInt()).isZero();
            assertThat(e.get("tid").asInt()).isZero();
            names.add(e.get("name").asString());
        }
        List<String> twice = new ArrayList<>(ProfiledHlo.OPCODES);
        twice.addAll(ProfiledHlo.OPCODES);
        assertThat(names).isEqualTo(twice);
        JsonNode dot = events.get(2).get("args");
        assertThat(dot.get("instruction").asString()).isEqualTo("d");
        assertThat(dot.get("flops").asLong()).isEqualTo(48);
        assertThat(dot.get("bytes").asLong()).isEqualTo(2 * 4 * 4);
        assertThat(dot.get("operands")).hasSize(2);
        assertThat(events.get(5).get("args").has("flops")).isFalse();
    }

    @Test
    void anUnwritablePathFailsTheOpenAsInvalidAndHoldsNoCores(@TempDir Path dir) {
        Path file = dir.resolve("missing-dir").resolve("trace.json");

        assertThatThrownBy(() -> NeuronRuntime.open(ReferenceRuntimeTest.options()
                                .profileOutput(file)
                                .build())
                        .close())
                .isInstanceOf(NeuronException.class)
                .hasMessageContaining(file.toString())
                .satisfies(e -> assertThat(((NeuronException) e).status()).isEqualTo(Status.INVALID));
        assertThat(Files.exists(file)).isFalse();
        try (NeuronRuntime rt =
                NeuronRuntime.open(ReferenceRuntimeTest.options().build())) {
            assertThat(rt.cores()).isNotEmpty();
        }
    }
}
