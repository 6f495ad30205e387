package dev.nrt4j.conformance.contract;

import dev.nrt4j.DType;
import dev.nrt4j.LoadOptions;
import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.Shape;
import dev.nrt4j.Status;
import dev.nrt4j.TensorInfo;
import dev.nrt4j.TensorSet;
import java.util.List;

/** Loading and unloading models, and the signatures they report. */
final class ModelRules {
    private ModelRules() {}

    static List<Rule> all() {
        String area = "models";
        return List.of(
                new Rule(area, "a_loaded_model_reports_its_inputs_and_outputs_in_order", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Model m = rt.load(ctx.program(ContractProgram.MATMUL))) {
                        Expect.equal(
                                m.signature().inputs(),
                                List.of(
                                        new TensorInfo("input0", DType.FLOAT32, Shape.of(8, 16)),
                                        new TensorInfo("input1", DType.FLOAT32, Shape.of(16, 4))));
                        Expect.equal(
                                m.signature().outputs(),
                                List.of(new TensorInfo("output0", DType.FLOAT32, Shape.of(8, 4))));
                    }
                }),
                new Rule(area, "tuple_results_are_numbered_outputs", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Model m = rt.load(ctx.program(ContractProgram.TWO_OUTPUTS))) {
                        Expect.equal(
                                m.signature().outputs().stream()
                                        .map(TensorInfo::name)
                                        .toList(),
                                List.of("output0", "output1"));
                    }
                }),
                new Rule(area, "sizes_follow_dtype_and_shape", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Model m = rt.load(ctx.program(ContractProgram.MATMUL_BF16))) {
                        Expect.equal(m.signature().inputs().get(0).byteSize(), 4 * 8 * 2);
                        Expect.equal(m.signature().outputs().get(0).dtype(), DType.BFLOAT16);
                    }
                }),
                new Rule(area, "a_model_loaded_on_a_core_runs_there", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        int last = rt.cores().size() - 1;
                        try (Model m = rt.load(ctx.program(ContractProgram.ADD), LoadOptions.onCore(last));
                                TensorSet in = m.allocateInputs()) {
                            Expect.equal(m.core(), last);
                            Expect.equal(in.get("input0").core(), last);
                        }
                    }
                }),
                new Rule(area, "any_core_picks_a_claimed_core", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Model m = rt.load(ctx.program(ContractProgram.ADD), LoadOptions.anyCore())) {
                        Expect.between(m.core(), 0, rt.cores().size() - 1);
                    }
                }),
                new Rule(area, "a_core_the_runtime_does_not_have_cannot_take_a_model", ctx -> {
                    ModelSource add = ctx.program(ContractProgram.ADD);
                    try (NeuronRuntime rt = ctx.open()) {
                        Expect.status(
                                Status.INVALID,
                                () -> rt.load(add, LoadOptions.onCore(rt.cores().size())));
                    }
                }),
                new Rule(area, "garbage_bytes_are_an_invalid_model", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        byte[] junk = new byte[2048];
                        new java.util.Random(3).nextBytes(junk);
                        Expect.status(Status.INVALID, () -> rt.load(ModelSource.of(ctx.file("junk.neff", junk))));
                        Expect.status(Status.INVALID, () -> rt.load(ModelSource.of(ctx.file("junk.pb", junk))));
                        // Broken HLO text proves something only where well-formed HLO text loads: the native
                        // backend refuses every HLO text (neuronx-cc reads protos), broken or not.
                        if (ctx.readsHloText(rt)) {
                            Expect.status(
                                    Status.INVALID,
                                    () -> rt.load(
                                            ModelSource.of(ctx.file("junk.hlo.txt", "HloModule broken\nENTRY {"))));
                        }
                        Expect.empty(rt.openResources());
                    }
                }),
                new Rule(area, "a_missing_file_is_an_invalid_model", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        Expect.status(
                                Status.INVALID,
                                () -> rt.load(ModelSource.of(ctx.file("x", "").resolveSibling("absent.neff"))));
                    }
                }),
                new Rule(area, "a_program_for_more_ranks_than_cores_does_not_load", ctx -> {
                    ModelSource twoRanks = ctx.program(ContractProgram.ALL_REDUCE_2);
                    try (NeuronRuntime rt = ctx.open(ctx.options().numCores(1).build())) {
                        Expect.status(
                                Status.LOAD_NOT_ENOUGH_NC,
                                () -> rt.load(twoRanks, LoadOptions.onCore(0).asRank(0, 2)));
                    }
                }),
                new Rule(area, "an_unloaded_model_refuses_execution", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        Model m = rt.load(ctx.program(ContractProgram.ADD));
                        try (TensorSet in = m.allocateInputs();
                                TensorSet out = m.allocateOutputs()) {
                            m.close();
                            m.close();
                            Expect.isFalse(m.isOpen(), "isOpen() of the model closed twice");
                            Expect.closed(() -> m.execute(in, out));
                        }
                    }
                }),
                new Rule(area, "one_program_loaded_twice_gives_two_independent_models", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Model a = rt.load(ctx.program(ContractProgram.COPY));
                            Model b = rt.load(ctx.program(ContractProgram.COPY))) {
                        a.close();
                        float[] x = new float[16];
                        x[3] = 4.5f;
                        Expect.equal(
                                b.run(java.util.Map.of("input0", dev.nrt4j.HostTensor.of(x, 16)))
                                        .get("output0")
                                        .toFloatArray(),
                                x);
                    }
                }));
    }
}
