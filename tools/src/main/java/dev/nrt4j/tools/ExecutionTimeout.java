package dev.nrt4j.tools;

import dev.nrt4j.NeuronException;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The {@code --timeout SECONDS} option of the commands that execute models ({@code run}, {@code bench}):
 * how long one execution may run before it fails with {@link Status#TIMEOUT}, as
 * {@code NEURON_RT_EXEC_TIMEOUT}. Without it the variable, else the backend's default applies (on the
 * reference device, libnrt's default for the chip). Not thread-safe; picocli fills it once.
 */
public final class ExecutionTimeout {
    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            description =
                    "Fail an execution that runs longer than this, as NEURON_RT_EXEC_TIMEOUT (default: that variable,"
                            + " else the runtime's default, 600 s on trn1/inf2/trn2).")
    Double seconds;

    /**
     * {@code options} with the timeout given, if any.
     *
     * @throws NeuronException {@link Status#INVALID} for a timeout that is not a positive number of seconds
     */
    public RuntimeOptions applyTo(RuntimeOptions options, String command) {
        if (seconds == null) {
            return options;
        }
        if (!(seconds > 0) || seconds.isInfinite() || seconds > Long.MAX_VALUE / 1e9) {
            throw new NeuronException(
                    Status.INVALID, command, "--timeout must be a positive number of seconds, got " + seconds);
        }
        return options.toBuilder()
                .execTimeout(Duration.ofNanos(Math.max(1, Math.round(seconds * 1e9))))
                .build();
    }
}
