package dev.nrt4j.conformance.contract;

import dev.nrt4j.hlo.proto.HloProtoWriter;
import dev.nrt4j.hlo.text.HloTextParser;

/**
 * The small programs the rules execute, written as HLO text and handed to backends as HLO module protos
 * ({@link #hloProto()}): each is tiny, so rules stay fast, and each has an answer a rule can compute by
 * hand. The ops are few and plain (add, multiply, broadcast, dot, tuple, while, all-reduce) so that any
 * HLO compiler, {@code neuronx-cc} included, takes them.
 */
public enum ContractProgram {
    /** {@code output0 = input0 + input1}, f32[64]. */
    ADD(
            "add",
            String.join(
                    "\n",
                    "HloModule add",
                    "ENTRY e {",
                    "  a = f32[64] parameter(0)",
                    "  b = f32[64] parameter(1)",
                    "  ROOT s = f32[64] add(a, b)",
                    "}")),
    /** {@code output0 = input0}, f32[16]: data passes through untouched. */
    COPY(
            "copy",
            String.join(
                    "\n",
                    "HloModule copy",
                    "ENTRY e {",
                    "  a = f32[16] parameter(0)",
                    "  ROOT c = f32[16] copy(a)",
                    "}")),
    /** {@code output0 = input0 · input1}, f32[8,16]·f32[16,4]. */
    MATMUL(
            "matmul",
            String.join(
                    "\n",
                    "HloModule matmul",
                    "ENTRY e {",
                    "  a = f32[8,16] parameter(0)",
                    "  b = f32[16,4] parameter(1)",
                    "  ROOT d = f32[8,4] dot(a, b), lhs_contracting_dims={1}, rhs_contracting_dims={0}",
                    "}")),
    /** {@code output0 = input0 · input1} in bf16, [4,8]·[8,4]. */
    MATMUL_BF16(
            "matmul_bf16",
            String.join(
                    "\n",
                    "HloModule matmul_bf16",
                    "ENTRY e {",
                    "  a = bf16[4,8] parameter(0)",
                    "  b = bf16[8,4] parameter(1)",
                    "  ROOT d = bf16[4,4] dot(a, b), lhs_contracting_dims={1}, rhs_contracting_dims={0}",
                    "}")),
    /** Two outputs: {@code output0 = input0 * 2}, {@code output1 = input0 + 1}, f32[8]. */
    TWO_OUTPUTS(
            "two_outputs",
            String.join(
                    "\n",
                    "HloModule two_outputs",
                    "ENTRY e {",
                    "  a = f32[8] parameter(0)",
                    "  two = f32[] constant(2)",
                    "  one = f32[] constant(1)",
                    "  t = f32[8] broadcast(two), dimensions={}",
                    "  o = f32[8] broadcast(one), dimensions={}",
                    "  m = f32[8] multiply(a, t)",
                    "  p = f32[8] add(a, o)",
                    "  ROOT r = (f32[8], f32[8]) tuple(m, p)",
                    "}")),
    /** Never finishes: a loop whose condition is always true. Only a timeout ends it. */
    FOREVER(
            "forever",
            String.join(
                    "\n",
                    "HloModule forever",
                    "cond {",
                    "  p = (s32[]) parameter(0)",
                    "  ROOT t = pred[] constant(true)",
                    "}",
                    "body {",
                    "  ROOT p = (s32[]) parameter(0)",
                    "}",
                    "ENTRY e {",
                    "  x = s32[] parameter(0)",
                    "  s = (s32[]) tuple(x)",
                    "  w = (s32[]) while(s), condition=cond, body=body",
                    "  ROOT r = s32[] get-tuple-element(w), index=0",
                    "}")),
    /** Two ranks: {@code output0 = sum over ranks of input0}, f32[4]. */
    ALL_REDUCE_2(
            "all_reduce_2",
            String.join(
                    "\n",
                    "HloModule all_reduce_2, replica_count=2",
                    "sum {",
                    "  a = f32[] parameter(0)",
                    "  b = f32[] parameter(1)",
                    "  ROOT s = f32[] add(a, b)",
                    "}",
                    "ENTRY e {",
                    "  x = f32[4] parameter(0)",
                    "  ROOT r = f32[4] all-reduce(x), replica_groups={{0,1}}, to_apply=sum",
                    "}"));

    private final String fileStem;
    private final String hlo;

    ContractProgram(String fileStem, String hlo) {
        this.fileStem = fileStem;
        this.hlo = hlo;
    }

    /** The program's HLO text. */
    public String hloText() {
        return hlo;
    }

    /** The file name its HLO text is written under. */
    public String fileName() {
        return fileStem + ".hlo.txt";
    }

    /** The file name its HLO module proto is written under (as the Neuron compile cache names modules). */
    public String protoFileName() {
        return fileStem + ".hlo_module.pb";
    }

    /**
     * The program as a serialized {@code HloModuleProto}: its HLO text parsed and written by
     * model-formats, so the proto holds exactly the text's module.
     */
    public byte[] hloProto() {
        return HloProtoWriter.write(HloTextParser.parse(hlo, fileName()));
    }
}
