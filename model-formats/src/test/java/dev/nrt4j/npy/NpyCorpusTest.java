package dev.nrt4j.npy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.DType;
import dev.nrt4j.HostTensor;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Shape;
import dev.nrt4j.testsupport.Needs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads every {@code .npy} of the shared conformance corpus (written by NumPy) and checks its shape
 * and element type against the {@code case.json} beside it. Skipped when the corpus is absent, as it
 * is in a user's clone.
 */
class NpyCorpusTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyCorpusArrayHasTheShapeAndTypeItsCaseDeclares() throws IOException {
        Path corpus = Needs.sharedCorpus();

        List<String> mismatches = new ArrayList<>();
        Set<Path> expected = new TreeSet<>();
        List<Path> cases;
        try (Stream<Path> s = Files.walk(corpus)) {
            cases = s.filter(p -> p.getFileName().toString().equals("case.json"))
                    .sorted()
                    .collect(Collectors.toList());
        }
        for (Path caseFile : cases) {
            Path dir = caseFile.getParent();
            JsonNode c = JSON.readTree(caseFile.toFile());
            if (c.has("per_replica")) {
                JsonNode replicas = c.get("per_replica");
                for (int r = 0; r < replicas.size(); r++) {
                    checkAll(dir.resolve("replica" + r), replicas.get(r), expected, mismatches);
                }
            } else {
                checkAll(dir, c, expected, mismatches);
            }
        }
        Set<Path> present;
        try (Stream<Path> s = Files.walk(corpus)) {
            present = s.filter(p -> p.toString().endsWith(".npy")).collect(Collectors.toCollection(TreeSet::new));
        }
        Set<Path> undeclared = new TreeSet<>(present);
        undeclared.removeAll(expected);
        System.out.printf(
                "NpyCorpusTest: %d case.json files, %d .npy files read, %d mismatches%n",
                cases.size(), expected.size(), mismatches.size());

        assertThat(mismatches).as("arrays that differ from their case.json").isEmpty();
        assertThat(undeclared).as(".npy files that no case.json declares").isEmpty();
        assertThat(expected).hasSizeGreaterThan(2000);
    }

    private static void checkAll(Path dir, JsonNode spec, Set<Path> expected, List<String> mismatches) {
        for (String group : new String[] {"inputs", "outputs"}) {
            if (!spec.has(group)) {
                continue;
            }
            for (JsonNode tensor : spec.get(group)) {
                Path file = dir.resolve(tensor.get("name").asString() + ".npy");
                expected.add(file);
                String problem = check(file, tensor);
                if (problem != null) {
                    mismatches.add(file + ": " + problem);
                }
            }
        }
    }

    /** What is wrong with {@code file} against its declaration, or null. */
    private static String check(Path file, JsonNode tensor) {
        DType declared = DType.fromHloName(tensor.get("dtype").asString());
        boolean bits =
                tensor.has("stored_as_bits") && tensor.get("stored_as_bits").asBoolean();
        // NumPy has no bfloat16: such tensors are stored as their uint16 bit patterns.
        DType stored = bits ? DType.UINT16 : declared;
        long[] dims = new long[tensor.get("shape").size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = tensor.get("shape").get(i).asLong();
        }
        HostTensor t;
        try {
            t = Npy.read(file);
        } catch (NeuronException e) {
            return e.getMessage();
        }
        if (t.dtype() != stored) {
            return "dtype " + t.dtype().hloName() + ", declared " + stored.hloName();
        }
        if (!t.shape().equals(Shape.of(dims))) {
            return "shape " + t.shape() + ", declared " + Shape.of(dims);
        }
        if (bits && t.reinterpret(declared).dtype() != declared) {
            return "cannot be seen as " + declared.hloName();
        }
        return null;
    }
}
