package dev.nrt4j.tools;

import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.conformance.CaseResult;
import dev.nrt4j.conformance.ConformanceReport;
import dev.nrt4j.conformance.CorpusRunner;
import dev.nrt4j.conformance.KnownFailures;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nrt4j conformance}: runs a corpus of HLO programs with expected outputs on a backend, judges
 * every output by its case's rule, prints failures and the summary line, and writes a JSON report.
 */
@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = "Run a corpus of programs with expected outputs on a backend and report what matches.")
final class ConformanceCommand implements Callable<Integer> {
    /** Longest detail printed per failing case; the JSON report has all of it. */
    private static final int PRINTED_DETAIL = 400;

    @Mixin
    RuntimeSelection selection;

    @Option(names = "--corpus", required = true, paramLabel = "DIR",
            description = "Directory of cases (laid out as shared/corpus/README.md describes), searched recursively.")
    Path corpus;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the JSON report here.")
    Path report;

    @Option(names = "--filter", paramLabel = "GLOB", description = "Only cases whose directory name matches, e.g. 'gather_*'.")
    String filter;

    @Option(names = "--known-failures", paramLabel = "FILE",
            description = "Cases known to fail, one per line with the reason (default: the list shipped for the backend).")
    Path knownFailures;

    @Option(names = "--verbose", description = "Print every case, not only failures.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<Path> cases = CorpusRunner.findCases(corpus, filter);
        ConformanceReport result;
        try (NeuronRuntime rt = NeuronRuntime.open(selection.toOptions())) {
            KnownFailures known = knownFailures != null ? KnownFailures.read(knownFailures) : KnownFailures.bundled(rt.backend().name());
            out.println("running " + cases.size() + " cases from " + corpus + " on " + rt.backend().name()
                    + " (" + rt.backend().instanceType() + ")");
            out.flush();
            result = new CorpusRunner(rt, known).runAll(cases, r -> print(r, out));
        }
        if (report != null) {
            result.write(report);
            out.println("report: " + report);
        }
        if (result.knownFailures() > 0 || result.unsupported() > 0) {
            out.println("(" + result.knownFailures() + " of the failures are known failures; " + result.unsupported() + " cases unsupported)");
        }
        out.println(result.summaryLine());
        out.flush();
        return result.failsTheRun() ? Nrt4jCommand.EXIT_FAILURE : 0;
    }

    private void print(CaseResult r, PrintWriter out) {
        boolean interesting = r.outcome() != CaseResult.Outcome.PASS;
        if (verbose || interesting) {
            String detail = r.detail().length() > PRINTED_DETAIL ? r.detail().substring(0, PRINTED_DETAIL) + "…" : r.detail();
            out.println(r.outcome().label().toUpperCase(java.util.Locale.ROOT) + " " + r.caseName() + " (" + r.millis() + " ms)"
                    + (detail.isEmpty() ? "" : ": " + detail));
            out.flush();
        }
    }
}
