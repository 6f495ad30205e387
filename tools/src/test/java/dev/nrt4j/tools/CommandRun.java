package dev.nrt4j.tools;

import java.io.PrintWriter;
import java.io.StringWriter;

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
}
