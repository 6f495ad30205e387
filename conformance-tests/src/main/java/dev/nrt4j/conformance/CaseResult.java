package dev.nrt4j.conformance;

import java.util.Locale;

/**
 * The outcome of one corpus case on one backend.
 *
 * @param caseName the case directory's name
 * @param outcome pass, fail, error or unsupported
 * @param detail why it failed, errored or is unsupported; empty for a pass
 * @param knownFailure whether this is a failure the known-failures list names, within its bound if it has one
 *     (it then does not fail a run)
 * @param millis how long loading and running took
 * @param worstError how far the outputs were from the expected ones at worst; {@link WorstError#NONE} when
 *     no output was compared
 */
public record CaseResult(
        String caseName, Outcome outcome, String detail, boolean knownFailure, long millis, WorstError worstError) {
    /** The outcomes, as the JSON report spells them in lower case. */
    public enum Outcome {
        /** Every output matched. */
        PASS,
        /** An output did not match. */
        FAIL,
        /** Loading or running failed. */
        ERROR,
        /** The backend cannot run this kind of case yet (e.g. several replicas). */
        UNSUPPORTED;

        /** The report's spelling. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A result without a measured error. */
    public CaseResult(String caseName, Outcome outcome, String detail, boolean knownFailure, long millis) {
        this(caseName, outcome, detail, knownFailure, millis, WorstError.NONE);
    }

    /** Whether this result makes a run fail: a fail or error not in the known-failures list. */
    public boolean failsTheRun() {
        return (outcome == Outcome.FAIL || outcome == Outcome.ERROR) && !knownFailure;
    }
}
