package dev.nrt4j.conformance.contract;

import java.util.Locale;

/**
 * How one rule went on one backend.
 *
 * @param rule the rule's id ({@code area/name})
 * @param backend the backend's name
 * @param status the verdict
 * @param detail why it failed, errored or was skipped; empty when it passed
 * @param knownDifference whether it failed or errored as the backend's list of known differences says it does
 * @param millis how long it took
 */
public record RuleOutcome(
        String rule, String backend, Status status, String detail, boolean knownDifference, long millis) {
    /** A rule's verdict. */
    public enum Status {
        /** The backend behaved as the contract says. */
        PASS,
        /** It behaved otherwise: an expectation of the rule did not hold. */
        FAIL,
        /** Something unexpected was thrown, or the rule left resources open. */
        ERROR,
        /** The rule cannot be checked here. */
        SKIPPED;

        /** The lower-case name reports use. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether this outcome fails a run: it failed or errored, and not as a known difference. */
    public boolean failsTheRun() {
        return (status == Status.FAIL || status == Status.ERROR) && !knownDifference;
    }
}
