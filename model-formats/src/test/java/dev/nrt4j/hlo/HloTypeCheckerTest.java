package dev.nrt4j.hlo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.text.HloTextParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each rule of {@link HloTypeChecker} on a small program it accepts and one it refuses. */
class HloTypeCheckerTest {

    private static HloModule parse(String body) {
        return HloTextParser.parse("HloModule m\n" + body, "test");
    }

    private static void refused(String body, String... fragments) {
        assertThatThrownBy(() -> parse(body))
                .isInstanceOfSatisfying(NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                .hasMessageContaining("type-check HLO module 'm'")
                .satisfies(e -> {
                    for (String f : fragments) {
                        assertThat(e.getMessage()).contains(f);
                    }
                });
    }

    private static String entry(String params, String root) {
        return "ENTRY main {\n" + params.replace(";", "\n") + "\n ROOT " + root + "\n}\n";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            add ok         | a = f32[4] parameter(0); b = f32[4] parameter(1) | s = f32[4] add(a, b)
            add mixed fp   | a = bf16[4] parameter(0); b = f32[4] parameter(1) | s = f32[4] add(a, b)
            concat mixed fp| a = bf16[2] parameter(0); b = f32[3] parameter(1) | s = f32[5] concatenate(a, b), dimensions={0}
            unary ok       | a = f32[2,3] parameter(0) | s = f32[2,3] exponential(a)
            compare ok     | a = s32[3] parameter(0); b = s32[3] parameter(1) | s = pred[3] compare(a, b), direction=LT
            select ok      | p = pred[] parameter(0); a = f32[3] parameter(1) | s = f32[3] select(p, a, a)
            clamp ok       | lo = f32[] parameter(0); a = f32[3] parameter(1) | s = f32[3] clamp(lo, a, lo)
            convert ok     | a = s32[2,2] parameter(0) | s = bf16[2,2] convert(a)
            reshape ok     | a = f32[2,3] parameter(0) | s = f32[3,2,1] reshape(a)
            broadcast ok   | a = f32[3] parameter(0) | s = f32[2,3] broadcast(a), dimensions={1}
            transpose ok   | a = f32[2,3,4] parameter(0) | s = f32[4,2,3] transpose(a), dimensions={2,0,1}
            slice ok       | a = f32[10] parameter(0) | s = f32[3] slice(a), slice={[1:8:3]}
            concat ok      | a = f32[2,3] parameter(0); b = f32[5,3] parameter(1) | s = f32[7,3] concatenate(a, b), dimensions={0}
            dot ok         | a = f32[7,2,3] parameter(0); b = f32[7,3,5] parameter(1) | s = f32[7,2,5] dot(a, b), lhs_batch_dims={0}, rhs_batch_dims={0}, lhs_contracting_dims={2}, rhs_contracting_dims={1}
            dot preferred  | a = bf16[2,3] parameter(0); b = bf16[3,5] parameter(1) | s = f32[2,5] dot(a, b), lhs_contracting_dims={1}, rhs_contracting_dims={0}
            gte ok         | t = (f32[], s32[2]) parameter(0) | s = s32[2] get-tuple-element(t), index=1
            constant ok    | a = f32[] parameter(0) | s = f32[2] constant({1, 2})
            unchecked op   | a = f32[4] parameter(0) | s = f32[9] pad(a, a), padding=0_5
            """)
    void accepts(String name, String params, String root) {
        assertThat(parse(entry(params, root)).entry().root().name()).isEqualTo("s");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            add operand    | a = f32[4] parameter(0); b = f32[5] parameter(1) | s = f32[4] add(a, b) | add s: operand 1 is f32[5], expected f32[4] like operand 0
            add type       | a = f32[4] parameter(0); b = s32[4] parameter(1) | s = f32[4] add(a, b) | operand 1 is s32[4], expected f32[4]
            add mixed int  | a = f32[4] parameter(0); b = bf16[4] parameter(1) | s = s32[4] add(a, b) | add s: declares s32[4], expected a floating-point result
            add result     | a = f32[4] parameter(0); b = f32[4] parameter(1) | s = f32[5] add(a, b) | add s: declares f32[5], inferred f32[4]
            unary result   | a = f32[2,3] parameter(0) | s = f16[2,3] negate(a) | negate s: declares f16[2,3], inferred f32[2,3]
            compare result | a = s32[3] parameter(0); b = s32[3] parameter(1) | s = s32[3] compare(a, b), direction=LT | compare s: declares s32[3], inferred pred[3]
            select pred    | p = s32[] parameter(0); a = f32[3] parameter(1) | s = f32[3] select(p, a, a) | select s: operand 0 is s32[], expected a pred
            select dims    | p = pred[2] parameter(0); a = f32[3] parameter(1) | s = f32[3] select(p, a, a) | operand 0 is pred[2]
            clamp bound    | lo = f32[2] parameter(0); a = f32[3] parameter(1) | s = f32[3] clamp(lo, a, lo) | clamp s: operand 0 is f32[2]
            convert dims   | a = s32[2,2] parameter(0) | s = bf16[4] convert(a) | convert s: declares bf16[4], inferred bf16[2,2]
            reshape count  | a = f32[2,3] parameter(0) | s = f32[7] reshape(a) | reshape s: declares f32[7] (7 elements) from operand 0 f32[2,3] (6 elements)
            broadcast dims | a = f32[3] parameter(0) | s = f32[3,2] broadcast(a), dimensions={1} | broadcast s: dimensions=[1] maps dimension 0 of operand 0 f32[3]
            broadcast rank | a = f32[3] parameter(0) | s = f32[2,3] broadcast(a), dimensions={0,1} | must name one result dimension
            transpose perm | a = f32[2,3] parameter(0) | s = f32[3,2] transpose(a), dimensions={1,1} | transpose s: dimensions=[1, 1] is not a permutation
            transpose dims | a = f32[2,3] parameter(0) | s = f32[2,3] transpose(a), dimensions={1,0} | transpose s: declares f32[2,3], inferred f32[3,2]
            slice bounds   | a = f32[10] parameter(0) | s = f32[3] slice(a), slice={[8:11:1]} | slice s: slice [8:11:1] of dimension 0 is out of the bounds of operand 0 f32[10]
            slice result   | a = f32[10] parameter(0) | s = f32[4] slice(a), slice={[1:8:3]} | slice s: declares f32[4], inferred f32[3]
            concat dims    | a = f32[2,3] parameter(0); b = f32[5,4] parameter(1) | s = f32[7,3] concatenate(a, b), dimensions={0} | concatenate s: operand 1 is f32[5,4], expected f32[2,3]
            concat result  | a = f32[2,3] parameter(0); b = f32[5,3] parameter(1) | s = f32[8,3] concatenate(a, b), dimensions={0} | declares f32[8,3], inferred f32[7,3]
            dot contract   | a = f32[2,3] parameter(0); b = f32[4,5] parameter(1) | s = f32[2,5] dot(a, b), lhs_contracting_dims={1}, rhs_contracting_dims={0} | dot s: contracting dimension 1 of operand 0 f32[2,3] is 3, dimension 0 of operand 1 f32[4,5] is 4
            dot result     | a = f32[2,3] parameter(0); b = f32[3,5] parameter(1) | s = f32[5,2] dot(a, b), lhs_contracting_dims={1}, rhs_contracting_dims={0} | dot s: declares f32[5,2], inferred f32[2,5]
            dot range      | a = f32[2,3] parameter(0); b = f32[3,5] parameter(1) | s = f32[2,5] dot(a, b), lhs_contracting_dims={2}, rhs_contracting_dims={0} | do not name distinct dimensions
            dot too large  | a = f32[1073741824,4] parameter(0); b = f32[4,1073741824] parameter(1) | s = f32[1,1] dot(a, b), lhs_contracting_dims={1}, rhs_contracting_dims={0} | dot s: the inferred shape is not a valid array
            gte index      | t = (f32[], s32[2]) parameter(0) | s = s32[2] get-tuple-element(t), index=2 | get-tuple-element s: index=2 is out of range for operand 0 (f32[], s32[2])
            gte shape      | t = (f32[], s32[2]) parameter(0) | s = f32[2] get-tuple-element(t), index=1 | get-tuple-element s: declares f32[2], inferred s32[2]
            tuple shape    | a = f32[] parameter(0) | s = (f32[], s32[]) tuple(a, a) | tuple s: declares (f32[], s32[]), inferred (f32[], f32[])
            """)
    void refuses(String name, String params, String root, String message) {
        refused(entry(params, root), "computation 'main'", message);
    }

    private static final String LOOP = """
            cond {
              p = s32[] parameter(0)
              z = s32[] constant(0)
              ROOT c = %s
            }
            body {
              p = s32[] parameter(0)
              one = s32[] constant(1)
              ROOT n = %s
            }
            ENTRY main {
              i = s32[] parameter(0)
              ROOT w = s32[] while(i), condition=cond, body=body
            }
            """;

    @org.junit.jupiter.api.Test
    void whileConditionMustReturnPredAndBodyTheLoopShape() {
        parse(LOOP.formatted("pred[] compare(p, z), direction=LT", "s32[] add(p, one)"));
        refused(LOOP.formatted("s32[] add(p, z)", "s32[] add(p, one)"),
                "while w: condition cond returns s32[], expected pred[]");
        refused(LOOP.formatted("pred[] compare(p, z), direction=LT", "f32[] convert(p)"),
                "while w: body body returns f32[], expected s32[]");
    }

    private static final String REDUCE = """
            sum {
              a = f32[] parameter(0)
              b = %s parameter(1)
              ROOT s = f32[] add(a, a)
            }
            ENTRY main {
              x = f32[2,3,4] parameter(0)
              z = f32[] constant(0)
              ROOT r = %s reduce(x, z), dimensions={%s}, to_apply=sum
            }
            """;

    @org.junit.jupiter.api.Test
    void reduceRemovesItsDimensionsAndTakesAScalarReducer() {
        parse(REDUCE.formatted("f32[]", "f32[3]", "0,2"));
        refused(REDUCE.formatted("f32[]", "f32[2]", "0,2"), "reduce r: declares f32[2], expected dimensions [3]");
        refused(REDUCE.formatted("f32[]", "f32[3]", "0,0"), "reduce r: dimensions=[0, 0] must name distinct dimensions");
        refused(REDUCE.formatted("f32[3]", "f32[3]", "0,2"), "reduce r: to_apply sum parameter 1 is f32[3], expected a scalar");
    }

    private static final String CALL = """
            callee {
              x = f32[4] parameter(0)
              ROOT y = f32[4] negate(x)
            }
            ENTRY main {
              a = %s parameter(0)
              ROOT r = %s call(a), to_apply=callee
            }
            """;

    @org.junit.jupiter.api.Test
    void callSitesMatchTheCalleeSignature() {
        parse(CALL.formatted("f32[4]", "f32[4]"));
        refused(CALL.formatted("f32[5]", "f32[4]"), "call r: callee callee parameter 0 is f32[4], called with f32[5]");
        refused(CALL.formatted("f32[4]", "s32[4]"), "call r: callee callee returns f32[4], expected s32[4]");
    }

    private static final String COND = """
            b0 {
              x = f32[] parameter(0)
              ROOT y = f32[] negate(x)
            }
            b1 {
              x = f32[] parameter(0)
              ROOT y = %s
            }
            ENTRY main {
              p = %s parameter(0)
              a = f32[] parameter(1)
              ROOT r = f32[] conditional(p, a, a), branch_computations={b0, b1}
            }
            """;

    @org.junit.jupiter.api.Test
    void conditionalBranchesAgree() {
        parse(COND.formatted("f32[] exponential(x)", "s32[]"));
        parse(COND.formatted("f32[] exponential(x)", "pred[]"));
        refused(COND.formatted("s32[] convert(x)", "s32[]"), "conditional r: branch 1 b1 returns s32[], expected f32[]");
        refused(COND.formatted("f32[] exponential(x)", "f32[]"), "conditional r: operand 0 is f32[], expected pred[] or s32[]");
    }
}
