package dev.nrt4j.conformance;

import dev.nrt4j.HostTensor;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Differential mode: one corpus, two backends, each case's outputs on the candidate compared with the
 * baseline's by the case's own matching rule, so the case's expected files are not needed to be right,
 * only the two backends to agree. Results are reported under the backend name
 * {@code <baseline>~<candidate>}. Not thread-safe.
 */
public final class DifferentialRunner {
    private final NeuronRuntime baseline;
    private final NeuronRuntime candidate;
    private final CorpusRunner onBaseline;
    private final CorpusRunner onCandidate;

    /** Compares {@code candidate} against {@code baseline}; the runtimes stay the caller's. */
    public DifferentialRunner(NeuronRuntime baseline, NeuronRuntime candidate) {
        this.baseline = baseline;
        this.candidate = candidate;
        this.onBaseline = new CorpusRunner(baseline, KnownFailures.none());
        this.onCandidate = new CorpusRunner(candidate, KnownFailures.none());
    }

    /** The name the results are reported under. */
    public String name() {
        return baseline.backend().name() + "~" + candidate.backend().name();
    }

    /** Runs every case on both, telling {@code progress} each result. */
    public ConformanceReport runAll(List<Path> cases, Consumer<CaseResult> progress) {
        List<CaseResult> results = new ArrayList<>();
        for (Path c : cases) {
            CaseResult r = run(c);
            results.add(r);
            progress.accept(r);
        }
        return new ConformanceReport(name(), results);
    }

    /** Runs one case on both and compares. */
    public CaseResult run(Path caseDirectory) {
        long start = System.nanoTime();
        String name = caseDirectory.getFileName().toString();
        CaseResult.Outcome outcome;
        String detail = "";
        try {
            if (!CorpusCase.hasExpectations(caseDirectory)) {
                return new CaseResult(
                        name,
                        CaseResult.Outcome.UNSUPPORTED,
                        "the case has no case.json, so no matching rules",
                        false,
                        0);
            }
            CorpusCase c = CorpusCase.read(caseDirectory);
            int cores = Math.min(baseline.cores().size(), candidate.cores().size());
            if (c.replicas() > cores || c.model().isEmpty()) {
                return new CaseResult(
                        name,
                        CaseResult.Outcome.UNSUPPORTED,
                        c.model().isEmpty()
                                ? "the case has no model file"
                                : "the program runs on " + c.replicas() + " replicas, more than both runtimes have",
                        false,
                        0);
            }
            CorpusRunner.Outputs a = onBaseline.outputs(c);
            CorpusRunner.Outputs b = onCandidate.outputs(c);
            List<String> problems = new ArrayList<>();
            a.problem().ifPresent(p -> problems.add(baseline.backend().name() + ": " + p));
            b.problem().ifPresent(p -> problems.add(candidate.backend().name() + ": " + p));
            if (problems.isEmpty()) {
                for (int r = 0; r < c.replicas(); r++) {
                    String prefix = c.replicas() > 1 ? "replica " + r + " " : "";
                    for (String p :
                            compare(b.perReplica().get(r), a.perReplica().get(r), c.outputs(r))) {
                        problems.add(prefix + p);
                    }
                }
            }
            outcome = problems.isEmpty() ? CaseResult.Outcome.PASS : CaseResult.Outcome.FAIL;
            detail = String.join(" | ", problems);
        } catch (NeuronException e) {
            outcome = CaseResult.Outcome.ERROR;
            detail = e.getMessage();
        } catch (RuntimeException | StackOverflowError e) {
            outcome = CaseResult.Outcome.ERROR;
            detail = e.toString();
        }
        return new CaseResult(name, outcome, detail, false, (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * What differs between the candidate's and the baseline's outputs, each judged by its expected
     * output's matching rule with the baseline's value standing in for the expected one.
     */
    static List<String> compare(
            Map<String, HostTensor> candidateOut, Map<String, HostTensor> baselineOut, List<ExpectedOutput> rules) {
        List<String> problems = new ArrayList<>();
        for (ExpectedOutput e : rules) {
            HostTensor want = baselineOut.get(e.name());
            HostTensor got = candidateOut.get(e.name());
            if (want == null || got == null) {
                problems.add(e.name() + " is missing from the " + (want == null ? "baseline" : "candidate"));
                continue;
            }
            OutputComparison.mismatch(got, want, e.check()).ifPresent(m -> problems.add(e.name() + ": " + m));
        }
        return problems;
    }
}
