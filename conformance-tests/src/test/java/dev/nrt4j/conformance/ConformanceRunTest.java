package dev.nrt4j.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.conformance.contract.RuleOutcome;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The combined report of rules and corpus cases over several backends: counts, verdict, JSON and JUnit XML. */
class ConformanceRunTest {
    @TempDir
    Path dir;

    private static ConformanceRun sample() {
        List<RuleOutcome> rules = List.of(
                new RuleOutcome("tensors/a", "reference", RuleOutcome.Status.PASS, "", false, 3),
                new RuleOutcome("tensors/a", "native", RuleOutcome.Status.FAIL, "expected <1> but was <2>", false, 4),
                new RuleOutcome("cores/b", "native", RuleOutcome.Status.SKIPPED, "needs 4 cores", false, 0),
                new RuleOutcome(
                        "cores/c", "native", RuleOutcome.Status.ERROR, "IllegalStateException: x & <y>", false, 1));
        ConformanceReport corpus = new ConformanceReport(
                "reference",
                List.of(
                        new CaseResult("ok", CaseResult.Outcome.PASS, "", false, 5),
                        new CaseResult(
                                "known",
                                CaseResult.Outcome.FAIL,
                                "off by two ulp",
                                true,
                                6,
                                WorstError.of(WorstError.Measure.MAX_ULP, 2))));
        return new ConformanceRun(List.of("reference", "native"), rules, List.of(corpus));
    }

    @Test
    void countsAndVerdict() {
        ConformanceRun run = sample();
        assertThat(run.passed()).isEqualTo(2);
        assertThat(run.failed()).isEqualTo(2);
        assertThat(run.known()).isEqualTo(1);
        assertThat(run.summaryLine()).isEqualTo("conformance: 2 passed, 2 failed, 1 known");
        assertThat(run.failsTheRun()).isTrue();
        assertThat(run.rules("native", RuleOutcome.Status.SKIPPED)).isEqualTo(1);
        ConformanceRun clean =
                new ConformanceRun(List.of("reference"), List.of(run.rules().get(0)), run.corpora());
        assertThat(clean.failsTheRun())
                .as("a known corpus failure does not fail the run")
                .isFalse();
        assertThat(clean.summaryLine()).isEqualTo("conformance: 2 passed, 0 failed, 1 known");
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonHasCasesAndRulesWithTheirBackend() {
        Map<String, Object> json = sample().toJson();
        assertThat(json.keySet()).containsExactly("backends", "cases", "rules", "totals");
        List<Map<String, Object>> cases = (List<Map<String, Object>>) json.get("cases");
        assertThat(cases).hasSize(2);
        assertThat(cases.get(1))
                .containsEntry("backend", "reference")
                .containsEntry("case", "known")
                .containsEntry("known_failure", true)
                .containsEntry("worst_error", Map.of("max_ulp", 2L));
        assertThat(cases.get(0)).as("no output compared, no error measured").containsEntry("worst_error", null);
        List<Map<String, Object>> rules = (List<Map<String, Object>>) json.get("rules");
        assertThat(rules.get(1))
                .containsEntry("rule", "tensors/a")
                .containsEntry("backend", "native")
                .containsEntry("status", "fail")
                .containsEntry("detail", "expected <1> but was <2>");
    }

    @Test
    void junitXmlHasASuitePerBackendAndKind() throws Exception {
        Path file = dir.resolve("r.xml");
        JUnitXmlReport.write(sample(), file);
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        NodeList suites = doc.getElementsByTagName("testsuite");
        assertThat(suites.getLength()).isEqualTo(3);
        Element nativeRules = (Element) suites.item(1);
        assertThat(nativeRules.getAttribute("name")).isEqualTo("contract.native");
        assertThat(nativeRules.getAttribute("tests")).isEqualTo("3");
        assertThat(nativeRules.getAttribute("failures")).isEqualTo("1");
        assertThat(nativeRules.getAttribute("errors")).isEqualTo("1");
        assertThat(nativeRules.getAttribute("skipped")).isEqualTo("1");
        assertThat(doc.getElementsByTagName("failure").item(0).getTextContent()).isEqualTo("expected <1> but was <2>");
        assertThat(((Element) doc.getElementsByTagName("error").item(0)).getAttribute("message"))
                .isEqualTo("IllegalStateException: x & <y>");
        assertThat(doc.getElementsByTagName("skipped").getLength())
                .as("the skipped rule and the known corpus failure")
                .isEqualTo(2);
    }
}
