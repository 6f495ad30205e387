package dev.nrt4j.hlo.proto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.hlo.HloComputation;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.HloShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Every {@code model.hlo_module.pb} of the shared corpus (JAX-lowered and StableHLO-converted
 * programs) reads, and its entry signature agrees with the case's {@code case.json}. The corpus
 * lives outside the repository; without it these tests are skipped.
 */
class HloProtoCorpusTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> everyCorpusModuleReadsAndMatchesItsCase() throws IOException {
        List<Path> modules = CorpusModules.all();
        return modules.stream().map(m -> DynamicTest.dynamicTest(CorpusModules.name(m), () -> check(m)));
    }

    private static void check(Path file) throws IOException {
        HloModule module = HloProtoReader.read(file);
        HloComputation entry = module.entry();
        assertThat(module.instructionCount()).isPositive();
        assertThat(module.replicaCount()).isGreaterThanOrEqualTo(1);
        Path caseJson = file.resolveSibling("case.json");
        if (!Files.isRegularFile(caseJson)) {
            return;
        }
        JsonNode c = JSON.readTree(Files.readString(caseJson));
        boolean stablehlo =
                file.getParent().getParent().getFileName().toString().equals("stablehlo");
        if (stablehlo) {
            assertThat(entry.parameters())
                    .as("stablehlo cases bake their inputs in")
                    .isEmpty();
        } else if (c.has("inputs")) {
            JsonNode inputs = c.get("inputs");
            assertThat(entry.parameters()).hasSize(inputs.size());
            for (int i = 0; i < inputs.size(); i++) {
                assertMatches(entry.parameters().get(i).shape(), inputs.get(i), "parameter " + i);
            }
        }
        if (c.has("outputs")) {
            List<HloShape> leaves = new ArrayList<>();
            flatten(entry.resultShape(), leaves);
            JsonNode outputs = c.get("outputs");
            assertThat(leaves).as("result leaves of %s", entry.resultShape()).hasSize(outputs.size());
            for (int i = 0; i < outputs.size(); i++) {
                assertMatches(leaves.get(i), outputs.get(i), "output " + i);
            }
        }
    }

    private static void flatten(HloShape shape, List<HloShape> out) {
        if (shape.isTuple()) {
            shape.tupleShapes().forEach(s -> flatten(s, out));
        } else {
            out.add(shape);
        }
    }

    private static void assertMatches(HloShape shape, JsonNode expected, String what) {
        assertThat(shape.elementType().textName())
                .as("%s element type", what)
                .isEqualTo(expected.get("dtype").asString());
        JsonNode dims = expected.get("shape");
        long[] want = new long[dims.size()];
        for (int i = 0; i < want.length; i++) {
            want[i] = dims.get(i).asLong();
        }
        assertThat(shape.dims()).as("%s dimensions", what).containsExactly(want);
    }
}
