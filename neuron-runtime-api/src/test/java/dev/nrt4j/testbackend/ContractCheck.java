package dev.nrt4j.testbackend;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the test after which the API layer broke the SPI contract, including breaches on threads
 * (the Cleaner's, executors') whose errors a test would never see.
 */
public final class ContractCheck implements AfterEachCallback {
    @Override
    public void afterEach(ExtensionContext context) {
        var violations = MemoryBackend.takeViolations();
        if (!violations.isEmpty()) {
            throw new AssertionError("SPI contract violations: " + violations);
        }
    }
}
