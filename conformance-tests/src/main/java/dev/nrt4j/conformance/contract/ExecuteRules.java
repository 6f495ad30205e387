package dev.nrt4j.conformance.contract;

import dev.nrt4j.BFloat16;
import dev.nrt4j.DType;
import dev.nrt4j.HostTensor;
import dev.nrt4j.Model;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.Shape;
import dev.nrt4j.Status;
import dev.nrt4j.Tensor;
import dev.nrt4j.TensorSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Executing models: results, and the status of every way an execution can go wrong. */
final class ExecuteRules {
    private ExecuteRules() {}

    static float[] ramp(int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (i % 13 - 6) * scale;
        }
        return a;
    }

    static List<Rule> all() {
        String area = "execute";
        return List.of(
                new Rule(area, "add_gives_the_elementwise_sum", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Model m = rt.load(ctx.program(ContractProgram.ADD));
                            TensorSet in = m.allocateInputs();
                            TensorSet out = m.allocateOutputs()) {
                        float[] a = ramp(64, 0.5f);
                        float[] b = ramp(64, -0.25f);
                        in.get("input0").write(a);
                        in.get("input1").write(b);
                        m.execute(in, out);
                        float[] y = out.get("output0").readFloats();
                        for (int i = 0; i < 64; i++) {
                            Expect.equal(y[i], a[i] + b[i], "element " + i);
                        }
                    }
                }),
                new Rule(area, "matmul_f32_matches_the_exact_product", ctx -> {
                    // Small integers: every product and sum is exact in f32, so any order of summation agrees.
                    try (NeuronRuntime rt = ctx.open();
                            Model m = rt.load(ctx.program(ContractProgram.MATMUL))) {
                        float[] a = ramp(8 * 16, 1);
                        float[] b = ramp(16 * 4, 2);
                        float[] y = m.run(Map.of("input0", HostTensor.of(a, 8, 16), "input1", HostTensor.of(b, 16, 4)))
                                .get("output0")
                                .toFloatArray();
                        for (int i = 0; i < 8; i++) {
                            for (int j = 0; j < 4; j++) {
                                float s = 0;
                                for (int k = 0; k < 16; k++) {
                                    s += a[i * 16 + k] * b[k * 4 + j];
                                }
                                Expect.equal(y[i * 4 + j], s, "[" + i + "," + j + "]");
                            }
                        }
                    }
                }),
                new Rule(area, "matmul_bf16_rounds_the_f32_sum_once", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Model m = rt.load(ctx.program(ContractProgram.MATMUL_BF16))) {
                        float[] a = ramp(32, 0.125f);
                        float[] b = ramp(32, 0.375f);
                        HostTensor ha = HostTensor.ofRounded(DType.BFLOAT16, a, 4, 8);
                        HostTensor hb = HostTensor.ofRounded(DType.BFLOAT16, b, 8, 4);
                        float[] ra = ha.toFloatArray();
                        float[] rb = hb.toFloatArray();
                        float[] y = m.run(Map.of("input0", ha, "input1", hb))
                                .get("output0")
                                .toFloatArray();
                        for (int i = 0; i < 4; i++) {
                            for (int j = 0; j < 4; j++) {
                                float s = 0;
                                for (int k = 0; k < 8; k++) {
                                    s += ra[i * 8 + k] * rb[k * 4 + j];
                                }
                                Expect.equal(
                                        y[i * 4 + j], BFloat16.toFloat(BFloat16.fromFloat(s)), "[" + i + "," + j + "]");
                            }
                        }
                    }
                }),
                new Rule(area, "every_output_of_a_tuple_is_written", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Model m = rt.load(ctx.program(ContractProgram.TWO_OUTPUTS))) {
                        float[] x = ramp(8, 1.5f);
                        Map<String, HostTensor> out = m.run(Map.of("input0", HostTensor.of(x, 8)));
                        for (int i = 0; i < 8; i++) {
                            Expect.equal(out.get("output0").toFloatArray()[i], x[i] * 2);
                            Expect.equal(out.get("output1").toFloatArray()[i], x[i] + 1);
                        }
                    }
                }),
                new Rule(area, "a_missing_input_is_a_bad_input", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Model m = rt.load(ctx.program(ContractProgram.ADD));
                            Tensor a = rt.allocate("a", 256, m.core());
                            TensorSet in = rt.newTensorSet().put("input0", a);
                            TensorSet out = m.allocateOutputs()) {
                        Expect.status(Status.EXEC_BAD_INPUT, () -> m.execute(in, out));
                    }
                }),
                new Rule(area, "an_input_of_the_wrong_size_is_a_bad_input", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Model m = rt.load(ctx.program(ContractProgram.ADD));
                            Tensor small = rt.allocate("small", 128, m.core());
                            TensorSet in = m.allocateInputs();
                            TensorSet out = m.allocateOutputs()) {
                        in.put("input1", small);
                        Expect.status(Status.EXEC_BAD_INPUT, () -> m.execute(in, out));
                    }
                }),
                new Rule(area, "a_missing_output_is_a_bad_input", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Model m = rt.load(ctx.program(ContractProgram.ADD));
                            TensorSet in = m.allocateInputs();
                            TensorSet out = rt.newTensorSet()) {
                        Expect.status(Status.EXEC_BAD_INPUT, () -> m.execute(in, out));
                    }
                }),
                new Rule(area, "extra_tensors_in_a_set_are_ignored", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Model m = rt.load(ctx.program(ContractProgram.COPY));
                            Tensor extra = rt.allocate("extra", 4, m.core());
                            TensorSet in = m.allocateInputs();
                            TensorSet out = m.allocateOutputs()) {
                        in.put("not_an_input", extra);
                        in.get("input0").write(ramp(16, 1));
                        m.execute(in, out);
                        Expect.equal(out.get("output0").readFloats(), ramp(16, 1));
                    }
                }),
                new Rule(area, "run_refuses_host_data_of_the_wrong_shape_or_type", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Model m = rt.load(ctx.program(ContractProgram.COPY))) {
                        Expect.status(
                                Status.EXEC_BAD_INPUT, () -> m.run(Map.of("input0", HostTensor.of(new float[8], 8))));
                        Expect.status(
                                Status.EXEC_BAD_INPUT, () -> m.run(Map.of("input0", HostTensor.of(new int[16], 16))));
                        Expect.status(Status.EXEC_BAD_INPUT, () -> m.run(Map.of()));
                    }
                }),
                new Rule(area, "outputs_are_rewritten_by_every_execution", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Model m = rt.load(ctx.program(ContractProgram.COPY));
                            TensorSet in = m.allocateInputs();
                            TensorSet out = m.allocateOutputs()) {
                        in.get("input0").write(ramp(16, 1));
                        m.execute(in, out);
                        in.get("input0").write(ramp(16, 3));
                        m.execute(in, out);
                        Expect.equal(out.get("output0").readFloats(), ramp(16, 3));
                    }
                }),
                new Rule(area, "inputs_are_not_changed_by_execution", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Model m = rt.load(ctx.program(ContractProgram.ADD));
                            TensorSet in = m.allocateInputs();
                            TensorSet out = m.allocateOutputs()) {
                        in.get("input0").write(ramp(64, 1));
                        m.execute(in, out);
                        Expect.equal(in.get("input0").readFloats(), ramp(64, 1));
                    }
                }),
                new Rule(area, "an_execution_past_the_timeout_fails_with_timeout_and_the_core_recovers", ctx -> {
                    try (NeuronRuntime rt = ctx.open(ctx.options()
                                    .execTimeout(Duration.ofMillis(300))
                                    .build());
                            Model forever = rt.load(ctx.program(ContractProgram.FOREVER));
                            Model copy = rt.load(
                                    ctx.program(ContractProgram.COPY), dev.nrt4j.LoadOptions.onCore(forever.core()))) {
                        Expect.status(
                                Status.TIMEOUT,
                                () -> forever.run(
                                        Map.of("input0", HostTensor.of(DType.INT32, Shape.scalar(), new byte[4]))));
                        Expect.equal(
                                copy.run(Map.of("input0", HostTensor.of(ramp(16, 2), 16)))
                                        .get("output0")
                                        .toFloatArray(),
                                ramp(16, 2));
                    }
                }));
    }
}
