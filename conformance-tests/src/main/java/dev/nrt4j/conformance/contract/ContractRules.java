package dev.nrt4j.conformance.contract;

import java.util.ArrayList;
import java.util.List;

/** Every rule of the runtime contract, area by area. */
public final class ContractRules {
    private ContractRules() {}

    /** All rules, in a stable order: discovery, cores, tensors, tensor sets, models, execute, memory, concurrency, collectives, lifecycle. */
    public static List<Rule> all() {
        List<Rule> all = new ArrayList<>();
        all.addAll(DiscoveryRules.all());
        all.addAll(CoreRules.all());
        all.addAll(TensorRules.all());
        all.addAll(TensorSetRules.all());
        all.addAll(ModelRules.all());
        all.addAll(ExecuteRules.all());
        all.addAll(MemoryRules.all());
        all.addAll(ConcurrencyRules.all());
        all.addAll(AsyncRules.all());
        all.addAll(CollectiveRules.all());
        all.addAll(LifecycleRules.all());
        return List.copyOf(all);
    }
}
