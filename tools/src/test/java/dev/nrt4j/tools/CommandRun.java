package dev.nrt4j.tools;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one run of the command line printed and returned, for tests of commands in any package.
 *
 * @param status the exit status
 * @param out what went to stdout
 * @param err what went to stderr
 */
public record CommandRun(int status, String out, String err) {
    /** Runs {@code nrt4j args...} in this JVM. */
    public static CommandRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Nrt4jCommand.run(args, new PrintWriter(out), new PrintWriter(err));
        return new CommandRun(status, out.toString(), err.toString());
    }

    /**
     * Runs {@code nrt4j command args...} on the reference device posing as {@code instanceType}, with its
     * machine state (the simulated driver's files, runtime records, core claims) in {@code stateDir}: each
     * test's own machine, never the user's.
     */
    public static CommandRun onReferenceMachine(String instanceType, Path stateDir, String command, String... args) {
        List<String> all = new ArrayList<>(List.of(
                command, "--backend=reference", "--instance-type", instanceType, "--state-dir", stateDir.toString()));
        all.addAll(List.of(args));
        return of(all.toArray(String[]::new));
    }
}
