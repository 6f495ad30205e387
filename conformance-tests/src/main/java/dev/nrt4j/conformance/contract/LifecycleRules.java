package dev.nrt4j.conformance.contract;

import dev.nrt4j.Model;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.Tensor;
import dev.nrt4j.TensorSet;
import java.util.List;

/** Closing things: idempotent, in any order, and a closed runtime refuses everything cleanly. */
final class LifecycleRules {
    private LifecycleRules() {}

    static List<Rule> all() {
        String area = "lifecycle";
        return List.of(
                new Rule(area, "closing_a_runtime_twice_is_harmless", ctx -> {
                    NeuronRuntime rt = ctx.open();
                    rt.close();
                    rt.close();
                    Expect.isFalse(rt.isOpen(), "isOpen() of the runtime closed twice");
                }),
                new Rule(area, "a_closed_runtime_refuses_allocations_and_loads", ctx -> {
                    dev.nrt4j.ModelSource add = ctx.program(ContractProgram.ADD);
                    NeuronRuntime rt = ctx.open();
                    rt.close();
                    Expect.closed(() -> rt.allocate("late", 8, 0));
                    Expect.closed(() -> rt.allocateHost("late", 8));
                    Expect.closed(() -> rt.load(add));
                    Expect.closed(rt::newTensorSet);
                }),
                new Rule(area, "closing_a_runtime_closes_what_it_made", ctx -> {
                    NeuronRuntime rt = ctx.open();
                    Tensor t = rt.allocate("t", 8, 0);
                    Model m = rt.load(ctx.program(ContractProgram.ADD));
                    TensorSet s = m.allocateInputs();
                    // The tensor, the model, the set and the set's two tensors.
                    Expect.size(rt.openResources(), 5);
                    rt.close();
                    Expect.isFalse(t.isOpen(), "isOpen() of its tensor once the runtime closed");
                    Expect.isFalse(m.isOpen(), "isOpen() of its model once the runtime closed");
                    Expect.isFalse(s.isOpen(), "isOpen() of its set once the runtime closed");
                    Expect.closed(t::readBytes);
                }),
                new Rule(area, "what_a_program_closes_is_no_longer_listed_as_open", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        Tensor t = rt.allocate("t", 8, 0);
                        Model m = rt.load(ctx.program(ContractProgram.COPY));
                        Expect.size(rt.openResources(), 2);
                        t.close();
                        m.close();
                        Expect.empty(rt.openResources());
                    }
                }),
                new Rule(area, "a_model_closed_before_its_sets_leaves_the_sets_usable_to_close", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        Model m = rt.load(ctx.program(ContractProgram.ADD));
                        TensorSet in = m.allocateInputs();
                        m.close();
                        in.get("input0").write(new float[64]);
                        in.close();
                        Expect.empty(rt.openResources());
                    }
                }),
                new Rule(area, "a_runtime_may_be_opened_and_closed_many_times", ctx -> {
                    for (int i = 0; i < 20; i++) {
                        try (NeuronRuntime rt = ctx.open();
                                Tensor t = rt.allocate("t", 16, 0)) {
                            t.write(new byte[] {(byte) i});
                            Expect.equal(t.readBytes()[0], (byte) i);
                        }
                    }
                }));
    }
}
