package dev.nrt4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.device.InstanceCatalog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The command line as a user runs it: output, exit status, and one-line errors. */
@Isolated("opens reference runtimes, which share simulated cores within the JVM")
class Nrt4jCommandTest {

    /** What one run printed and returned. */
    static final class Run {
        final int status;
        final String out;
        final String err;

        Run(int status, String out, String err) {
            this.status = status;
            this.out = out;
            this.err = err;
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        // Pin the backend so that a machine with libnrt does not change what these tests see.
        if (!all.isEmpty() && (all.get(0).equals("info") || all.get(0).equals("backends"))) {
            all.add(1, "--backend=reference");
        }
        int status = Nrt4jCommand.run(all.toArray(new String[0]), new PrintWriter(out), new PrintWriter(err));
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void infoShowsTheDefaultReferenceInstance() {
        Run r = run("info");
        assertThat(r.status).as(r.err).isZero();
        assertThat(r.out).contains("backend:        reference").contains("trn1.2xlarge, LNC=1");
        assertThat(r.out.lines()).anySatisfy(l -> assertThat(l).matches("0\\s+Trainium\\s+2\\s+0-1\\s+32 GiB\\s+-"));
        assertThat(r.out.lines()).anySatisfy(l -> assertThat(l).matches("1\\s+1\\s+0\\s+1\\s+1\\s+16 GiB"));
    }

    @Test
    void infoJsonDescribesTheClaimedCores() {
        Run r = run("info", "--json", "--instance-type", "trn2.48xlarge", "--visible-cores", "4-7");
        assertThat(r.status).as(r.err).isZero();
        JsonNode root = JsonMapper.builder().build().readTree(r.out);
        assertThat(root.get("backend").get("lnc").asInt()).isEqualTo(2);
        assertThat(root.get("devices")).hasSize(16);
        assertThat(root.get("devices").get(5).get("connected_devices").toString())
                .isEqualTo("[1,4,9,6]");
        assertThat(root.get("devices").get(5).get("memory_bytes").asLong()).isEqualTo(103079215104L);
        assertThat(root.get("cores")).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(root.get("cores").get(i).get("index").asInt()).isEqualTo(i);
            assertThat(root.get("cores").get(i).get("core_id").asInt()).isEqualTo(4 + i);
            assertThat(root.get("cores").get(i).get("device").asInt()).isEqualTo(1);
        }
    }

    @Test
    void backendsMarksTheChosenOne() {
        Run r = run("backends");
        assertThat(r.status).isZero();
        assertThat(r.out.lines().findFirst())
                .hasValueSatisfying(h -> assertThat(h).startsWith("BACKEND"));
        assertThat(r.out.lines())
                .anySatisfy(l -> assertThat(l).matches("reference\\s+0\\s+yes\\s+\\*\\s+simulates .*"));
    }

    @Test
    void instanceTypesListsTheWholeCatalog() {
        Run r = run("instance-types");
        assertThat(r.status).isZero();
        for (String name : InstanceCatalog.names()) {
            assertThat(r.out).contains(name);
        }
        assertThat(r.out.lines())
                .anySatisfy(
                        l -> assertThat(l)
                                .matches(
                                        "trn2\\.48xlarge\\s+Trainium2\\s+16\\s+128 \\(LNC=1\\), 64 \\(LNC=2\\)\\s+1\\.5 TiB\\s+torus_4x4\\s+yes"));
    }

    @Test
    void aRuntimeFailureIsOneLineWithStatusAndExitOne() {
        Run r = run("info", "--instance-type", "trn1.2xlarge", "--visible-cores", "0,1,3");
        assertThat(r.status).isEqualTo(Nrt4jCommand.EXIT_FAILURE);
        assertThat(r.out).isEmpty();
        // A refusal's line says what to do; a hint about stack traces would only add noise.
        assertThat(r.err.lines())
                .singleElement()
                .satisfies(l -> assertThat(l).startsWith("nrt4j: ").contains("[INVALID]", "0,1,3"));
    }

    @Test
    void anUnexpectedFailureIsOneLineThatSaysHowToGetTheTrace() {
        StringWriter err = new StringWriter();
        Nrt4jCommand.report(new PrintWriter(err), "run", new IllegalStateException("the thing is closed"), false);
        assertThat(err.toString().lines())
                .singleElement()
                .isEqualTo("nrt4j: run failed: the thing is closed (run again with --debug for the stack trace)");
        StringWriter bare = new StringWriter();
        Nrt4jCommand.report(new PrintWriter(bare), "run", new NullPointerException(), false);
        assertThat(bare.toString().lines()).singleElement().asString().containsOnlyOnce("--debug");
    }

    @Test
    void debugAddsTheStackTrace() {
        Run r = run("info", "--debug", "--instance-type", "nope.large");
        assertThat(r.status).isEqualTo(Nrt4jCommand.EXIT_FAILURE);
        assertThat(r.err).contains("[INVALID]").contains("nope.large").contains("\tat ");
    }

    @Test
    void usageErrorsExitTwo() {
        Run r = run("info", "--no-such-option");
        assertThat(r.status).isEqualTo(2);
        assertThat(r.err).contains("--no-such-option");
    }

    @Test
    void coreRangesAreWrittenAsNeuronLsWritesThem() {
        assertThat(CoreRanges.format(List.of(0, 1, 2, 3))).isEqualTo("0-3");
        assertThat(CoreRanges.format(List.of(5))).isEqualTo("5");
        assertThat(CoreRanges.format(List.of(0, 1, 4, 6, 7))).isEqualTo("0-1,4,6-7");
        assertThat(CoreRanges.format(List.of())).isEqualTo("-");
    }

    @Test
    void byteCountsUseBinaryUnits() {
        assertThat(ByteCount.format(512)).isEqualTo("512 B");
        assertThat(ByteCount.format(1536)).isEqualTo("1.5 KiB");
        assertThat(ByteCount.format(34359738368L)).isEqualTo("32 GiB");
        assertThat(ByteCount.format(1536L << 30)).isEqualTo("1.5 TiB");
    }
}
