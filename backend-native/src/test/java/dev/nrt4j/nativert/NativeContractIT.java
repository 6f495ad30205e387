package dev.nrt4j.nativert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.conformance.KnownFailures;
import dev.nrt4j.conformance.contract.ContractRules;
import dev.nrt4j.conformance.contract.ContractRunner;
import dev.nrt4j.conformance.contract.RuleOutcome;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The contract kit on the native backend through the libnrt double, posing as a trn1.32xlarge (32
 * cores), with this JVM's binding (FFM on 22+, JNA on the JDK 17 leg): every rule passes, or is a known
 * difference of the native backend (bundled, with its reason), or is one the double cannot check
 * ({@code double-skipped-rules.txt}, with the reason) and is skipped.
 */
class NativeContractIT {
    @Test
    void everyRulePassesOrIsListedWithItsReason() throws Exception {
        LibnrtDouble.use();
        RuntimeOptions base = RuntimeOptions.builder().backend(NativeBackendProvider.NAME).build();
        KnownFailures known = KnownFailures.bundledRuleDifferences(NativeBackendProvider.NAME);
        KnownFailures cannotCheck = KnownFailures.read(Path.of(NativeContractIT.class.getResource("double-skipped-rules.txt").toURI()));
        List<RuleOutcome> outcomes;
        try (LibnrtDouble.AutoCloseableInstance trn1 = LibnrtDouble.posingAs("trn1.32xlarge")) {
            outcomes = new ContractRunner(base, new DoublePrograms(), known).run(ContractRules.all(), o -> { });
        }

        Map<RuleOutcome.Status, Long> counts = outcomes.stream()
                .collect(Collectors.groupingBy(RuleOutcome::status, Collectors.counting()));
        // Not the summary line itself: CI reads "N passed, N failed" lines as test-runner totals.
        System.out.println("contract on the native backend (libnrt double): " + counts + " of " + outcomes.size() + " rules");

        assertThat(outcomes).filteredOn(RuleOutcome::failsTheRun).as("rules broken without a known reason").isEmpty();
        for (RuleOutcome o : outcomes) {
            if (known.reason(o.rule()).isPresent()) {
                assertThat(o.knownDifference()).as("%s is listed as a known difference but did not fail", o.rule()).isTrue();
            }
            assertThat(o.status() == RuleOutcome.Status.SKIPPED).as("%s is skipped (%s) exactly when listed as one the double cannot check",
                    o.rule(), o.detail()).isEqualTo(cannotCheck.reason(o.rule()).isPresent());
        }
        assertThat(LibnrtDouble.live(LibnrtDouble.TENSORS)).as("live tensors in libnrt").isZero();
        assertThat(LibnrtDouble.live(LibnrtDouble.MODELS)).as("live models in libnrt").isZero();
        assertThat(LibnrtDouble.misuse()).as("dead handles passed to libnrt").isZero();
    }
}
