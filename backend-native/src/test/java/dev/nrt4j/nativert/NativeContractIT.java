package dev.nrt4j.nativert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.conformance.KnownFailures;
import dev.nrt4j.conformance.contract.ContractRules;
import dev.nrt4j.conformance.contract.ContractRunner;
import dev.nrt4j.conformance.contract.RuleOutcome;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The contract kit on the native backend through the libnrt double, with this JVM's binding (FFM on
 * 22+, JNA on the JDK 17 leg): every rule passes, is skipped for a reason the double or the machine
 * gives (a program the double cannot run, too few cores, a simulated instance type), or is a known
 * difference of the native backend listed with its reason.
 */
class NativeContractIT {
    @Test
    void everyRulePassesIsSkippedWithAReasonOrIsAKnownDifference() {
        LibnrtDouble.use();
        RuntimeOptions base = RuntimeOptions.builder().backend(NativeBackendProvider.NAME).build();
        KnownFailures known = KnownFailures.bundledRuleDifferences(NativeBackendProvider.NAME);
        List<RuleOutcome> outcomes = new ContractRunner(base, new DoublePrograms(), known).run(ContractRules.all(), o -> { });

        Map<RuleOutcome.Status, Long> counts = outcomes.stream()
                .collect(Collectors.groupingBy(RuleOutcome::status, Collectors.counting()));
        // Not the summary line itself: CI reads "N passed, N failed" lines as test-runner totals.
        System.out.println("contract on the native backend (libnrt double): " + counts + " of " + outcomes.size() + " rules");

        assertThat(outcomes).filteredOn(RuleOutcome::failsTheRun).as("rules broken without a known reason").isEmpty();
        assertThat(outcomes).filteredOn(o -> o.status() == RuleOutcome.Status.SKIPPED)
                .allSatisfy(o -> assertThat(o.detail()).isNotBlank());
        for (RuleOutcome o : outcomes) {
            if (known.reason(o.rule()).isPresent()) {
                assertThat(o.knownDifference()).as("%s is listed as a known difference but did not fail", o.rule()).isTrue();
            }
        }
        assertThat(counts.get(RuleOutcome.Status.PASS)).as("rules that pass on the double").isGreaterThanOrEqualTo(70);
        assertThat(LibnrtDouble.live(LibnrtDouble.TENSORS)).as("live tensors in libnrt").isZero();
        assertThat(LibnrtDouble.live(LibnrtDouble.MODELS)).as("live models in libnrt").isZero();
        assertThat(LibnrtDouble.misuse()).as("dead handles passed to libnrt").isZero();
    }
}
