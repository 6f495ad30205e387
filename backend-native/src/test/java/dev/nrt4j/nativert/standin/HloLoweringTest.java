package dev.nrt4j.nativert.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.ModelSignature;
import dev.nrt4j.conformance.contract.ContractProgram;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.HloSignature;
import dev.nrt4j.hlo.text.HloTextParser;
import dev.nrt4j.neff.NeffFile;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the stand-in compiler makes of each contract program, and what it refuses, in program text. */
class HloLoweringTest {
    private static final String HEAD = "nrt4j-program 2\n";

    /** The expected program after its first (comment) line. */
    private static final Map<ContractProgram, String> EXPECTED = Map.of(
            ContractProgram.ADD,
                    HEAD
                            + "%0 = input input0 f32 64\n"
                            + "%1 = input input1 f32 64\n"
                            + "%2 = add %0 %1\n"
                            + "output output0 %2\n",
            ContractProgram.COPY, HEAD + "%0 = input input0 f32 16\n" + "%1 = copy %0\n" + "output output0 %1\n",
            ContractProgram.MATMUL,
                    HEAD
                            + "%0 = input input0 f32 8 16\n"
                            + "%1 = input input1 f32 16 4\n"
                            + "%2 = dot %0 %1\n"
                            + "output output0 %2\n",
            ContractProgram.MATMUL_BF16,
                    HEAD
                            + "%0 = input input0 bf16 4 8\n"
                            + "%1 = input input1 bf16 8 4\n"
                            + "%2 = dot %0 %1\n"
                            + "output output0 %2\n",
            ContractProgram.TWO_OUTPUTS,
                    HEAD
                            + "%0 = input input0 f32 8\n"
                            + "%1 = const f32 0x1.0p1\n"
                            + "%2 = const f32 0x1.0p0\n"
                            + "%3 = broadcast %1 8\n"
                            + "%4 = broadcast %2 8\n"
                            + "%5 = multiply %0 %3\n"
                            + "%6 = add %0 %4\n"
                            + "output output0 %5\n"
                            + "output output1 %6\n",
            ContractProgram.FOREVER,
                    HEAD + "%0 = input input0 s32\n" + "%1 = loop-forever %0\n" + "output output0 %1\n",
            ContractProgram.ALL_REDUCE_2,
                    HEAD
                            + "ranks 2\n"
                            + "%0 = input input0 f32 4\n"
                            + "%1 = all-reduce-sum %0\n"
                            + "output output0 %1\n");

    private static DoubleProgram lower(String hlo) throws HloLowering.Unsupported {
        return HloLowering.lower(HloTextParser.parse(hlo, "test.hlo"), "test.hlo");
    }

    private static String body(DoubleProgram p) {
        String text = p.text();
        assertThat(text).startsWith("# lowered from HLO module ");
        return text.substring(text.indexOf('\n') + 1);
    }

    @ParameterizedTest
    @EnumSource(ContractProgram.class)
    void everyContractProgramLowers(ContractProgram program) throws Exception {
        assertThat(EXPECTED).containsKey(program);
        assertThat(body(lower(program.hloText()))).isEqualTo(EXPECTED.get(program));
    }

    @ParameterizedTest
    @EnumSource(ContractProgram.class)
    void theNeffReadsBackWithTheModulesSignature(ContractProgram program) throws Exception {
        HloModule module = HloTextParser.parse(program.hloText(), program.fileName());
        DoubleProgram p = HloLowering.lower(module, program.fileName());
        NeffFile neff = NeffFile.read(p.neff(module.name(), NeuronxCcStandIn.VERSION, 1), "lowered.neff");
        ModelSignature expected = HloSignature.of(module.entry(), program.fileName());
        assertThat(neff.signature()).isEqualTo(expected);
        assertThat(neff.hashMatches()).isTrue();
        assertThat(neff.header().pkgVersion()).isEqualTo(2);
        assertThat(neff.header().versionMajor()).isEqualTo(2);
        assertThat(neff.header().name()).isEqualTo(module.name());
        assertThat(neff.header().numTpb()).isEqualTo(1);
        assertThat(neff.header().requestedTpbCount()).isEqualTo(1);
        assertThat(neff.header().lncSize()).isEqualTo(1);
        assertThat(neff.header().buildVersion()).isEqualTo(NeuronxCcStandIn.VERSION);
        assertThat(new String(neff.entry("nrt4j.program").orElseThrow(), StandardCharsets.UTF_8))
                .isEqualTo(p.text());
        assertThat(neff.entry("sg00/def.json")).isPresent();
    }

    @Test
    void theSameModuleGivesTheSameBytesAndTheLncIsInTheHeader() throws Exception {
        HloModule module = HloTextParser.parse(ContractProgram.ADD.hloText(), "add");
        byte[] one = HloLowering.lower(module, "add").neff("add", NeuronxCcStandIn.VERSION, 2);
        byte[] two = HloLowering.lower(module, "add").neff("add", NeuronxCcStandIn.VERSION, 2);
        assertThat(one).isEqualTo(two);
        assertThat(NeffFile.read(one, "add.neff").header().lncSize()).isEqualTo(2);
        assertThat(NeffFile.read(one, "add.neff").header().uuid())
                .isNotEqualTo(
                        NeffFile.read(HloLowering.lower(module, "add").neff("add", NeuronxCcStandIn.VERSION, 1), "x")
                                .header()
                                .uuid());
    }

    @Test
    void constantsAreWrittenExactly() throws Exception {
        String program = body(lower(String.join(
                "\n",
                "HloModule k",
                "ENTRY e {",
                "  a = bf16[] constant(0.1)",
                "  b = f16[] constant(-2.5)",
                "  c = s64[] constant(-9000000000)",
                "  d = u8[] constant(255)",
                "  e = pred[] constant(true)",
                "  f = f32[] constant(inf)",
                "  g = s8[] constant(-3)",
                "  ROOT t = (bf16[], f16[], s64[], u8[], pred[], f32[], s8[]) tuple(a, b, c, d, e, f, g)",
                "}")));
        // bf16(0.1) is 0x3DCD, i.e. 0x1.9ap-4 exactly.
        assertThat(program)
                .contains(
                        "%0 = const bf16 0x1.9ap-4\n",
                        "%1 = const f16 -0x1.4p1\n",
                        "%2 = const s64 -9000000000\n",
                        "%3 = const u8 255\n",
                        "%4 = const pred 1\n",
                        "%5 = const f32 inf\n",
                        "%6 = const s8 -3\n",
                        "output output0 %0\n",
                        "output output6 %6\n");
        assertThat(HloLowering.floatText(Float.NaN)).isEqualTo("nan");
        assertThat(HloLowering.floatText(Float.NEGATIVE_INFINITY)).isEqualTo("-inf");
        assertThat(HloLowering.floatText(Float.MIN_VALUE)).isEqualTo("0x0.000002p-126");
    }

    @Test
    void nestedTuplesFlattenDepthFirstAndAnOutputMayBeAnInput() throws Exception {
        String program = body(lower(String.join(
                "\n",
                "HloModule n",
                "ENTRY e {",
                "  a = f32[2] parameter(0)",
                "  b = f32[2] parameter(1)",
                "  inner = (f32[2], f32[2]) tuple(b, a)",
                "  ROOT t = (f32[2], (f32[2], f32[2])) tuple(a, inner)",
                "}")));
        assertThat(program).endsWith("output output0 %0\noutput output1 %1\noutput output2 %0\n");
    }

    @Test
    void deadCodeIsNotLoweredButUnusedParametersAreInputs() throws Exception {
        String program = body(lower(String.join(
                "\n",
                "HloModule d",
                "ENTRY e {",
                "  a = f32[2] parameter(0)",
                "  unused = f32[2] parameter(1)",
                "  dead = f32[2] sine(a)",
                "  ROOT c = f32[2] copy(a)",
                "}")));
        assertThat(program)
                .isEqualTo(HEAD + "%0 = input input0 f32 2\n%1 = input input1 f32 2\n%2 = copy %0\n"
                        + "output output0 %2\n");
    }

    private static void refused(String hlo, String opcode, String name, String reasonPart) {
        assertThatThrownBy(() -> lower(hlo)).isInstanceOfSatisfying(HloLowering.Unsupported.class, e -> {
            assertThat(e.opcode()).isEqualTo(opcode);
            assertThat(e.instruction()).isEqualTo(name);
            assertThat(e.reason()).contains(reasonPart);
            assertThat(e.getMessage()).startsWith(opcode + " " + name + " (");
        });
    }

    private static String entry(String... lines) {
        return "HloModule r\nENTRY e {\n" + String.join("\n", lines) + "\n}";
    }

    @Test
    void anOperationWithoutLoweringIsNamed() {
        refused(entry("  a = f32[4] parameter(0)", "  ROOT s = f32[4] sine(a)"), "sine", "s", "no lowering");
    }

    @Test
    void aDotOtherThanAPlainMatmulIsRefused() {
        refused(
                entry(
                        "  a = f32[2,3,4] parameter(0)",
                        "  b = f32[2,4,5] parameter(1)",
                        "  ROOT d = f32[2,3,5] dot(a, b), lhs_batch_dims={0}, lhs_contracting_dims={2}, rhs_batch_dims={0},"
                                + " rhs_contracting_dims={1}"),
                "dot",
                "d",
                "rank-2");
        refused(
                entry(
                        "  a = f32[3,2] parameter(0)",
                        "  b = f32[3,4] parameter(1)",
                        "  ROOT d = f32[2,4] dot(a, b), lhs_contracting_dims={0}, rhs_contracting_dims={0}"),
                "dot",
                "d",
                "lhs_contracting_dims=[0]");
        refused(
                entry(
                        "  a = bf16[2,3] parameter(0)",
                        "  b = bf16[3,4] parameter(1)",
                        "  ROOT d = f32[2,4] dot(a, b), lhs_contracting_dims={1}, rhs_contracting_dims={0}"),
                "dot",
                "d",
                "bf16 x bf16 -> f32");
    }

    @Test
    void onlyScalarsAreBroadcastAndOnlyScalarConstantsLowered() {
        refused(
                entry("  a = f32[3] parameter(0)", "  ROOT b = f32[2,3] broadcast(a), dimensions={1}"),
                "broadcast",
                "b",
                "scalars only");
        refused(entry("  ROOT c = f32[2] constant({1, 2})"), "constant", "c", "scalar constants only");
    }

    @Test
    void aLoopThatCanEndIsRefused() {
        refused(
                String.join(
                        "\n",
                        "HloModule w",
                        "cond {",
                        "  p = (s32[]) parameter(0)",
                        "  ROOT f = pred[] constant(false)",
                        "}",
                        "body {",
                        "  ROOT p = (s32[]) parameter(0)",
                        "}",
                        "ENTRY e {",
                        "  x = s32[] parameter(0)",
                        "  s = (s32[]) tuple(x)",
                        "  w = (s32[]) while(s), condition=cond, body=body",
                        "  ROOT r = s32[] get-tuple-element(w), index=0",
                        "}"),
                "while",
                "w",
                "never end");
    }

    @Test
    void anAllReduceThatIsNotASumOverEveryReplicaIsRefused() {
        String max = String.join(
                "\n",
                "HloModule m, replica_count=2",
                "mx {",
                "  a = f32[] parameter(0)",
                "  b = f32[] parameter(1)",
                "  ROOT m = f32[] maximum(a, b)",
                "}",
                "ENTRY e {",
                "  x = f32[4] parameter(0)",
                "  ROOT r = f32[4] all-reduce(x), replica_groups={{0,1}}, to_apply=mx",
                "}");
        refused(max, "all-reduce", "r", "sums only");
        String split = String.join(
                "\n",
                "HloModule m, replica_count=2",
                "sum {",
                "  a = f32[] parameter(0)",
                "  b = f32[] parameter(1)",
                "  ROOT s = f32[] add(a, b)",
                "}",
                "ENTRY e {",
                "  x = f32[4] parameter(0)",
                "  ROOT r = f32[4] all-reduce(x), replica_groups={{0},{1}}, to_apply=sum",
                "}");
        refused(split, "all-reduce", "r", "one group");
    }

    @Test
    void emptyReplicaGroupsMeanEveryReplica() throws Exception {
        String program = body(lower(String.join(
                "\n",
                "HloModule m, replica_count=4",
                "sum {",
                "  a = s32[] parameter(0)",
                "  b = s32[] parameter(1)",
                "  ROOT s = s32[] add(a, b)",
                "}",
                "ENTRY e {",
                "  x = s32[3] parameter(0)",
                "  ROOT r = s32[3] all-reduce(x), replica_groups={}, to_apply=sum",
                "}")));
        assertThat(program)
                .isEqualTo(HEAD + "ranks 4\n%0 = input input0 s32 3\n%1 = all-reduce-sum %0\n" + "output output0 %1\n");
    }

    @Test
    void typesTheDoubleDoesNotHaveAreRefused() {
        refused(entry("  a = f64[2] parameter(0)", "  ROOT c = f64[2] copy(a)"), "parameter", "a", "element type f64");
        refused(
                entry("  a = (f32[2], f32[2]) parameter(0)", "  ROOT c = f32[2] get-tuple-element(a), index=0"),
                "parameter",
                "a",
                "tuple parameter");
    }

    @Test
    void moreThanOnePartitionIsRefused() {
        refused(
                "HloModule p, num_partitions=2\nENTRY e {\n  a = f32[2] parameter(0)\n  ROOT c = f32[2] copy(a)\n}",
                "module",
                "p",
                "num_partitions=2");
    }
}
