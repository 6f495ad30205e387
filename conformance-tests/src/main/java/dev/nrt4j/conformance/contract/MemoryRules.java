package dev.nrt4j.conformance.contract;

import dev.nrt4j.MemoryUsage;
import dev.nrt4j.NeuronCore;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import dev.nrt4j.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Device memory: a core's HBM is finite, running out is a RESOURCE error, and freeing gives it back. */
final class MemoryRules {
    private MemoryRules() {}

    static List<Rule> all() {
        String area = "memory";
        return List.of(
                new Rule(area, "a_tensor_larger_than_the_cores_memory_is_a_resource_error", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        NeuronCore c = rt.cores().get(0);
                        Expect.status(Status.RESOURCE, () -> rt.allocate("too-big", c.hbmBytes() + 1, 0));
                        Expect.empty(rt.openResources());
                    }
                }),
                new Rule(area, "a_tensor_counts_in_its_cores_memory_usage_until_it_is_freed", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        long size = Math.min(1 << 20, rt.cores().get(0).hbmBytes() / 4);
                        MemoryUsage before = rt.memoryUsage(0);
                        try (Tensor t = rt.allocate("counted", size, 0)) {
                            MemoryUsage held = rt.memoryUsage(0);
                            if (held.usedBytes() < before.usedBytes() + t.size()) {
                                throw new AssertionError(
                                        "core 0 used " + before + " before and " + held + " after allocating " + size
                                                + " bytes on it; its used bytes must grow by at least the tensor's size");
                            }
                            if (held.limitBytes() > 0 && held.usedBytes() > held.limitBytes()) {
                                throw new AssertionError("core 0 uses more than its limit: " + held);
                            }
                        }
                        MemoryUsage after = rt.memoryUsage(0);
                        if (after.usedBytes() != before.usedBytes()) {
                            throw new AssertionError(
                                    "core 0 used " + before + " before a " + size + "-byte tensor was allocated and "
                                            + after + " after it was freed; freeing must give it back");
                        }
                        Expect.status(
                                Status.INVALID, () -> rt.memoryUsage(rt.cores().size()));
                        Expect.status(Status.INVALID, () -> rt.memoryUsage(-1));
                    }
                }),
                new Rule(area, "filling_a_cores_memory_fails_and_freeing_recovers_it", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        long chunk = rt.cores().get(0).hbmBytes() / 4;
                        List<Tensor> held = new ArrayList<>();
                        try {
                            for (int i = 0; i < 3; i++) {
                                held.add(rt.allocate("chunk" + i, chunk, 0));
                            }
                            Expect.status(Status.RESOURCE, () -> rt.allocate("one-too-many", 2 * chunk, 0));
                            held.remove(0).close();
                            held.add(rt.allocate("fits-again", chunk, 0));
                        } finally {
                            held.forEach(Tensor::close);
                        }
                    }
                }),
                new Rule(area, "closing_the_runtime_gives_its_memory_back", ctx -> {
                    long big;
                    try (NeuronRuntime rt = ctx.open()) {
                        big = rt.cores().get(0).hbmBytes() * 3 / 4;
                        rt.allocate("left-for-close", big, 0);
                    }
                    try (NeuronRuntime rt = ctx.open();
                            Tensor t = rt.allocate("again", big, 0)) {
                        Expect.equal(t.size(), big);
                    }
                }),
                new Rule(area, "cores_that_share_an_hbm_stack_share_its_capacity", ctx -> {
                    // trn2 at LNC=1: physical cores 0 and 1 draw from HBM stack 0.
                    RuntimeOptions.Builder machine = ctx.machineWhere(
                            "trn2.3xlarge",
                            c -> c.acceptsLnc(1) && c.hbmStackOfPhysicalCore(0) == c.hbmStackOfPhysicalCore(1),
                            "two physical cores on one HBM stack (Trn2 at LNC 1)");
                    try (NeuronRuntime rt =
                            ctx.open(machine.lnc(1).visibleCores("0-1").build())) {
                        Expect.equal(
                                rt.cores().get(0).hbmStack(), rt.cores().get(1).hbmStack());
                        long stack = rt.cores().get(0).hbmBytes();
                        try (Tensor a = rt.allocate("a", stack * 3 / 4, 0)) {
                            Expect.status(Status.RESOURCE, () -> rt.allocate("b", stack / 2, 1));
                        }
                        rt.allocate("b", stack / 2, 1).close();
                    }
                }),
                new Rule(area, "cores_with_their_own_stacks_do_not_share_capacity", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        ctx.requireCores(rt, 2);
                        if (rt.cores().get(0).hbmStack() == rt.cores().get(1).hbmStack()
                                && rt.cores().get(0).device()
                                        == rt.cores().get(1).device()) {
                            throw ctx.skip("cores 0 and 1 share an HBM stack here");
                        }
                        long stack = rt.cores().get(0).hbmBytes();
                        try (Tensor a = rt.allocate("a", stack * 3 / 4, 0);
                                Tensor b = rt.allocate("b", stack * 3 / 4, 1)) {
                            Expect.equal(b.size(), stack * 3 / 4);
                        }
                    }
                }));
    }
}
