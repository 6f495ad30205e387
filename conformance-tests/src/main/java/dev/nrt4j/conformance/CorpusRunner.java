package dev.nrt4j.conformance;

import dev.nrt4j.HostTensor;
import dev.nrt4j.LoadOptions;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs corpus cases on one runtime through the public API — load, write inputs, execute, read
 * outputs — and judges each output by its case's rule, measuring its worst error. A failure the
 * known-failures list names is a known one only within the list's bound for it, when it has one. Any
 * number of cases run in one runtime; each case's model is unloaded before the next. Not thread-safe;
 * use one per thread.
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
        WorstError worst = WorstError.NONE;
        try {
            CorpusCase c = CorpusCase.hasExpectations(caseDirectory) ? CorpusCase.read(caseDirectory) : null;
            if (c == null) {
                outcome = CaseResult.Outcome.UNSUPPORTED;
                detail = "the case has no case.json, so no expected outputs to compare with";
            } else if (c.replicas() > runtime.cores().size()) {
                outcome = CaseResult.Outcome.UNSUPPORTED;
                detail = "the program runs on " + c.replicas() + " replicas but the runtime has "
                        + runtime.cores().size()
                        + " cores; run on an instance type with more (e.g. --instance-type trn1.32xlarge)";
            } else if (c.model().isEmpty()) {
                outcome = CaseResult.Outcome.ERROR;
                detail = "the case has no model file";
            } else {
                Judgement j = execute(c);
                worst = j.worst();
                outcome = j.problems().isEmpty() ? CaseResult.Outcome.PASS : CaseResult.Outcome.FAIL;
                detail = String.join(" | ", j.problems());
            }
        } catch (NeuronException e) {
            outcome = CaseResult.Outcome.ERROR;
            detail = e.getMessage();
        } catch (RuntimeException | StackOverflowError e) {
            outcome = CaseResult.Outcome.ERROR;
            detail = e.toString();
        }
        boolean failed = outcome == CaseResult.Outcome.FAIL || outcome == CaseResult.Outcome.ERROR;
        Optional<String> reason = knownFailures.reason(name);
        boolean known = false;
        if (failed && reason.isPresent()) {
            Optional<WorstError> bound = knownFailures.bound(name);
            known = bound.isEmpty() || worst.within(bound.get());
            detail = knownDetail(reason.get(), bound, worst, known) + ": " + detail;
        }
        return new CaseResult(name, outcome, detail, known, (System.nanoTime() - start) / 1_000_000, worst);
    }

    /**
     * How a failure the known-failures list names is described: within its bound it is the known
     * failure; beyond it (or without a measured error, as when it errors) it is a new one.
     */
    private static String knownDetail(String reason, Optional<WorstError> bound, WorstError worst, boolean known) {
        String measured = worst.isEmpty() ? "no error measured" : "worst error " + worst;
        if (bound.isEmpty()) {
            return "known failure (" + reason + ")";
        }
        return known
                ? "known failure (" + reason + "; " + measured + ", within its bound " + bound.get() + ")"
                : "worse than its known failure (" + reason + "): " + measured + ", beyond its bound " + bound.get();
    }

    /**
     * What did not match in a case's outputs and how far they were at worst.
     *
     * @param problems what did not match, empty when everything did
     * @param worst the worst error over every compared output
     */
    record Judgement(List<String> problems, WorstError worst) {}

    /** Runs the case's model and judges its outputs against the expected ones. */
    private Judgement execute(CorpusCase c) {
        Outputs run = outputs(c);
        if (run.problem().isPresent()) {
            return new Judgement(List.of(run.problem().get()), WorstError.NONE);
        }
        List<String> problems = new ArrayList<>();
        WorstError worst = WorstError.NONE;
        int n = c.replicas();
        for (int r = 0; r < n; r++) {
            String prefix = n > 1 ? "replica " + r + " " : "";
            Judgement j = compare(run.perReplica().get(r), c.outputs(r));
            j.problems().forEach(p -> problems.add(prefix + p));
            worst = worst.merge(j.worst());
        }
        return new Judgement(problems, worst);
    }

    /**
     * What a case's model gave, per replica, or why it could not run.
     *
     * @param perReplica each replica's outputs by name
     * @param problem why the model could not be fed the case's inputs
     */
    record Outputs(List<Map<String, HostTensor>> perReplica, Optional<String> problem) {}

    /**
     * Runs the case's model — once, or as one rank per replica on cores 0..N-1 executing together —
     * with the case's inputs.
     */
    Outputs outputs(CorpusCase c) {
        int n = c.replicas();
        List<Model> ranks = new ArrayList<>();
        ExecutorService threads = n > 1 ? Executors.newFixedThreadPool(n) : null;
        try {
            for (int r = 0; r < n; r++) {
                LoadOptions where = n > 1 ? LoadOptions.onCore(r).asRank(r, n) : LoadOptions.anyCore();
                ranks.add(runtime.load(ModelSource.of(c.model().get()), where));
            }
            List<Map<String, HostTensor>> inputs = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                List<TensorInfo> wanted = ranks.get(r).signature().inputs();
                if (wanted.size() != c.inputs(r).size()) {
                    return new Outputs(
                            List.of(),
                            Optional.of("the model takes " + wanted.size() + " inputs, the case has "
                                    + c.inputs(r).size()));
                }
                Map<String, HostTensor> in = new LinkedHashMap<>();
                for (int i = 0; i < wanted.size(); i++) {
                    in.put(wanted.get(i).name(), asType(Npy.read(c.inputs(r).get(i)), wanted.get(i)));
                }
                inputs.add(in);
            }
            List<Map<String, HostTensor>> results = new ArrayList<>();
            if (n == 1) {
                results.add(ranks.get(0).run(inputs.get(0)));
            } else {
                List<Future<Map<String, HostTensor>>> running = new ArrayList<>();
                for (int r = 0; r < n; r++) {
                    Model m = ranks.get(r);
                    Map<String, HostTensor> in = inputs.get(r);
                    running.add(threads.submit(() -> m.run(in)));
                }
                for (Future<Map<String, HostTensor>> f : running) {
                    results.add(await(f));
                }
            }
            return new Outputs(results, Optional.empty());
        } finally {
            if (threads != null) {
                threads.shutdownNow();
            }
            ranks.forEach(Model::close);
        }
    }

    private static Map<String, HostTensor> await(Future<Map<String, HostTensor>> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw new NeuronException(Status.FAILURE, "execute a rank", String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NeuronException(Status.FAILURE, "execute a rank", "interrupted", e);
        }
    }

    private static Judgement compare(Map<String, HostTensor> actual, List<ExpectedOutput> expectedOutputs) {
        List<String> problems = new ArrayList<>();
        WorstError worst = WorstError.NONE;
        if (actual.size() != expectedOutputs.size()) {
            problems.add("the model has " + actual.size() + " outputs, the case expects " + expectedOutputs.size());
            worst = worst.with(WorstError.Measure.MAX_ULP, Double.POSITIVE_INFINITY);
        }
        for (ExpectedOutput e : expectedOutputs) {
            HostTensor got = actual.get(e.name());
            if (got == null) {
                problems.add(e.name() + " is missing");
                worst = worst.with(WorstError.Measure.of(e.check().kind()), Double.POSITIVE_INFINITY);
                continue;
            }
            HostTensor expected = Npy.read(e.file());
            if (expected.dtype() != e.dtype()
                    && expected.dtype().byteSize() == e.dtype().byteSize()) {
                expected = expected.reinterpret(e.dtype()); // bf16 stored as uint16 bit patterns
            }
            OutputComparison.Result r = OutputComparison.compare(got, expected, e.check());
            r.mismatch().ifPresent(m -> problems.add(e.name() + ": " + m));
            worst = worst.merge(r.worst());
        }
        return new Judgement(problems, worst);
    }

    /** The corpus stores bf16 as uint16 bit patterns: see the file's bytes as the input's own type. */
    private static HostTensor asType(HostTensor t, TensorInfo info) {
        if (t.dtype() != info.dtype() && t.dtype().byteSize() == info.dtype().byteSize()) {
            return t.reinterpret(info.dtype());
        }
        return t;
    }
}
