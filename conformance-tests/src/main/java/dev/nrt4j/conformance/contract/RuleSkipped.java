package dev.nrt4j.conformance.contract;

/**
 * Thrown by a rule that cannot be checked on this backend or machine (too few cores, a chip without
 * logical core sizes); the reason goes into the report.
 */
public final class RuleSkipped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RuleSkipped(String reason) {
        super(reason, null, false, false);
    }
}
