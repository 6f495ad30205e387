package dev.nrt4j.tools;

import dev.nrt4j.BackendDescription;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import dev.nrt4j.conformance.CaseResult;
import dev.nrt4j.conformance.ConformanceReport;
import dev.nrt4j.conformance.ConformanceRun;
import dev.nrt4j.conformance.CorpusRunner;
import dev.nrt4j.conformance.DifferentialRunner;
import dev.nrt4j.conformance.JUnitXmlReport;
import dev.nrt4j.conformance.KnownFailures;
import dev.nrt4j.conformance.contract.ContractRules;
import dev.nrt4j.conformance.contract.ContractRunner;
import dev.nrt4j.conformance.contract.ProgramSource;
import dev.nrt4j.conformance.contract.Rule;
import dev.nrt4j.conformance.contract.RuleOutcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nrt4j conformance}: holds one backend, or every available one with {@code --backend all}, to
 * the runtime contract (the named rules of {@link ContractRules}) and, with {@code --corpus}, to a corpus
 * of programs with expected outputs; prints what did not pass, a table per backend and the summary line,
 * writes JSON and JUnit XML reports, and exits 1 if anything failed that is not a known failure.
 */
@Command(
        name = "conformance",
        mixinStandardHelpOptions = true,
        description =
                "Check backends against the runtime contract and, with --corpus, a corpus of programs with expected outputs.")
final class ConformanceCommand implements Callable<Integer> {
    /** Longest detail printed per failure; the reports have all of it. */
    private static final int PRINTED_DETAIL = 400;
    /** The reference device runs the rules on an instance with cores enough for every rule. */
    private static final String REFERENCE_RULES_INSTANCE = "trn1.32xlarge";

    @Mixin
    RuntimeSelection selection;

    @Option(
            names = "--corpus",
            paramLabel = "DIR",
            description =
                    "Also run the cases under DIR (laid out as shared/corpus/README.md describes), searched recursively.")
    Path corpus;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the JSON report here.")
    Path report;

    @Option(names = "--junit", paramLabel = "FILE", description = "Write a JUnit XML report here, for CI systems.")
    Path junit;

    @Option(
            names = "--filter",
            paramLabel = "GLOB",
            description = "Only corpus cases whose directory name matches, e.g. 'gather_*'.")
    String filter;

    @Option(
            names = "--rules",
            paramLabel = "GLOB",
            description = "Only contract rules whose id (area/name) matches, e.g. 'tensors/*'.")
    String rulesGlob;

    @Option(names = "--no-rules", description = "Skip the contract rules (run the corpus only).")
    boolean noRules;

    @Option(
            names = "--known-failures",
            paramLabel = "FILE",
            description =
                    "Corpus cases known to fail, one per line: the name, optionally the worst error allowed (max_ulp=N, max_abs=X), "
                            + "the reason (default: the list shipped for the backend).")
    Path knownFailures;

    @Option(
            names = "--differential",
            paramLabel = "BACKEND",
            description =
                    "With --corpus: also run every case on BACKEND and compare its outputs with the checked backend's, by each case's matching rule.")
    String differential;

    @Option(names = "--verbose", description = "Print every rule and case, not only those that did not pass.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        RuntimeOptions options = selection.toOptions();
        List<String> backends = backends(options);
        List<Rule> rules = noRules ? List.of() : selectedRules();
        if (differential != null && corpus == null) {
            throw new NeuronException(
                    Status.INVALID,
                    "compare backends",
                    "--differential needs --corpus DIR: the programs to compare on");
        }
        List<Path> cases = corpus == null ? List.of() : CorpusRunner.findCases(corpus, filter);
        List<Path> privateStates = new ArrayList<>();
        List<RuleOutcome> outcomes = new ArrayList<>();
        List<ConformanceReport> corpora = new ArrayList<>();
        for (String backend : backends) {
            RuntimeOptions mine = options.toBuilder().backend(backend).build();
            if (!rules.isEmpty()) {
                out.println("checking " + rules.size() + " contract rules on " + backend);
                out.flush();
                outcomes.addAll(new ContractRunner(
                                privateMachine(mine, privateStates, false),
                                ProgramSource.HLO_PROTO,
                                KnownFailures.bundledRuleDifferences(backend))
                        .run(rules, o -> print(o, out)));
            }
            if (corpus != null) {
                try (NeuronRuntime rt = NeuronRuntime.open(mine)) {
                    KnownFailures known = knownFailures != null
                            ? KnownFailures.read(knownFailures)
                            : KnownFailures.bundled(rt.backend().name());
                    out.println("running " + cases.size() + " cases from " + corpus + " on "
                            + rt.backend().name() + " (" + rt.backend().instanceType() + ")");
                    out.flush();
                    corpora.add(new CorpusRunner(rt, known).runAll(cases, r -> print(r, backend, out)));
                    if (differential != null) {
                        RuntimeOptions other = privateMachine(
                                options.toBuilder().backend(differential).build(), privateStates, true);
                        try (NeuronRuntime second = NeuronRuntime.open(other)) {
                            DifferentialRunner diff = new DifferentialRunner(rt, second);
                            out.println("comparing " + cases.size() + " cases: " + diff.name());
                            out.flush();
                            corpora.add(diff.runAll(cases, r -> print(r, diff.name(), out)));
                        }
                    }
                }
            }
        }
        privateStates.forEach(ConformanceCommand::deleteQuietly);
        ConformanceRun run = new ConformanceRun(backends, outcomes, corpora);
        printTable(run, out);
        if (report != null) {
            run.write(report);
            out.println("report: " + report);
        }
        if (junit != null) {
            JUnitXmlReport.write(run, junit);
            out.println("JUnit XML: " + junit);
        }
        out.println(run.summaryLine());
        out.flush();
        return run.failsTheRun() ? Nrt4jCommand.EXIT_FAILURE : 0;
    }

    /**
     * For the reference device, a private simulated machine (unless the options name a state directory
     * and {@code fresh} is false) with cores enough for every rule (unless they name an instance type):
     * the rules claim every core, and must not collide with the user's runtimes or with the runtime
     * already open on the other side of a comparison.
     */
    private static RuntimeOptions privateMachine(RuntimeOptions options, List<Path> created, boolean fresh)
            throws IOException {
        if (!"reference".equals(options.backend().orElse(""))) {
            return options;
        }
        RuntimeOptions.Builder b =
                options.toBuilder().instanceType(options.instanceType().orElse(REFERENCE_RULES_INSTANCE));
        if (fresh || options.stateDir().isEmpty()) {
            Path state = Files.createTempDirectory("nrt4j-conformance-");
            created.add(state);
            b.stateDir(state);
        }
        return b.build();
    }

    /** {@code --backend all}: every available backend; a named one: that one; none: the one open would choose. */
    private static List<String> backends(RuntimeOptions options) {
        boolean all = options.backend().map(b -> b.equalsIgnoreCase("all")).orElse(false);
        RuntimeOptions probe = all ? options.toBuilder().backend(null).build() : options;
        List<BackendDescription> described = NeuronRuntime.describeBackends(probe);
        List<String> names = new ArrayList<>();
        for (BackendDescription d : described) {
            if (all ? d.isAvailable() : d.isSelected()) {
                names.add(d.name());
            }
        }
        if (names.isEmpty()) {
            throw new NeuronException(
                    Status.FAILURE,
                    "choose backends for conformance",
                    "no backend is available"
                            + (options.backend().isPresent() && !all
                                    ? " named '" + options.backend().get() + "'"
                                    : "") + "; `nrt4j backends` says why");
        }
        return names;
    }

    private List<Rule> selectedRules() {
        if (rulesGlob == null) {
            return ContractRules.all();
        }
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + rulesGlob);
        return ContractRules.all().stream()
                .filter(r -> m.matches(Path.of(r.area(), r.name())))
                .toList();
    }

    private void print(RuleOutcome o, PrintWriter out) {
        if (verbose || o.status() != RuleOutcome.Status.PASS) {
            out.println(o.status().label().toUpperCase(Locale.ROOT) + " " + o.rule() + " [" + o.backend() + "] ("
                    + o.millis() + " ms)" + (o.detail().isEmpty() ? "" : ": " + cut(o.detail())));
            out.flush();
        }
    }

    private void print(CaseResult r, String backend, PrintWriter out) {
        if (verbose || r.outcome() != CaseResult.Outcome.PASS) {
            out.println(r.outcome().label().toUpperCase(Locale.ROOT) + " " + r.caseName() + " [" + backend + "] ("
                    + r.millis() + " ms)" + (r.detail().isEmpty() ? "" : ": " + cut(r.detail())));
            out.flush();
        }
    }

    private static void printTable(ConformanceRun run, PrintWriter out) {
        TextTable t = new TextTable(
                "BACKEND",
                "RULES PASSED",
                "FAILED",
                "ERRORS",
                "SKIPPED",
                "CASES PASSED",
                "FAILED",
                "KNOWN",
                "UNSUPPORTED");
        for (String b : run.backends()) {
            ConformanceReport c = run.corpora().stream()
                    .filter(r -> r.backend().equals(b))
                    .findFirst()
                    .orElse(null);
            t.row(
                    b,
                    run.rules(b, RuleOutcome.Status.PASS),
                    run.rules(b, RuleOutcome.Status.FAIL),
                    run.rules(b, RuleOutcome.Status.ERROR),
                    run.rules(b, RuleOutcome.Status.SKIPPED),
                    c == null ? "-" : c.passed(),
                    c == null ? "-" : c.failed(),
                    c == null ? "-" : c.knownFailures(),
                    c == null ? "-" : c.unsupported());
        }
        out.println();
        t.print(out);
        out.println();
    }

    private static String cut(String detail) {
        return detail.length() > PRINTED_DETAIL ? detail.substring(0, PRINTED_DETAIL) + "…" : detail;
    }

    private static void deleteQuietly(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary state directory harms nobody.
        }
    }
}
