package dev.nrt4j.conformance;

import dev.nrt4j.HostTensor;
import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.Status;
import dev.nrt4j.TensorInfo;
import dev.nrt4j.npy.Npy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs corpus cases on one runtime through the public API — load, write inputs, execute, read
 * outputs — and judges each output by its case's rule. Any number of cases run in one runtime;
 * each case's model is unloaded before the next. Not thread-safe; use one per thread.
 */
public final class CorpusRunner {
    private final NeuronRuntime runtime;
    private final KnownFailures knownFailures;

    public CorpusRunner(NeuronRuntime runtime, KnownFailures knownFailures) {
        this.runtime = runtime;
        this.knownFailures = knownFailures;
    }

    /**
     * Every case directory under {@code corpus} (or {@code corpus} itself when it is one), sorted by
     * path, whose name matches {@code glob} (all when null).
     *
     * @throws NeuronException {@link Status#INVALID} if {@code corpus} is not a directory
     */
    public static List<Path> findCases(Path corpus, String glob) {
        if (!Files.isDirectory(corpus)) {
            throw new NeuronException(Status.INVALID, "find corpus cases", corpus + " is not a directory");
        }
        PathMatcher matcher = glob == null ? null : FileSystems.getDefault().getPathMatcher("glob:" + glob);
        try (Stream<Path> walk = Files.walk(corpus, 4)) {
            return walk.filter(Files::isDirectory)
                    .filter(CorpusCase::isCase)
                    .filter(d -> matcher == null || matcher.matches(d.getFileName()))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the cases, telling {@code progress} about each result as it comes. */
    public ConformanceReport runAll(List<Path> cases, Consumer<CaseResult> progress) {
        List<CaseResult> results = new ArrayList<>();
        for (Path c : cases) {
            CaseResult r = run(c);
            results.add(r);
            progress.accept(r);
        }
        return new ConformanceReport(runtime.backend().name(), results);
    }

    /** Runs one case. */
    public CaseResult run(Path caseDirectory) {
        long start = System.nanoTime();
        String name = caseDirectory.getFileName().toString();
        CaseResult.Outcome outcome;
        String detail;
        try {
            CorpusCase c = CorpusCase.hasExpectations(caseDirectory) ? CorpusCase.read(caseDirectory) : null;
            if (c == null) {
                outcome = CaseResult.Outcome.UNSUPPORTED;
                detail = "the case has no case.json, so no expected outputs to compare with";
            } else if (c.replicas() > 1) {
                outcome = CaseResult.Outcome.UNSUPPORTED;
                detail = "the program runs on " + c.replicas() + " replicas; multi-core programs are not supported by this runner yet";
            } else if (c.model().isEmpty()) {
                outcome = CaseResult.Outcome.ERROR;
                detail = "the case has no model file";
            } else {
                Optional<String> problem = execute(c);
                outcome = problem.isEmpty() ? CaseResult.Outcome.PASS : CaseResult.Outcome.FAIL;
                detail = problem.orElse("");
            }
        } catch (NeuronException e) {
            outcome = CaseResult.Outcome.ERROR;
            detail = e.getMessage();
        } catch (RuntimeException | StackOverflowError e) {
            outcome = CaseResult.Outcome.ERROR;
            detail = e.toString();
        }
        Optional<String> known = knownFailures.reason(name);
        boolean failed = outcome == CaseResult.Outcome.FAIL || outcome == CaseResult.Outcome.ERROR;
        if (failed && known.isPresent()) {
            detail = "known failure (" + known.get() + "): " + detail;
        }
        return new CaseResult(name, outcome, detail, failed && known.isPresent(), (System.nanoTime() - start) / 1_000_000);
    }

    /** Runs the case's model and returns what did not match, or empty when everything did. */
    private Optional<String> execute(CorpusCase c) {
        try (Model model = runtime.load(ModelSource.of(c.model().get()))) {
            List<TensorInfo> wanted = model.signature().inputs();
            if (wanted.size() != c.inputs().size()) {
                return Optional.of("the model takes " + wanted.size() + " inputs, the case has " + c.inputs().size());
            }
            Map<String, HostTensor> inputs = new LinkedHashMap<>();
            for (int i = 0; i < wanted.size(); i++) {
                inputs.put(wanted.get(i).name(), asType(Npy.read(c.inputs().get(i)), wanted.get(i)));
            }
            Map<String, HostTensor> actual = model.run(inputs);
            List<String> problems = new ArrayList<>();
            if (actual.size() != c.outputs().size()) {
                problems.add("the model has " + actual.size() + " outputs, the case expects " + c.outputs().size());
            }
            for (ExpectedOutput e : c.outputs()) {
                HostTensor got = actual.get(e.name());
                if (got == null) {
                    problems.add(e.name() + " is missing");
                    continue;
                }
                HostTensor expected = Npy.read(e.file());
                if (expected.dtype() != e.dtype() && expected.dtype().byteSize() == e.dtype().byteSize()) {
                    expected = expected.reinterpret(e.dtype()); // bf16 stored as uint16 bit patterns
                }
                OutputComparison.mismatch(got, expected, e.check()).ifPresent(m -> problems.add(e.name() + ": " + m));
            }
            return problems.isEmpty() ? Optional.empty() : Optional.of(String.join(" | ", problems));
        }
    }

    /** The corpus stores bf16 as uint16 bit patterns: see the file's bytes as the input's own type. */
    private static HostTensor asType(HostTensor t, TensorInfo info) {
        if (t.dtype() != info.dtype() && t.dtype().byteSize() == info.dtype().byteSize()) {
            return t.reinterpret(info.dtype());
        }
        return t;
    }
}
