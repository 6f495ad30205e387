package dev.nrt4j.hlo.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.HloOpcode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Malformed text is refused with INVALID and a line:column, never with any other exception. */
class HloTextBadInputTest {

    static final String VALID = """
            HloModule m, replica_count=2, entry_computation_layout={(f32[2,3]{1,0}, s32[])->(f32[2,3]{1,0}, pred[])}

            add {
              a = f32[] parameter(0)
              b = f32[] parameter(1)
              ROOT s = f32[] add(a, b)
            }

            ENTRY %main (x: f32[2,3], i: s32[]) -> (f32[2,3], pred[]) {
              %x = f32[2,3]{1,0} parameter(0), metadata={op_name="x" source_file="f.py"}
              i = s32[] parameter(1)
              c = f32[2,3] constant({ {1, 2.5, -inf}, {nan, 5e-3, 6} })
              z = f32[] constant(0)
              r = f32[2] reduce(x, z), dimensions={1}, to_apply=add
              b = f32[2,3] broadcast(r), dimensions={0}
              m = f32[2,3] multiply(f32[2,3]{1,0} %x, c)
              s = f32[2,3] slice(m), slice={[0:2:1], [0:3]}
              k = pred[] compare(i, i), direction=EQ, type=SIGNED
              ar = f32[2,3] all-reduce(s), replica_groups={{0,1}}, to_apply=add
              ROOT t = (f32[2,3], pred[]) tuple(ar, k)
            }
            """;

    /** Parses and returns the INVALID exception, failing on success or on any other throwable. */
    static NeuronException invalid(String text) {
        Throwable t = catchThrowable(() -> HloTextParser.parse(text, "bad.hlo.txt"));
        assertThat(t)
                .as("parsing %s", text.length() > 200 ? text.substring(0, 200) + "..." : text)
                .isInstanceOf(NeuronException.class);
        NeuronException e = (NeuronException) t;
        assertThat(e.status()).isEqualTo(Status.INVALID);
        assertThat(e.operation()).isEqualTo("read HLO bad.hlo.txt");
        assertThat(e.getMessage()).containsPattern("\\]: \\d+:\\d+: ");
        return e;
    }

    private static String at(NeuronException e) {
        return e.getMessage().replaceFirst("(?s).*?\\]: (\\d+:\\d+): .*", "$1");
    }

    @Test
    void theValidModuleParses() {
        assertThat(HloTextParser.parse(VALID, "ok").entry().root().name()).isEqualTo("t");
    }

    @Test
    void everyTruncationIsRefusedUnlessItEndsBetweenComputations() {
        // A prefix that ends between the two computations is a complete module of 'add' alone.
        int addEnd = VALID.indexOf('}', VALID.indexOf("add {")) + 1;
        int entryStart = VALID.indexOf("ENTRY");
        int end = VALID.lastIndexOf('}');
        int refused = 0;
        for (int n = 0; n <= end; n++) {
            String prefix = VALID.substring(0, n);
            if (n >= addEnd && n <= entryStart) {
                assertThat(HloTextParser.parse(prefix, "ok").entry().name()).isEqualTo("add");
            } else {
                invalid(prefix);
                refused++;
            }
        }
        assertThat(refused).isGreaterThan(VALID.length() - 10);
        HloTextParser.parse(VALID.substring(0, end + 1), "ok");
    }

    @Test
    void randomTextAndBytesAreRefused() {
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            char[] cs = new char[random.nextInt(200)];
            for (int j = 0; j < cs.length; j++) {
                cs[j] = i % 2 == 0 ? (char) random.nextInt(0x10000) : (char) (0x20 + random.nextInt(0x5F));
            }
            invalid(new String(cs));
        }
    }

    @Test
    void mutatedValidModulesNeverThrowAnythingElse() {
        Random random = new Random(7);
        String alphabet = "{}()[],=:%_-.x0123456789 \n\"'<>/*fs";
        for (int i = 0; i < 3000; i++) {
            StringBuilder b = new StringBuilder(VALID);
            for (int k = 0; k < 1 + random.nextInt(4); k++) {
                int p = random.nextInt(b.length());
                switch (random.nextInt(3)) {
                    case 0 -> b.deleteCharAt(p);
                    case 1 -> b.insert(p, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> b.setCharAt(p, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            try {
                HloTextParser.parse(b.toString(), "bad.hlo.txt");
            } catch (NeuronException e) {
                assertThat(e.status()).isEqualTo(Status.INVALID);
                // Either the parser's line:column, or the type checker's computation and instruction.
                assertThat(e.getMessage()).containsPattern("\\d+:\\d+: |type-check HLO .*computation '");
            }
        }
    }

    @Test
    void undefinedOperandPointsAtTheUse() {
        NeuronException e =
                invalid("HloModule m\nENTRY e {\n  a = f32[] parameter(0)\n  ROOT b = f32[] add(a, nope)\n}\n");
        assertThat(e.getMessage()).contains("'nope'").contains("not defined");
        assertThat(at(e)).isEqualTo("4:25");
    }

    @Test
    void undefinedComputation() {
        NeuronException e = invalid(
                "HloModule m\nENTRY e {\n  a = f32[4] parameter(0)\n  ROOT b = f32[4] call(a), to_apply=missing\n}\n");
        assertThat(e.getMessage()).contains("'missing'");
        assertThat(at(e)).isEqualTo("4:37");
    }

    @Test
    void operandCycle() {
        NeuronException e = invalid(
                "HloModule m\nENTRY e {\n  p = f32[] parameter(0)\n  a = f32[] add(p, b)\n  b = f32[] negate(a)\n  ROOT r = f32[] copy(b)\n}\n");
        assertThat(e.getMessage()).contains("cycle").contains("'a'");
        assertThat(at(e)).isEqualTo("4:3");
        invalid("HloModule m\nENTRY e {\n  ROOT a = f32[] negate(a)\n}\n");
    }

    @Test
    void recursionAmongComputations() {
        NeuronException e = invalid("""
                HloModule m
                f {
                  x = f32[] parameter(0)
                  ROOT y = f32[] call(x), to_apply=g
                }
                g {
                  x = f32[] parameter(0)
                  ROOT y = f32[] call(x), to_apply=f
                }
                ENTRY e {
                  x = f32[] parameter(0)
                  ROOT y = f32[] call(x), to_apply=f
                }
                """);
        assertThat(e.getMessage()).contains("recursion");
        invalid("HloModule m\nENTRY e {\n  x = f32[] parameter(0)\n  ROOT y = f32[] call(x), to_apply=e\n}\n");
    }

    @Test
    void duplicatesAndMarkers() {
        assertThat(invalid("HloModule m\nENTRY e {\n  a = f32[] parameter(0)\n  a = f32[] negate(a)\n}\n")
                        .getMessage())
                .contains("defined twice");
        assertThat(invalid(
                                "HloModule m\ne {\n  ROOT a = f32[] parameter(0)\n}\ne {\n  ROOT a = f32[] parameter(0)\n}\n")
                        .getMessage())
                .contains("defined twice");
        assertThat(invalid("HloModule m\nENTRY e {\n  ROOT a = f32[] parameter(0)\n  ROOT b = f32[] negate(a)\n}\n")
                        .getMessage())
                .contains("second ROOT");
        assertThat(invalid(
                                "HloModule m\nENTRY e {\n  ROOT a = f32[] parameter(0)\n}\nENTRY f {\n  ROOT a = f32[] parameter(0)\n}\n")
                        .getMessage())
                .contains("second computation is marked ENTRY");
        assertThat(invalid("HloModule m\nENTRY e {\n  a = f32[] parameter(0)\n  ROOT b = f32[] parameter(0)\n}\n")
                        .getMessage())
                .contains("parameter(0)");
        assertThat(invalid("HloModule m\nENTRY e {\n  ROOT b = f32[] parameter(1)\n}\n")
                        .getMessage())
                .contains("0..0");
        assertThat(invalid("HloModule m\nENTRY e {\n  ROOT b = f32[] negate(a), dimensions={0}, dimensions={1}\n}\n")
                        .getMessage())
                .contains("given twice");
        assertThat(invalid("HloModule m\nENTRY e {\n}\n").getMessage()).contains("no instructions");
        assertThat(invalid("HloModule m\n").getMessage()).contains("no computations");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "f31[2]",
                "float[2]",
                "tuple[]",
                "F32 [2]x",
                "token[2]",
                "f32[-1]",
                "f32[2",
                "f32[?]",
                "f32[<=4]",
                "f32[2]{0,0}",
                "f32[2,3]{0}",
                "f32[2]{5}",
                "f32[2]{0:T(8"
            })
    void badShapes(String shape) {
        invalid("HloModule m\nENTRY e {\n  ROOT p = " + shape + " parameter(0)\n}\n");
    }

    @Test
    void unknownElementTypeIsNamed() {
        NeuronException e = invalid("HloModule m\nENTRY e {\n  ROOT p = f31[2] parameter(0)\n}\n");
        assertThat(e.getMessage()).contains("unknown element type 'f31'");
        assertThat(at(e)).isEqualTo("3:12");
    }

    @Test
    void elementCountOverflow() {
        NeuronException e =
                invalid("HloModule m\nENTRY e {\n  ROOT p = f32[99999999999,99999999999] parameter(0)\n}\n");
        assertThat(e.getMessage()).contains("elements");
        invalid("HloModule m\nENTRY e {\n  ROOT p = f32[99999999999999999999] parameter(0)\n}\n");
        // A huge constant is refused from the text that is there, without allocating for the shape.
        invalid("HloModule m\nENTRY e {\n  ROOT p = f32[1000000000] constant({1, 2})\n}\n");
        invalid("HloModule m\nENTRY e {\n  ROOT p = c128[100000000] constant({(1, 2)})\n}\n");
        invalid("HloModule m\nENTRY e {\n  ROOT p = f64[4000000000] constant({1})\n}\n");
    }

    @Test
    void deepNestingIsRefusedWithoutStackOverflow() {
        int n = 100_000;
        String tupleShape = "(".repeat(n) + "f32[]" + ")".repeat(n);
        assertThat(invalid("HloModule m\nENTRY e {\n  ROOT p = " + tupleShape + " parameter(0)\n}\n")
                        .getMessage())
                .contains("nest more than " + HloTextParser.MAX_DEPTH);
        String braces = "{".repeat(n) + "}".repeat(n);
        invalid("HloModule m\nENTRY e {\n  ROOT p = f32[2] constant(" + braces + ")\n}\n");
        // Skipped values may nest arbitrarily: they are walked with a counter, not recursion.
        HloTextParser.parse(
                "HloModule m, frontend_attributes=" + braces + "\nENTRY e {\n  ROOT p = f32[2] parameter(0), metadata="
                        + braces + "\n}\n",
                "deep");
        invalid("HloModule m\nENTRY e {\n  ROOT p = f32[2] parameter(0), sharding=" + "{".repeat(n) + "\n}\n");
        String parens = "(".repeat(n) + "1" + ")".repeat(n);
        invalid("HloModule m\nENTRY e {\n  ROOT p = (f32[]) constant(" + parens + ")\n}\n");
        // Deep but legal nesting within the limit parses.
        int ok = HloTextParser.MAX_DEPTH - 1;
        HloTextParser.parse(
                "HloModule m\nENTRY e {\n  ROOT p = " + "(".repeat(ok) + "f32[]" + ")".repeat(ok)
                        + " parameter(0)\n}\n",
                "deep");
        String rank = "1,".repeat(200) + "1";
        HloTextParser.parse(
                "HloModule m\nENTRY e {\n  ROOT p = f32[" + rank + "] constant(" + "{".repeat(201) + "5"
                        + "}".repeat(201) + ")\n}\n",
                "rank");
    }

    @Test
    void longLinearChainsDoNotOverflowTheStack() {
        StringBuilder b = new StringBuilder("HloModule m\nENTRY e {\n  v0 = f32[] parameter(0)\n");
        int n = 40_000;
        for (int i = 1; i <= n; i++) {
            b.append("  v").append(i).append(" = f32[] negate(v").append(i - 1).append(")\n");
        }
        b.append("}\n");
        assertThat(HloTextParser.parse(b.toString(), "chain").entry().root().name())
                .isEqualTo("v" + n);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ROOT p = f32[] parameter(x)",
                "ROOT p = f32[] parameter(-1)",
                "ROOT p = f32[] frobnicate()",
                "ROOT p = parameter(0)",
                "ROOT p = f32[] parameter(0), bogus_attr=1",
                "ROOT p = f32[] parameter(0), dimensions={1,",
                "ROOT p = f32[] parameter(0), metadata={op_name=\"x}",
                "ROOT p = s32[] s32[] add(s32[] a, b)",
                "a = f32[] parameter(0)\n ROOT p = f32[] add(f32[] negate(a), a)",
                "a = f32[] parameter(0)\n ROOT p = f32[] compare(a, a), direction=XX",
                "a = f32[] parameter(0)\n ROOT p = f32[] compare(a, a), direction=",
                "a = f32[2] parameter(0)\n ROOT p = f32[2] pad(a, a), padding=1_",
                "a = f32[2] parameter(0)\n ROOT p = f32[2] pad(a, a), padding=1_2_3_4",
                "a = f32[2] parameter(0)\n ROOT p = f32[2] slice(a), slice={[0]}",
                "a = f32[2] parameter(0)\n ROOT p = f32[2] convolution(a, a), window={size=2 stride=1x1}",
                "a = f32[2] parameter(0)\n ROOT p = f32[2] convolution(a, a), window={stride=1}",
                "a = f32[2] parameter(0)\n ROOT p = f32[2] convolution(a, a), window={size=2 bogus=1}",
                "a = f32[2] parameter(0)\n ROOT p = f32[2] convolution(a, a), dim_labels=b0f_0io->bf0x",
                "a = f32[2] parameter(0)\n ROOT p = f32[2] convolution(a, a), dim_labels=bb_0io->b0f",
                "a = f32[2] parameter(0)\n ROOT p = f32[2] convolution(a, a), dim_labels=b0f",
                "a = f32[2] parameter(0)\n ROOT p = f32[2] all-reduce(a), replica_groups=[2,3]<=[4]",
                "a = f32[2] parameter(0)\n ROOT p = f32[2] all-reduce(a), replica_groups=[2,2]<=[4]T(1)",
                "a = f32[2] parameter(0)\n ROOT p = f32[2] all-reduce(a), replica_groups=[2,2]<=[2,2]T(0,0)",
                "a = f32[2] parameter(0)\n ROOT p = f32[2] all-reduce(a), replica_groups=[1099511627776,1]<=[99999999999]",
                "a = f32[2] parameter(0)\n ROOT p = f32[2] all-reduce(a), replica_groups=mesh['x'=2] {'y'}",
                "a = f32[2] parameter(0)\n ROOT p = f32[2] collective-permute(a), source_target_pairs={{0,1,2}}",
                "a = f32[2] parameter(0)\n ROOT p = f32[2] custom-call(a), custom_call_target=\"x",
                "a = f32[2] parameter(0)\n ROOT p = f32[2] custom-call(a), backend_config=7",
                "a = (f32[2]) parameter(0)\n ROOT p = (f32[2]) while(a), condition=c",
                "a = f32[2] parameter(0)\n ROOT p = f32[2] negate(a), body=c",
                "a = f32[2] parameter(0)\n ROOT p = f32[2] rng-bit-generator(a), algorithm=rng_best",
                "ROOT p = f32[] parameter(0) /* unterminated",
                "ROOT p = f32[] parameter(99999999999999999999)"
            })
    void badInstructions(String body) {
        invalid("HloModule m\nENTRY e {\n  " + body + "\n}\n");
    }

    @Test
    void unknownOpcodeIsNamedWithItsInstruction() {
        NeuronException e = invalid("HloModule m\nENTRY e {\n  ROOT p = f32[] frobnicate()\n}\n");
        assertThat(e.getMessage()).contains("instruction 'p' has the unknown opcode 'frobnicate'");
        assertThat(at(e)).isEqualTo("3:18");
        // XLA spells its names with hyphens; a near miss is not one of them.
        assertThat(invalid("HloModule m\nENTRY e {\n  a = f32[] parameter(0)\n  ROOT q = f32[] log_plus_one(a)\n}\n")
                        .getMessage())
                .contains("instruction 'q' has the unknown opcode 'log_plus_one'");
    }

    /** The reader's vocabulary is HloOpcode: no XLA opcode is refused as unknown, whatever else is wrong. */
    @Test
    void everyHloOpcodeIsAKnownOpcode() {
        for (HloOpcode op : HloOpcode.values()) {
            Throwable t = catchThrowable(() -> HloTextParser.parse(
                    "HloModule m\nENTRY e {\n  ROOT p = f32[] " + op.text() + "()\n}\n", "op.hlo.txt"));
            assertThat(t == null ? "" : t.getMessage()).as(op.text()).doesNotContain("unknown opcode");
        }
    }

    @Test
    void nestedOperandsSayWhatToDo() {
        NeuronException e = invalid(
                "HloModule m\nENTRY e {\n  a = f32[] parameter(0)\n  ROOT p = f32[] add(f32[] negate(a), a)\n}\n");
        assertThat(e.getMessage()).contains("nested instructions as operands are not supported");
    }

    @Test
    void badModuleHeaders() {
        invalid("");
        invalid("HloModul m");
        invalid("HloModule");
        invalid("HloModule m, replica_count=0\nENTRY e {\n  ROOT p = f32[] parameter(0)\n}\n");
        invalid("HloModule m, replica_count=99999999999\nENTRY e {\n  ROOT p = f32[] parameter(0)\n}\n");
        invalid("HloModule m, replica_count=2, replica_count=2\nENTRY e {\n  ROOT p = f32[] parameter(0)\n}\n");
        invalid("HloModule m, num_partitions=x\nENTRY e {\n  ROOT p = f32[] parameter(0)\n}\n");
        invalid("HloModule m\nENTRY e (x: f32[]) {\n  ROOT p = f32[] parameter(0)\n}\n");
        invalid("HloModule m\nENTRY e {\n  ROOT p = f32[] parameter(0)\n}, bogus=1\n");
    }

    @Test
    void filesThatAreNotUtf8AreInvalid(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("model.hlo_module.pb");
        Files.write(f, new byte[] {0x0a, 0x03, 'a', (byte) 0xff, (byte) 0xfe, 0x12});
        Throwable t = catchThrowable(() -> HloTextParser.parse(f));
        assertThat(t).isInstanceOf(NeuronException.class);
        assertThat(((NeuronException) t).status()).isEqualTo(Status.INVALID);
        assertThat(t.getMessage()).contains("not UTF-8");
        Throwable missing = catchThrowable(() -> HloTextParser.parse(dir.resolve("absent.hlo.txt")));
        assertThat(((NeuronException) missing).status()).isEqualTo(Status.FAILURE);
    }
}
