package dev.nrt4j.tools;

import static dev.nrt4j.tools.Nrt4jCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.DType;
import dev.nrt4j.HostTensor;
import dev.nrt4j.Shape;
import dev.nrt4j.npy.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** run, inspect and conformance on small hand-written programs and a hand-made corpus. */
@Isolated("opens reference runtimes, which share simulated cores within the JVM")
class ModelCommandsTest {
    /** Needs no arithmetic, so it tests the plumbing alone: outputs are the inputs, reordered. */
    private static final String SWAP = String.join(
            "\n",
            "HloModule swap",
            "ENTRY e {",
            "  a = bf16[2] parameter(0)",
            "  b = s32[3] parameter(1)",
            "  ROOT t = (s32[3], bf16[2]) tuple(b, a)",
            "}");

    @TempDir
    Path dir;

    @Test
    void runReadsNpyInputsAndWritesNpyOutputs() throws Exception {
        Path model = Files.writeString(dir.resolve("swap.hlo.txt"), SWAP);
        Path a = dir.resolve("a.npy");
        Npy.write(HostTensor.of(new float[] {1.5f, 3f}), a); // float32 for a bf16 input: rounded
        Path b = dir.resolve("b.npy");
        Npy.write(HostTensor.of(new int[] {4, 5, 6}), b);
        Path outDir = dir.resolve("out");

        Nrt4jCommandTest.Run r = run(
                "run",
                "--backend=reference",
                model.toString(),
                "--input",
                "input0=" + a,
                "--input",
                "input1=" + b,
                "--output-dir",
                outDir.toString());

        assertThat(r.status).as(r.err).isZero();
        assertThat(r.out).contains("output0: s32[3] [4, 5, 6]").contains("output1: bf16[2] [1.5, 3.0]");
        assertThat(Npy.read(outDir.resolve("output0.npy")).toIntArray()).containsExactly(4, 5, 6);
        HostTensor bf16 = Npy.read(outDir.resolve("output1.npy"));
        assertThat(bf16.dtype()).as("bf16 is written as uint16 bit patterns").isEqualTo(DType.UINT16);
        assertThat(bf16.reinterpret(DType.BFLOAT16).toFloatArray()).containsExactly(1.5f, 3f);
    }

    @Test
    void runNamesMissingInputsAndRefusesWrongShapes() throws Exception {
        Path model = Files.writeString(dir.resolve("swap.hlo.txt"), SWAP);
        Nrt4jCommandTest.Run missing = run("run", "--backend=reference", model.toString());
        assertThat(missing.status).isEqualTo(Nrt4jCommand.EXIT_FAILURE);
        assertThat(missing.err)
                .contains("[EXEC_BAD_INPUT]")
                .contains("input0, input1")
                .contains("--random-inputs");

        Path wrong = dir.resolve("w.npy");
        Npy.write(HostTensor.of(new int[] {1, 2}), wrong);
        Nrt4jCommandTest.Run shape =
                run("run", "--backend=reference", model.toString(), "--random-inputs", "--input", "input1=" + wrong);
        assertThat(shape.status).isEqualTo(Nrt4jCommand.EXIT_FAILURE);
        assertThat(shape.err).contains("s32[2]").contains("s32[3]");

        Nrt4jCommandTest.Run random = run("run", "--backend=reference", model.toString(), "--random-inputs");
        assertThat(random.status).as(random.err).isZero();
    }

    @Test
    void inspectSummarisesHloWithoutRunningIt() throws Exception {
        Path model = Files.writeString(dir.resolve("swap.hlo.txt"), SWAP);
        Nrt4jCommandTest.Run r = run("inspect", "--json", model.toString());
        assertThat(r.status).as(r.err).isZero();
        JsonNode root = JsonMapper.builder().build().readTree(r.out);
        assertThat(root.get("kind").asString()).isEqualTo("HLO_TEXT");
        assertThat(root.get("hlo").get("instructions").asInt()).isEqualTo(3);
        assertThat(root.get("hlo").get("opcodes").get("parameter").asInt()).isEqualTo(2);
        JsonNode input = root.get("signature").get("inputs").get(0);
        assertThat(input.get("name").asString()).isEqualTo("input0");
        assertThat(input.get("dtype").asString()).isEqualTo("bf16");
        assertThat(input.get("shape").get(0).asLong()).isEqualTo(2);
        assertThat(input.get("bytes").asLong()).isEqualTo(4);
        assertThat(input.size()).as(input.toString()).isEqualTo(4);
        JsonNode output = root.get("signature").get("outputs").get(0);
        assertThat(output.get("name").asString()).isEqualTo("output0");
        assertThat(output.get("dtype").asString()).isEqualTo("s32");
        assertThat(output.get("shape").size()).isEqualTo(1);
        assertThat(output.get("bytes").asLong()).isEqualTo(12);
        Nrt4jCommandTest.Run text = run("inspect", model.toString());
        assertThat(text.out.lines()).contains("    input0: bf16[2] (4 bytes)");
        assertThat(root.get("backends").get("reference").get("runs").asBoolean())
                .isTrue();
        assertThat(root.get("backends").get("reference").get("obstacles")).isEmpty();
    }

    @Test
    void aModelWhoseNameTellsNoKindGetsAdviceACliUserCanFollow() throws Exception {
        Path model = Files.writeString(dir.resolve("model.bin"), "HloModule m\n");
        for (String command : new String[] {"inspect", "run"}) {
            Nrt4jCommandTest.Run r = run(command, "--backend=reference", model.toString());
            assertThat(r.status).as(r.err).isEqualTo(Nrt4jCommand.EXIT_FAILURE);
            assertThat(r.err.strip().lines())
                    .singleElement()
                    .asString()
                    .contains("[INVALID]", "rename the file", ".hlo.txt")
                    .doesNotContain("ModelSource");
        }
    }

    @Test
    void inspectNamesACustomCallTargetNoBackendHereImplementsAndExits1() throws Exception {
        Path model = Files.writeString(
                dir.resolve("kernel.hlo.txt"),
                String.join(
                        "\n",
                        "HloModule kernel",
                        "ENTRY e {",
                        "  a = f32[4] parameter(0)",
                        "  ROOT c = f32[4] custom-call(a), custom_call_target=\"MyFusedKernel\"",
                        "}"));
        Nrt4jCommandTest.Run r = run("inspect", "--backend=reference", model.toString());

        assertThat(r.status).isEqualTo(Nrt4jCommand.EXIT_FAILURE);
        assertThat(r.out)
                .contains("reference:")
                .contains("runs: false")
                .contains("custom-call target \"MyFusedKernel\" is not implemented by the reference device");
        assertThat(r.err.strip().lines()).singleElement().asString().contains("no backend here can run");

        Nrt4jCommandTest.Run unknown = run("inspect", "--backend=nosuch", model.toString());
        assertThat(unknown.status).isEqualTo(Nrt4jCommand.EXIT_FAILURE);
        assertThat(unknown.err).contains("nosuch").doesNotContain("no backend here can run");
    }

    @Test
    void conformanceJudgesAHandMadeCorpusAndWritesTheReport() throws Exception {
        Path corpus = Files.createDirectory(dir.resolve("corpus"));
        makeCase(corpus, "swap_ok", new int[] {4, 5, 6});
        makeCase(corpus, "swap_wrong", new int[] {4, 5, 7});
        Path report = dir.resolve("report.json");

        Nrt4jCommandTest.Run r = run(
                "conformance",
                "--backend=reference",
                "--no-rules",
                "--corpus",
                corpus.toString(),
                "--report",
                report.toString());

        assertThat(r.status).isEqualTo(Nrt4jCommand.EXIT_FAILURE);
        assertThat(r.out.lines()).contains("conformance: 1 passed, 1 failed, 0 known");
        assertThat(r.out).contains("FAIL swap_wrong").contains("[2] 6 vs expected 7");
        JsonNode root = JsonMapper.builder().build().readTree(Files.readString(report));
        assertThat(root.get("backends").get(0).asString()).isEqualTo("reference");
        assertThat(root.get("rules")).isEmpty();
        assertThat(root.get("cases")).hasSize(2);
        assertThat(root.get("cases").get(0).get("backend").asString()).isEqualTo("reference");
        assertThat(root.get("cases").get(0).get("case").asString()).isEqualTo("swap_ok");
        assertThat(root.get("cases").get(0).get("status").asString()).isEqualTo("pass");
        assertThat(root.get("cases").get(1).get("status").asString()).isEqualTo("fail");
        assertThat(root.get("totals").get("passed").asInt()).isEqualTo(1);

        Path known = Files.writeString(dir.resolve("known.txt"), "swap_wrong expected output edited on purpose\n");
        Nrt4jCommandTest.Run k = run(
                "conformance",
                "--backend=reference",
                "--no-rules",
                "--corpus",
                corpus.toString(),
                "--known-failures",
                known.toString());
        assertThat(k.status).as("known failures do not fail the run").isZero();
        assertThat(k.out).contains("known failure (expected output edited on purpose)");
    }

    @Test
    void differentialModeComparesTwoBackendsByEachCasesRule() throws Exception {
        Path corpus = Files.createDirectory(dir.resolve("corpus"));
        // The expected file is wrong on purpose: the comparison is between the backends, not with it.
        makeCase(corpus, "swap_wrong", new int[] {4, 5, 7});
        Path report = dir.resolve("diff.json");
        Nrt4jCommandTest.Run r = run(
                "conformance",
                "--backend=reference",
                "--no-rules",
                "--corpus",
                corpus.toString(),
                "--differential",
                "reference",
                "--report",
                report.toString());
        assertThat(r.out).contains("comparing 1 cases: reference~reference");
        JsonNode cases =
                JsonMapper.builder().build().readTree(Files.readString(report)).get("cases");
        assertThat(cases).hasSize(2);
        assertThat(cases.get(0).get("status").asString()).isEqualTo("fail");
        assertThat(cases.get(1).get("backend").asString()).isEqualTo("reference~reference");
        assertThat(cases.get(1).get("status").asString()).isEqualTo("pass");
        Nrt4jCommandTest.Run alone = run("conformance", "--backend=reference", "--differential", "reference");
        assertThat(alone.status).isEqualTo(Nrt4jCommand.EXIT_FAILURE);
        assertThat(alone.err).contains("--differential needs --corpus");
    }

    @Test
    void conformanceChecksTheContractRulesAndWritesJsonAndJUnitXml() throws Exception {
        Path report = dir.resolve("rules.json");
        Path junit = dir.resolve("rules.xml");
        Nrt4jCommandTest.Run r = run(
                "conformance",
                "--backend=reference",
                "--rules",
                "tensors/*",
                "--report",
                report.toString(),
                "--junit",
                junit.toString());
        assertThat(r.status).as(r.out + r.err).isZero();
        JsonNode root = JsonMapper.builder().build().readTree(Files.readString(report));
        JsonNode rules = root.get("rules");
        assertThat(rules.size()).isGreaterThanOrEqualTo(10);
        for (JsonNode rule : rules) {
            assertThat(rule.get("rule").asString()).startsWith("tensors/");
            assertThat(rule.get("backend").asString()).isEqualTo("reference");
            assertThat(rule.get("status").asString()).isEqualTo("pass");
        }
        assertThat(r.out.lines()).contains("conformance: " + rules.size() + " passed, 0 failed, 0 known");
        assertThat(r.out).containsPattern("reference +" + rules.size() + " +0 +0 +0 +- ");
        var xml = javax.xml.parsers.DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(junit.toFile());
        var suite = (org.w3c.dom.Element) xml.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("name")).isEqualTo("contract.reference");
        assertThat(suite.getAttribute("tests")).isEqualTo(Integer.toString(rules.size()));
        assertThat(suite.getAttribute("failures")).isEqualTo("0");
        assertThat(xml.getElementsByTagName("testcase").getLength()).isEqualTo(rules.size());
    }

    private void makeCase(Path corpus, String name, int[] expected) throws Exception {
        Path c = Files.createDirectory(corpus.resolve(name));
        Files.writeString(c.resolve("model.hlo.txt"), SWAP);
        Npy.write(
                HostTensor.of(DType.UINT16, Shape.of(2), new byte[] {(byte) 0xc0, 0x3f, 0x40, 0x40}),
                c.resolve("input0.npy"));
        Npy.write(HostTensor.of(new int[] {4, 5, 6}), c.resolve("input1.npy"));
        Npy.write(HostTensor.of(expected), c.resolve("output0.npy"));
        Npy.write(
                HostTensor.of(DType.UINT16, Shape.of(2), new byte[] {(byte) 0xc0, 0x3f, 0x40, 0x40}),
                c.resolve("output1.npy"));
        Files.writeString(
                c.resolve("case.json"),
                String.join(
                        "\n",
                        "{\"name\": \"" + name + "\",",
                        " \"inputs\": [{\"name\": \"input0\", \"shape\": [2], \"dtype\": \"bf16\", \"stored_as_bits\": true},",
                        "            {\"name\": \"input1\", \"shape\": [3], \"dtype\": \"s32\"}],",
                        " \"outputs\": [{\"name\": \"output0\", \"shape\": [3], \"dtype\": \"s32\"},",
                        "             {\"name\": \"output1\", \"shape\": [2], \"dtype\": \"bf16\", \"stored_as_bits\": true}],",
                        " \"tolerance\": {\"rtol\": 1e-5, \"atol\": 1e-6}}"));
    }
}
