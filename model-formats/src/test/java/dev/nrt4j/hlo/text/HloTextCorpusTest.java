package dev.nrt4j.hlo.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.HloShape;
import dev.nrt4j.testsupport.Needs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Every {@code model.hlo.txt} of the shared corpus ({@code nrt4j.shared.dir}/corpus) either parses,
 * or — exactly when its text elides a constant as {@code {...}} — is refused with the message that
 * points to the {@code .pb}. Parsed modules are checked against their {@code case.json}: parameters
 * against the inputs, the root's array leaves against the outputs. Skipped when the corpus is absent.
 */
class HloTextCorpusTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path corpus() {
        return Needs.sharedCorpus();
    }

    private static List<Path> cases(Path corpus, String family) throws IOException {
        Path dir = corpus.resolve(family);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("model.hlo.txt")))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void everyCorpusModuleParsesOrIsRefusedForItsElidedConstants() throws IOException {
        Path corpus = corpus();
        int parsed = 0;
        int elided = 0;
        int checkedAgainstCase = 0;
        List<String> problems = new ArrayList<>();
        List<Path> all = new ArrayList<>(cases(corpus, "jax"));
        all.addAll(cases(corpus, "stablehlo"));
        assertThat(all).as("corpus cases").isNotEmpty();
        for (Path dir : all) {
            Path file = dir.resolve("model.hlo.txt");
            boolean hasDots = Files.readString(file).contains("{...}");
            HloModule m;
            try {
                m = HloTextParser.parse(file);
            } catch (NeuronException e) {
                if (e.status() == Status.INVALID
                        && hasDots
                        && e.getMessage().contains("elides a large constant")
                        && e.getMessage().contains(".hlo_module.pb")) {
                    elided++;
                } else {
                    problems.add(dir.getFileName() + ": " + e.getMessage());
                }
                continue;
            }
            if (hasDots) {
                problems.add(dir.getFileName() + ": parsed although the text contains {...}");
                continue;
            }
            parsed++;
            Path caseJson = dir.resolve("case.json");
            if (Files.isRegularFile(caseJson)) {
                String problem = checkAgainstCase(
                        m,
                        JSON.readTree(Files.readString(caseJson)),
                        dir.getParent().getFileName().toString());
                if (problem != null) {
                    problems.add(dir.getFileName() + ": " + problem);
                }
                checkedAgainstCase++;
            }
        }
        System.out.printf(
                "HLO text corpus: %d cases, %d parsed (%d checked against case.json), %d refused for elided constants%n",
                all.size(), parsed, checkedAgainstCase, elided);
        if (!problems.isEmpty()) {
            fail(problems.size() + " corpus cases went wrong:\n"
                    + String.join("\n", problems.subList(0, Math.min(30, problems.size()))));
        }
        assertThat(parsed + elided).isEqualTo(all.size());
        assertThat(parsed).isPositive();
        assertThat(checkedAgainstCase).isPositive();
    }

    /** A message for the first mismatch, or null. */
    private static String checkAgainstCase(HloModule m, JsonNode c, String family) {
        JsonNode inputs;
        JsonNode outputs;
        if (c.has("per_replica")) {
            if (m.replicaCount() != c.get("replicas").asInt()) {
                return "replica_count " + m.replicaCount() + " but case.json says " + c.get("replicas");
            }
            inputs = c.get("per_replica").get(0).get("inputs");
            outputs = c.get("per_replica").get(0).get("outputs");
        } else {
            inputs = c.get("inputs");
            outputs = c.get("outputs");
        }
        List<HloInstruction> params = m.entry().parameters();
        if (family.equals("stablehlo")) {
            // The converter bakes the inputs in as constants.
            if (!params.isEmpty()) {
                return "a stablehlo case has " + params.size() + " entry parameters";
            }
        } else {
            if (inputs == null || params.size() != inputs.size()) {
                return "entry has " + params.size() + " parameters but case.json lists "
                        + (inputs == null ? 0 : inputs.size()) + " inputs";
            }
            for (int i = 0; i < params.size(); i++) {
                String mismatch = mismatch(params.get(i).shape(), inputs.get(i));
                if (mismatch != null) {
                    return "parameter " + i + ": " + mismatch;
                }
            }
        }
        List<HloShape> leaves = new ArrayList<>();
        flatten(m.entry().root().shape(), leaves);
        if (outputs == null || leaves.size() != outputs.size()) {
            return "root has " + leaves.size() + " array leaves but case.json lists "
                    + (outputs == null ? 0 : outputs.size()) + " outputs";
        }
        for (int i = 0; i < leaves.size(); i++) {
            String mismatch = mismatch(leaves.get(i), outputs.get(i));
            if (mismatch != null) {
                return "output " + i + ": " + mismatch;
            }
        }
        return null;
    }

    private static void flatten(HloShape s, List<HloShape> out) {
        if (s.isTuple()) {
            s.tupleShapes().forEach(t -> flatten(t, out));
        } else {
            out.add(s);
        }
    }

    private static String mismatch(HloShape s, JsonNode expected) {
        String dtype = expected.get("dtype").asString();
        List<Long> dims = new ArrayList<>();
        expected.get("shape").forEach(d -> dims.add(d.asLong()));
        List<Long> actual = new ArrayList<>();
        for (long d : s.dims()) {
            actual.add(d);
        }
        if (!s.elementType().textName().equals(dtype) || !actual.equals(dims)) {
            return s + " but case.json says " + dtype + dims;
        }
        return null;
    }
}
