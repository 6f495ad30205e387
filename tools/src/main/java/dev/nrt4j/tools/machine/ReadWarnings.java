package dev.nrt4j.tools.machine;

import java.io.PrintWriter;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Where the monitoring commands report machine state they skipped (a junk sysfs counter, a runtime
 * record that does not hold up): each distinct problem once, as one {@code nrt4j: warning: ...} line
 * on the command's error stream, however many refreshes meet it again. Thread-safe.
 */
public final class ReadWarnings implements Consumer<String> {
    private final PrintWriter err;
    private final Set<String> seen = new HashSet<>();

    /**
     * Warnings printed on {@code err}.
     *
     * @param err the command's error stream
     */
    public ReadWarnings(PrintWriter err) {
        this.err = err;
    }

    /**
     * Prints {@code problem} unless printed before.
     *
     * @param problem what was skipped and why, one line
     */
    @Override
    public synchronized void accept(String problem) {
        if (seen.add(problem)) {
            err.println("nrt4j: warning: " + problem);
            err.flush();
        }
    }
}
