package dev.nrt4j.samples;

import dev.nrt4j.NeuronException;

/**
 * How a sample's {@code main} ends when the runtime refuses what it was asked (a core that does not
 * exist, a batch too large for the device): the refusal's one line and exit status 1, as a command line
 * tool would, not a Java stack trace. Stateless.
 */
final class SampleExit {
    private SampleExit() {}

    /** Runs {@code body}; a {@link NeuronException} or bad argument becomes one line on stderr and exit 1. */
    static void onFailure(String sample, Runnable body) {
        try {
            body.run();
        } catch (NeuronException | IllegalArgumentException e) {
            System.err.println(sample + ": " + e.getMessage());
            System.exit(1);
        }
    }
}
