package dev.nrt4j.conformance.contract;

import dev.nrt4j.HostTensor;
import dev.nrt4j.LoadOptions;
import dev.nrt4j.Model;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Programs of several ranks, one per core, exchanging data through collectives. */
final class CollectiveRules {
    private CollectiveRules() {}

    static List<Rule> all() {
        String area = "collectives";
        return List.of(
                new Rule(area, "two_ranks_all_reduce_to_the_same_sum", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        ctx.requireCores(rt, 2);
                        try (Model r0 = rt.load(
                                        ctx.program(ContractProgram.ALL_REDUCE_2),
                                        LoadOptions.onCore(0).asRank(0, 2));
                                Model r1 = rt.load(
                                        ctx.program(ContractProgram.ALL_REDUCE_2),
                                        LoadOptions.onCore(1).asRank(1, 2))) {
                            // Each rank needs a thread of its own: they wait for each other inside the all-reduce.
                            ExecutorService ranks = Executors.newFixedThreadPool(2);
                            try {
                                var f0 = ranks.submit(() ->
                                        r0.run(Map.of("input0", HostTensor.of(new float[] {1, 2, 3, 4}, 4))));
                                var f1 = ranks.submit(() ->
                                        r1.run(Map.of("input0", HostTensor.of(new float[] {10, 20, 30, 40}, 4))));
                                float[] want = {11, 22, 33, 44};
                                Expect.equal(
                                        f0.get(30, TimeUnit.SECONDS)
                                                .get("output0")
                                                .toFloatArray(),
                                        want);
                                Expect.equal(
                                        f1.get(30, TimeUnit.SECONDS)
                                                .get("output0")
                                                .toFloatArray(),
                                        want);
                            } finally {
                                ranks.shutdownNow();
                            }
                        }
                    }
                }),
                new Rule(area, "a_load_that_is_not_a_rank_of_a_multi_rank_program_is_refused", ctx -> {
                    dev.nrt4j.ModelSource twoRanks = ctx.program(ContractProgram.ALL_REDUCE_2);
                    try (NeuronRuntime rt = ctx.open()) {
                        ctx.requireCores(rt, 2);
                        Expect.status(Status.INVALID, () -> rt.load(twoRanks, LoadOptions.onCore(0)));
                    }
                }),
                new Rule(area, "a_rank_whose_peers_never_come_fails_instead_of_hanging", ctx -> {
                    try (NeuronRuntime rt = ctx.open(
                            ctx.options().execTimeout(Duration.ofMillis(300)).build())) {
                        ctx.requireCores(rt, 2);
                        try (Model r0 = rt.load(
                                        ctx.program(ContractProgram.ALL_REDUCE_2),
                                        LoadOptions.onCore(0).asRank(0, 2));
                                Model r1 = rt.load(
                                        ctx.program(ContractProgram.ALL_REDUCE_2),
                                        LoadOptions.onCore(1).asRank(1, 2))) {
                            Expect.statusIn(
                                    () -> r0.run(Map.of("input0", HostTensor.of(new float[4], 4))),
                                    Status.TIMEOUT,
                                    Status.EXEC_HW_ERR_COLLECTIVES);
                        }
                    }
                }));
    }
}
