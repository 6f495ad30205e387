package dev.nrt4j.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The results of a conformance run on one backend, and its JSON form:
 * {@code {"backend": …, "cases": [{"case", "status", "detail", "worst_error", …}], "totals": {…}}}, where
 * {@code worst_error} is how far a compared case's outputs were at worst, e.g. {@code {"max_ulp": 3}} (see
 * {@link WorstError}), or null when no output was compared. Immutable.
 */
public final class ConformanceReport {
    private final String backend;
    private final List<CaseResult> cases;

    public ConformanceReport(String backend, List<CaseResult> cases) {
        this.backend = backend;
        this.cases = List.copyOf(cases);
    }

    public String backend() {
        return backend;
    }

    public List<CaseResult> cases() {
        return cases;
    }

    /** Cases that passed. */
    public long passed() {
        return count(CaseResult.Outcome.PASS);
    }

    /** Cases that failed or errored and are not known failures: those that fail the run. */
    public long failed() {
        return cases.stream().filter(CaseResult::failsTheRun).count();
    }

    /** Cases the backend cannot run yet. */
    public long unsupported() {
        return count(CaseResult.Outcome.UNSUPPORTED);
    }

    /** Failures the known-failures list names. */
    public long knownFailures() {
        return cases.stream().filter(CaseResult::knownFailure).count();
    }

    /** Whether the run fails: some case failed or errored without being a known failure. */
    public boolean failsTheRun() {
        return cases.stream().anyMatch(CaseResult::failsTheRun);
    }

    private long count(CaseResult.Outcome o) {
        return cases.stream().filter(c -> c.outcome() == o).count();
    }

    /** The summary line scripts read: {@code conformance: N passed, N failed, N known}. */
    public String summaryLine() {
        return "conformance: " + passed() + " passed, " + failed() + " failed, " + knownFailures() + " known";
    }

    /** The report as a JSON-ready tree. */
    public Map<String, Object> toJson() {
        List<Object> list = new ArrayList<>();
        for (CaseResult c : cases) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("case", c.caseName());
            m.put("status", c.outcome().label());
            m.put("detail", c.detail());
            m.put(
                    "worst_error",
                    c.worstError().isEmpty() ? null : c.worstError().toJson());
            m.put("known_failure", c.knownFailure());
            m.put("millis", c.millis());
            list.add(m);
        }
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("cases", cases.size());
        totals.put("passed", passed());
        totals.put("failed", count(CaseResult.Outcome.FAIL));
        totals.put("errors", count(CaseResult.Outcome.ERROR));
        totals.put("unsupported", unsupported());
        totals.put("known_failures", knownFailures());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("backend", backend);
        root.put("cases", list);
        root.put("totals", totals);
        return root;
    }

    /** Writes the JSON report. */
    public void write(Path file) throws IOException {
        writeJson(file, toJson());
    }

    /**
     * Writes a report's JSON, indented for people to read, creating the directories it goes in: how every JSON
     * report of the kit (one backend's, a whole run's) is written.
     */
    static void writeJson(Path file, Map<String, Object> json) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(
                file,
                JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(json));
    }
}
