package dev.nrt4j.conformance;

import dev.nrt4j.DType;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Shape;
import dev.nrt4j.Status;
import dev.nrt4j.artifacts.ModelArtifacts;
import dev.nrt4j.artifacts.ModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One case of a conformance corpus laid out as {@code shared/corpus/README.md} describes: a directory
 * with the program (an HLO module or HLO text under the names {@link ModelArtifacts} knows), inputs
 * {@code input<i>.npy}, expected outputs {@code output<j>.npy}, and {@code case.json} with types,
 * shapes and how outputs must match. Cases with {@code replicas} keep per-replica files in
 * {@code replica<r>/}. Immutable.
 */
public final class CorpusCase {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path directory;
    private final int replicas;
    private final Optional<Path> model;
    private final List<List<Path>> inputs;
    private final List<List<ExpectedOutput>> outputs;

    private CorpusCase(
            Path directory,
            int replicas,
            Optional<Path> model,
            List<List<Path>> inputs,
            List<List<ExpectedOutput>> outputs) {
        this.directory = directory;
        this.replicas = replicas;
        this.model = model;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
    }

    /** Whether {@code directory} looks like a corpus case (it holds a program). */
    public static boolean isCase(Path directory) {
        return program(directory).isPresent();
    }

    /** The case's program: the HLO module (or text) the directory holds, as {@link ModelArtifacts} finds it. */
    private static Optional<Path> program(Path directory) {
        if (!Files.isDirectory(directory)) {
            return Optional.empty();
        }
        try {
            return ModelArtifacts.of(ModelSource.of(directory, ModelSource.Kind.COMPILE_CACHE_ENTRY))
                    .hlo()
                    .flatMap(ModelFile::path);
        } catch (NeuronException e) {
            return Optional.empty(); // holds no model
        }
    }

    /** Whether the case has a case.json with expected outputs (a probe to look at has none). */
    public static boolean hasExpectations(Path directory) {
        return Files.isRegularFile(directory.resolve("case.json"));
    }

    /**
     * Reads the case in {@code directory}.
     *
     * @throws NeuronException {@link Status#INVALID} if case.json is missing or malformed
     */
    public static CorpusCase read(Path directory) {
        Path caseJson = directory.resolve("case.json");
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(caseJson));
        } catch (IOException | JacksonException e) {
            throw new NeuronException(
                    Status.INVALID,
                    "read corpus case " + directory,
                    Files.exists(caseJson) ? "case.json is malformed: " + e.getMessage() : "it has no case.json");
        }
        Optional<Path> model = program(directory);
        int replicas = root.path("replicas").asInt(1);
        JsonNode tolerance = root.get("tolerance");
        OutputCheck toleranceCheck = tolerance == null
                ? null
                : OutputCheck.tolerance(
                        tolerance.path("rtol").asDouble(0),
                        tolerance.path("atol").asDouble(0));
        List<List<Path>> inputs = new ArrayList<>();
        List<List<ExpectedOutput>> outputs = new ArrayList<>();
        if (replicas == 1) {
            inputs.add(inputs(root, directory));
            outputs.add(outputs(root, directory, toleranceCheck));
        } else {
            JsonNode perReplica = root.path("per_replica");
            if (perReplica.size() != replicas) {
                throw new NeuronException(
                        Status.INVALID,
                        "read corpus case " + directory,
                        "it declares " + replicas + " replicas but describes " + perReplica.size() + " in per_replica");
            }
            for (int r = 0; r < replicas; r++) {
                Path replicaDir = directory.resolve("replica" + r);
                inputs.add(inputs(perReplica.get(r), replicaDir));
                outputs.add(outputs(perReplica.get(r), replicaDir, toleranceCheck));
            }
        }
        return new CorpusCase(directory, replicas, model, inputs, outputs);
    }

    private static List<Path> inputs(JsonNode node, Path directory) {
        List<Path> files = new ArrayList<>();
        for (JsonNode in : node.path("inputs")) {
            files.add(directory.resolve(text(in, "name", directory) + ".npy"));
        }
        return files;
    }

    private static List<ExpectedOutput> outputs(JsonNode node, Path directory, OutputCheck toleranceCheck) {
        List<ExpectedOutput> list = new ArrayList<>();
        for (JsonNode out : node.path("outputs")) {
            String name = text(out, "name", directory);
            OutputCheck check =
                    out.has("check") ? OutputCheck.named(out.get("check").asString()) : toleranceCheck;
            if (check == null) {
                throw new NeuronException(
                        Status.INVALID,
                        "read corpus case " + directory,
                        "output " + name + " has neither a check nor a case tolerance");
            }
            list.add(new ExpectedOutput(
                    name,
                    DType.fromHloName(text(out, "dtype", directory)),
                    shape(out.get("shape")),
                    directory.resolve(name + ".npy"),
                    check));
        }
        return list;
    }

    private static String text(JsonNode node, String field, Path directory) {
        JsonNode v = node.get(field);
        if (v == null || !v.isString()) {
            throw new NeuronException(
                    Status.INVALID, "read corpus case " + directory, "an entry of case.json lacks '" + field + "'");
        }
        return v.asString();
    }

    private static Shape shape(JsonNode dims) {
        List<Long> d = new ArrayList<>();
        if (dims != null) {
            dims.forEach(x -> d.add(x.asLong()));
        }
        return Shape.of(d.stream().mapToLong(Long::longValue).toArray());
    }

    /** The case's name: its directory's name. */
    public String name() {
        return directory.getFileName().toString();
    }

    /** The case directory. */
    public Path directory() {
        return directory;
    }

    /** Participants the program runs on (1 for single-core programs). */
    public int replicas() {
        return replicas;
    }

    /** The program: the proto when present (it is lossless), else the text. */
    public Optional<Path> model() {
        return model;
    }

    /** Input files of the first (or only) replica, in parameter order. */
    public List<Path> inputs() {
        return inputs.get(0);
    }

    /** Expected outputs of the first (or only) replica, in result order. */
    public List<ExpectedOutput> outputs() {
        return outputs.get(0);
    }

    /** Input files of replica {@code r} (from {@code replica<r>/} for multi-replica cases). */
    public List<Path> inputs(int r) {
        return inputs.get(r);
    }

    /** Expected outputs of replica {@code r}. */
    public List<ExpectedOutput> outputs(int r) {
        return outputs.get(r);
    }
}
