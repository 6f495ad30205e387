package dev.nrt4j.conformance.contract;

/** What a rule does: it passes by returning, fails with an {@link AssertionError}, and may skip. */
@FunctionalInterface
public interface RuleBody {
    /**
     * Checks the rule.
     *
     * @throws Exception anything unexpected, which counts as an error of the backend under test
     */
    void check(RuleContext context) throws Exception;
}
