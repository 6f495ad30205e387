package dev.nrt4j.conformance;

import dev.nrt4j.conformance.contract.RuleOutcome;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code nrt4j conformance} run over one or more backends: the contract rules' outcomes and the
 * corpus reports, with the JSON form
 * {@code {"backends": [...], "cases": [{"backend", "case", "status", ...}], "rules": [{"rule", "backend",
 * "status", "detail", "millis"}], "totals": {...}}}. Immutable.
 */
public final class ConformanceRun {
    private final List<String> backends;
    private final List<RuleOutcome> rules;
    private final List<ConformanceReport> corpora;

    /** A run of {@code backends} with these rule outcomes and corpus reports (one per backend that ran a corpus). */
    public ConformanceRun(List<String> backends, List<RuleOutcome> rules, List<ConformanceReport> corpora) {
        this.backends = List.copyOf(backends);
        this.rules = List.copyOf(rules);
        this.corpora = List.copyOf(corpora);
    }

    /** The backends, in the order they ran. */
    public List<String> backends() {
        return backends;
    }

    /** Every rule outcome. */
    public List<RuleOutcome> rules() {
        return rules;
    }

    /** The corpus report of each backend that ran one. */
    public List<ConformanceReport> corpora() {
        return corpora;
    }

    /** Rules and corpus cases that passed. */
    public long passed() {
        return rules.stream().filter(r -> r.status() == RuleOutcome.Status.PASS).count()
                + corpora.stream().mapToLong(ConformanceReport::passed).sum();
    }

    /**
     * Rules and corpus cases that failed or errored and are not known: those that fail the run. Known
     * differences and known failures are counted by {@link #known()}, not here.
     */
    public long failed() {
        return rules.stream().filter(RuleOutcome::failsTheRun).count()
                + corpora.stream().mapToLong(ConformanceReport::failed).sum();
    }

    /** Rules that failed as a known difference and corpus cases that failed as a known failure. */
    public long known() {
        return rules.stream().filter(RuleOutcome::knownDifference).count()
                + corpora.stream().mapToLong(ConformanceReport::knownFailures).sum();
    }

    /** Whether the run fails: a rule or corpus case failed or errored that is not known ({@link #failed()}). */
    public boolean failsTheRun() {
        return failed() > 0;
    }

    /**
     * The summary line scripts read: {@code conformance: N passed, N failed, N known}; the run fails
     * exactly when {@code failed} is not 0.
     */
    public String summaryLine() {
        return "conformance: " + passed() + " passed, " + failed() + " failed, " + known() + " known";
    }

    /** Rules of {@code backend} with {@code status}. */
    public long rules(String backend, RuleOutcome.Status status) {
        return rules.stream()
                .filter(r -> r.backend().equals(backend) && r.status() == status)
                .count();
    }

    /** The report as a JSON-ready tree. */
    public Map<String, Object> toJson() {
        List<Object> cases = new ArrayList<>();
        Map<String, Object> corpusTotals = new LinkedHashMap<>();
        for (ConformanceReport report : corpora) {
            Map<String, Object> json = report.toJson();
            for (Object c : (List<?>) json.get("cases")) {
                Map<String, Object> withBackend = new LinkedHashMap<>();
                withBackend.put("backend", report.backend());
                withBackend.putAll(castMap(c));
                cases.add(withBackend);
            }
            corpusTotals.put(report.backend(), json.get("totals"));
        }
        List<Object> ruleList = new ArrayList<>();
        for (RuleOutcome r : rules) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rule", r.rule());
            m.put("backend", r.backend());
            m.put("status", r.status().label());
            m.put("detail", r.detail());
            m.put("known_difference", r.knownDifference());
            m.put("millis", r.millis());
            ruleList.add(m);
        }
        Map<String, Object> ruleTotals = new LinkedHashMap<>();
        for (String b : backends) {
            Map<String, Object> t = new LinkedHashMap<>();
            for (RuleOutcome.Status s : RuleOutcome.Status.values()) {
                t.put(s.label(), rules(b, s));
            }
            ruleTotals.put(b, t);
        }
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("passed", passed());
        totals.put("failed", failed());
        totals.put("known", known());
        totals.put("rules", ruleTotals);
        totals.put("cases", corpusTotals);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("backends", backends);
        root.put("cases", cases);
        root.put("rules", ruleList);
        root.put("totals", totals);
        return root;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    /** Writes the JSON report. */
    public void write(Path file) throws IOException {
        ConformanceReport.writeJson(file, toJson());
    }
}
