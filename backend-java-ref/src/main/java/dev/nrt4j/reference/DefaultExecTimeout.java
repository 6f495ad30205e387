package dev.nrt4j.reference;

import dev.nrt4j.device.NeuronChip;
import java.time.Duration;

/**
 * The execution timeout libnrt applies when {@code NEURON_RT_EXEC_TIMEOUT} is not set, by chip. The
 * reference device applies the same so that a runaway program (an endless {@code while}) ends with
 * {@link dev.nrt4j.Status#TIMEOUT} as it would on hardware, instead of holding its core forever.
 *
 * <p>The Neuron docs disagree on the figure (research notes, nrt-api.md §7): the developer guide gives
 * 30 s on inf1 and 600 s on trn1/inf2, and AWS's trn2 tutorials set 600 s. Trainium3 is not
 * documented yet; it is given the figure of its predecessor.
 */
final class DefaultExecTimeout {
    private DefaultExecTimeout() {}

    /** The default timeout for executions on {@code chip}; never null. */
    static Duration of(NeuronChip chip) {
        return chip == NeuronChip.INFERENTIA ? Duration.ofSeconds(30) : Duration.ofSeconds(600);
    }
}
