package dev.nrt4j.tools;

import dev.nrt4j.NeuronException;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --profile FILE} option of the commands that execute models ({@code run}, {@code bench}): sets
 * {@link RuntimeOptions#profileOutput()}, and once the runtime has closed prints where the profile is and, for
 * the reference device's Chrome trace, the ops that took the most time. Without it nothing is profiled or
 * written. Not thread-safe; picocli fills it once.
 */
public final class ProfileOption {
    @Option(
            names = "--profile",
            paramLabel = "FILE",
            description = "Write a Chrome trace of every executed instruction to FILE (opens in Perfetto or"
                    + " chrome://tracing) and print the top ops by time. On the native backend FILE is a"
                    + " directory for libnrt's inspect profiles (NTFF).")
    Path file;

    /** {@return {@code options} profiling to the given file, or {@code options} unchanged without --profile} */
    public RuntimeOptions applyTo(RuntimeOptions options) {
        return file == null ? options : options.toBuilder().profileOutput(file).build();
    }

    /**
     * After the runtime has closed: where the profile is, and the reference trace's top ops by time.
     *
     * @throws NeuronException {@link Status#INVALID} when the trace file cannot be read back as a trace
     */
    public void printSummary(PrintWriter out) {
        if (file == null) {
            return;
        }
        if (Files.isDirectory(file)) {
            out.println("profile: libnrt's inspect output is in " + file + " (open it with neuron-profile)");
            return;
        }
        TraceSummary summary = TraceSummary.read(file);
        out.println("profile: " + summary.events() + " events in " + file
                + " (open it in https://ui.perfetto.dev or chrome://tracing)");
        summary.print(out);
    }
}
