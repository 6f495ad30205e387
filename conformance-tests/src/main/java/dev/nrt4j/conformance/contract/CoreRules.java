package dev.nrt4j.conformance.contract;

import dev.nrt4j.NeuronCore;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import dev.nrt4j.device.NeuronChip;
import java.util.List;

/**
 * Which cores a runtime claims: {@code NEURON_RT_VISIBLE_CORES} and {@code NEURON_RT_NUM_CORES}, logical
 * core sizes, and one owner per core.
 */
final class CoreRules {
    private CoreRules() {}

    private static List<Integer> ids(NeuronRuntime rt) {
        return rt.cores().stream().map(NeuronCore::globalId).toList();
    }

    /** How many cores the machine shows, learnt by claiming them all and giving them back. */
    private static int machineCores(RuleContext ctx) {
        try (NeuronRuntime rt = ctx.open()) {
            return rt.devices().stream()
                    .mapToInt(d -> d.logicalCoreIds().size())
                    .sum();
        }
    }

    static List<Rule> all() {
        String area = "cores";
        return List.of(
                new Rule(area, "a_single_visible_core_claims_exactly_that_core", ctx -> {
                    if (machineCores(ctx) < 2) {
                        throw ctx.skip("needs 2 cores");
                    }
                    try (NeuronRuntime rt =
                            ctx.open(ctx.options().visibleCores("1").build())) {
                        Expect.equal(ids(rt), List.of(1));
                    }
                }),
                new Rule(area, "a_visible_range_claims_the_range_renumbered_from_zero", ctx -> {
                    if (machineCores(ctx) < 4) {
                        throw ctx.skip("needs 4 cores");
                    }
                    try (NeuronRuntime rt =
                            ctx.open(ctx.options().visibleCores("1-3").build())) {
                        Expect.equal(ids(rt), List.of(1, 2, 3));
                        Expect.equal(rt.cores().get(0).index(), 0);
                    }
                }),
                new Rule(area, "contiguous_pieces_of_a_visible_set_join", ctx -> {
                    if (machineCores(ctx) < 4) {
                        throw ctx.skip("needs 4 cores");
                    }
                    try (NeuronRuntime rt =
                            ctx.open(ctx.options().visibleCores("0-1,2,3").build())) {
                        Expect.equal(ids(rt), List.of(0, 1, 2, 3));
                    }
                }),
                new Rule(
                        area,
                        "a_visible_set_that_does_not_increase_is_invalid",
                        ctx -> Expect.status(
                                Status.INVALID,
                                () -> ctx.open(ctx.options().visibleCores("1,0").build())
                                        .close())),
                new Rule(
                        area,
                        "a_visible_set_with_a_gap_is_invalid",
                        ctx -> Expect.status(
                                Status.INVALID,
                                () -> ctx.open(ctx.options().visibleCores("0,2").build())
                                        .close())),
                new Rule(area, "a_malformed_visible_set_is_invalid", ctx -> {
                    for (String bad : new String[] {"a-b", "1-", "-1", "3-1", "0,,1"}) {
                        Expect.status(
                                Status.INVALID,
                                () -> ctx.open(ctx.options().visibleCores(bad).build())
                                        .close());
                    }
                }),
                new Rule(area, "visible_cores_beyond_the_machine_are_a_resource_error", ctx -> {
                    int n = machineCores(ctx);
                    Expect.status(
                            Status.RESOURCE,
                            () -> ctx.open(ctx.options()
                                            .visibleCores(Integer.toString(n))
                                            .build())
                                    .close());
                }),
                new Rule(area, "num_cores_claims_that_many_from_the_first_free", ctx -> {
                    if (machineCores(ctx) < 2) {
                        throw ctx.skip("needs 2 cores");
                    }
                    try (NeuronRuntime rt = ctx.open(ctx.options().numCores(2).build())) {
                        Expect.equal(ids(rt), List.of(0, 1));
                    }
                }),
                new Rule(area, "visible_cores_win_over_num_cores", ctx -> {
                    if (machineCores(ctx) < 2) {
                        throw ctx.skip("needs 2 cores");
                    }
                    try (NeuronRuntime rt =
                            ctx.open(ctx.options().visibleCores("1").numCores(2).build())) {
                        Expect.equal(ids(rt), List.of(1));
                    }
                }),
                new Rule(area, "more_cores_than_the_machine_has_is_a_resource_error", ctx -> {
                    int n = machineCores(ctx);
                    Expect.status(
                            Status.RESOURCE,
                            () -> ctx.open(ctx.options().numCores(n + 1).build())
                                    .close());
                }),
                new Rule(area, "lnc_two_groups_two_physical_cores_per_logical_core", ctx -> {
                    RuntimeOptions.Builder machine = ctx.machineWhere(
                            "trn2.3xlarge",
                            c -> c.acceptsLnc(1) && c.acceptsLnc(2),
                            "logical cores of 1 and 2 physical cores (Trn2/Trn3)");
                    int pairs;
                    try (NeuronRuntime rt = ctx.open(machine.lnc(2).build())) {
                        pairs = rt.cores().size();
                        Expect.atLeast(pairs, 2);
                        Expect.equal(rt.cores().get(1).physicalCores(), List.of(2, 3));
                    }
                    try (NeuronRuntime rt = ctx.open(machine.lnc(1).build())) {
                        Expect.size(rt.cores(), 2 * pairs);
                        Expect.equal(rt.cores().get(3).physicalCores(), List.of(3));
                    }
                }),
                new Rule(area, "an_lnc_the_chip_does_not_have_is_invalid", ctx -> {
                    // On a simulated backend a chip with LNC 1 only; on hardware the machine's own chip and the
                    // smallest size it does not have (2 on Inf2/Trn1, 3 on Trn2).
                    RuntimeOptions.Builder machine =
                            ctx.simulated() ? ctx.options().instanceType("trn1.2xlarge") : ctx.options();
                    NeuronChip chip = ctx.instanceTypeOf(machine).chip();
                    int lnc = 1;
                    while (chip.acceptsLnc(lnc)) {
                        lnc++;
                    }
                    RuntimeOptions bad = machine.lnc(lnc).build();
                    Expect.status(Status.INVALID, () -> ctx.open(bad).close());
                }),
                new Rule(area, "a_core_held_by_one_runtime_is_refused_to_another", ctx -> {
                    RuntimeOptions one = ctx.options().visibleCores("0").build();
                    try (NeuronRuntime first = ctx.open(one)) {
                        // Another process, not another runtime of this one: the native backend refuses a second
                        // runtime in one process whatever cores it asks for, which would prove nothing here.
                        Expect.equal(
                                ctx.claimFromAnotherProcess(one),
                                Status.RESOURCE.name(),
                                "what another process got when it asked for core 0");
                    }
                    Expect.equal(
                            ctx.claimFromAnotherProcess(one),
                            ClaimFromAnotherProcess.CLAIMED,
                            "what another process got once core 0 was free again");
                }),
                new Rule(area, "a_closed_runtimes_cores_can_be_claimed_again", ctx -> {
                    RuntimeOptions one = ctx.options().visibleCores("0").build();
                    ctx.open(one).close();
                    try (NeuronRuntime again = ctx.open(one)) {
                        Expect.equal(ids(again), List.of(0));
                    }
                }),
                new Rule(area, "runtimes_on_different_cores_coexist", ctx -> {
                    if (machineCores(ctx) < 2) {
                        throw ctx.skip("needs 2 cores");
                    }
                    try (NeuronRuntime a =
                                    ctx.open(ctx.options().visibleCores("0").build());
                            NeuronRuntime b =
                                    ctx.open(ctx.options().visibleCores("1").build())) {
                        Expect.equal(ids(a), List.of(0));
                        Expect.equal(ids(b), List.of(1));
                    }
                }),
                new Rule(area, "num_cores_skips_cores_another_runtime_holds", ctx -> {
                    if (machineCores(ctx) < 3) {
                        throw ctx.skip("needs 3 cores");
                    }
                    try (NeuronRuntime a =
                                    ctx.open(ctx.options().visibleCores("0").build());
                            NeuronRuntime b = ctx.open(ctx.options().numCores(2).build())) {
                        Expect.doesNotContain(ids(b), 0);
                        Expect.size(ids(b), 2);
                    }
                }));
    }
}
