package dev.nrt4j.conformance;

import dev.nrt4j.conformance.contract.RuleOutcome;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a {@link ConformanceRun} as JUnit XML, the format CI systems read: one {@code <testsuite>} per
 * backend for its rules and one per backend for its corpus, a {@code <testcase>} per rule or case with
 * {@code <failure>}, {@code <error>} or {@code <skipped>} as the outcome says.
 */
public final class JUnitXmlReport {
    private JUnitXmlReport() {}

    /** Writes {@code run} to {@code file}. */
    public static void write(ConformanceRun run, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeStartElement("testsuites");
            xml.writeAttribute("name", "nrt4j conformance");
            for (String backend : run.backends()) {
                List<RuleOutcome> rules = run.rules().stream()
                        .filter(r -> r.backend().equals(backend))
                        .toList();
                if (!rules.isEmpty()) {
                    suite(
                            xml,
                            "contract." + backend,
                            rules.size(),
                            rules.stream()
                                    .filter(r -> r.status() == RuleOutcome.Status.FAIL && !r.knownDifference())
                                    .count(),
                            rules.stream()
                                    .filter(r -> r.status() == RuleOutcome.Status.ERROR && !r.knownDifference())
                                    .count(),
                            rules.stream()
                                    .filter(r -> r.status() == RuleOutcome.Status.SKIPPED || r.knownDifference())
                                    .count());
                    for (RuleOutcome r : rules) {
                        testcase(
                                xml,
                                "contract." + backend,
                                r.rule(),
                                r.millis(),
                                r.knownDifference() ? "skipped" : r.status().label(),
                                r.detail());
                    }
                    xml.writeEndElement();
                }
            }
            for (ConformanceReport report : run.corpora()) {
                List<CaseResult> cases = report.cases();
                suite(
                        xml,
                        "corpus." + report.backend(),
                        cases.size(),
                        cases.stream()
                                .filter(c -> c.outcome() == CaseResult.Outcome.FAIL)
                                .count(),
                        cases.stream()
                                .filter(c -> c.outcome() == CaseResult.Outcome.ERROR)
                                .count(),
                        cases.stream()
                                .filter(c -> c.outcome() == CaseResult.Outcome.UNSUPPORTED)
                                .count());
                for (CaseResult c : cases) {
                    String status = c.outcome() == CaseResult.Outcome.UNSUPPORTED
                            ? "skipped"
                            : c.knownFailure() ? "skipped" : c.outcome().label();
                    String detail = c.knownFailure() ? "known failure: " + c.detail() : c.detail();
                    testcase(xml, "corpus." + report.backend(), c.caseName(), c.millis(), status, detail);
                }
                xml.writeEndElement();
            }
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write " + file, e);
        }
    }

    private static void suite(XMLStreamWriter xml, String name, long tests, long failures, long errors, long skipped)
            throws XMLStreamException {
        xml.writeStartElement("testsuite");
        xml.writeAttribute("name", name);
        xml.writeAttribute("tests", Long.toString(tests));
        xml.writeAttribute("failures", Long.toString(failures));
        xml.writeAttribute("errors", Long.toString(errors));
        xml.writeAttribute("skipped", Long.toString(skipped));
    }

    private static void testcase(
            XMLStreamWriter xml, String suite, String name, long millis, String status, String detail)
            throws XMLStreamException {
        xml.writeStartElement("testcase");
        xml.writeAttribute("classname", suite);
        xml.writeAttribute("name", name);
        xml.writeAttribute("time", String.format(Locale.ROOT, "%.3f", millis / 1000.0));
        switch (status) {
            case "fail":
                xml.writeStartElement("failure");
                xml.writeAttribute("message", firstLine(detail));
                xml.writeCharacters(detail);
                xml.writeEndElement();
                break;
            case "error":
                xml.writeStartElement("error");
                xml.writeAttribute("message", firstLine(detail));
                xml.writeCharacters(detail);
                xml.writeEndElement();
                break;
            case "skipped":
                xml.writeStartElement("skipped");
                xml.writeAttribute("message", firstLine(detail));
                xml.writeEndElement();
                break;
            default:
                break;
        }
        xml.writeEndElement();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
