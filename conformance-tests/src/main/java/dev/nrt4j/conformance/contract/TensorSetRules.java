package dev.nrt4j.conformance.contract;

import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.Status;
import dev.nrt4j.Tensor;
import dev.nrt4j.TensorSet;
import java.util.List;

/** Tensor sets: named references to tensors that execute reads its inputs from and writes its outputs to. */
final class TensorSetRules {
    private TensorSetRules() {}

    static List<Rule> all() {
        String area = "tensor_sets";
        return List.of(
                new Rule(area, "put_replaces_the_tensor_of_that_name", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Tensor a = rt.allocate("a", 8, 0);
                            Tensor b = rt.allocate("b", 8, 0);
                            TensorSet s = rt.newTensorSet()) {
                        s.put("x", a);
                        s.put("x", b);
                        Expect.same(s.get("x"), b);
                        Expect.equal(s.names(), List.of("x"));
                    }
                }),
                new Rule(area, "a_missing_name_is_a_failure", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            TensorSet s = rt.newTensorSet()) {
                        Expect.status(Status.FAILURE, () -> s.get("absent"));
                        Expect.isFalse(s.contains("absent"), "contains(\"absent\")");
                    }
                }),
                new Rule(area, "closing_a_set_does_not_free_its_tensors", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Tensor t = rt.allocate("kept", 8, 0)) {
                        TensorSet s = rt.newTensorSet().put("kept", t);
                        s.close();
                        Expect.isTrue(t.isOpen(), "isOpen() of a tensor once its set closed");
                        t.write(new byte[] {1, 2, 3});
                        Expect.equal(t.readBytes()[2], (byte) 3);
                    }
                }),
                new Rule(area, "a_closed_set_refuses_use", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Tensor t = rt.allocate("t", 8, 0)) {
                        TensorSet s = rt.newTensorSet();
                        s.close();
                        Expect.closed(() -> s.put("t", t));
                    }
                }),
                new Rule(area, "a_closed_tensor_cannot_join_a_set", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            TensorSet s = rt.newTensorSet()) {
                        Tensor t = rt.allocate("t", 8, 0);
                        t.close();
                        Expect.closed(() -> s.put("t", t));
                    }
                }),
                new Rule(area, "a_tensor_of_another_runtime_cannot_join_a_set", ctx -> {
                    try (NeuronRuntime a = ctx.open(ctx.options().numCores(1).build());
                            NeuronRuntime b = ctx.open(ctx.options().numCores(1).build());
                            Tensor t = b.allocate("foreign", 8, 0);
                            TensorSet s = a.newTensorSet()) {
                        Expect.status(Status.INVALID, () -> s.put("t", t));
                    }
                }),
                new Rule(area, "model_sets_own_their_tensors", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            var m = rt.load(ctx.program(ContractProgram.ADD))) {
                        TensorSet in = m.allocateInputs();
                        Tensor first = in.get(in.names().get(0));
                        in.close();
                        Expect.isFalse(first.isOpen(), "isOpen() of a tensor the closed set allocated");
                    }
                }));
    }
}
