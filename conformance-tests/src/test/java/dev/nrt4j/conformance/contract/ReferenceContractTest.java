package dev.nrt4j.conformance.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.RuntimeOptions;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/** The whole contract on the reference device: every rule holds (none may be skipped there, it can simulate anything). */
@Isolated("claims simulated cores")
class ReferenceContractTest {
    @TempDir
    Path state;

    @Test
    void everyRuleHoldsOnTheReferenceDevice() {
        RuntimeOptions base = RuntimeOptions.builder(Map.of(), new Properties())
                .backend("reference")
                .stateDir(state)
                .instanceType("trn1.32xlarge")
                .build();
        List<Rule> rules = ContractRules.all();
        List<RuleOutcome> outcomes = new ContractRunner(base).run(rules, o -> {});
        assertThat(outcomes).hasSize(rules.size());
        assertThat(outcomes)
                .filteredOn(o -> o.status() != RuleOutcome.Status.PASS)
                .as("rules that did not pass")
                .isEmpty();
    }

    @Test
    void thereAreAtLeastSixtyUniquelyNamedRules() {
        List<Rule> rules = ContractRules.all();
        assertThat(rules.size()).isGreaterThanOrEqualTo(60);
        Set<String> ids = new HashSet<>();
        rules.forEach(
                r -> assertThat(ids.add(r.id())).as("duplicate rule %s", r.id()).isTrue());
        assertThat(rules).allSatisfy(r -> assertThat(r.name()).matches("[a-z0-9_]+"));
    }
}
