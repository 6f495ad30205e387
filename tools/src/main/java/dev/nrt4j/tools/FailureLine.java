package dev.nrt4j.tools;

import dev.nrt4j.NeuronException;

/**
 * The one line a command prints for a failure when {@code --debug} is not given: what failed and what to
 * do, never a Java exception's class name, which tells a user of the CLI nothing. Stateless.
 */
final class FailureLine {
    private FailureLine() {}

    /**
     * The line for {@code failure} in command {@code command}, without the {@code nrt4j: } prefix. Messages
     * quote names from models (an instruction, a tensor), so the line is {@link TerminalText#escape escaped}:
     * it stays one line and cannot drive the terminal.
     */
    static String of(String command, Throwable failure) {
        return TerminalText.escape(unescaped(command, failure));
    }

    private static String unescaped(String command, Throwable failure) {
        if (failure instanceof NeuronException) {
            return failure.getMessage();
        }
        if (failure instanceof OutOfMemoryError) {
            return command + " failed: the Java heap ran out; give the JVM more memory, e.g. NRT4J_JAVA_OPTS=-Xmx8g";
        }
        if (failure instanceof StackOverflowError) {
            return command + " failed: the input nests too deeply for the Java stack; give threads more stack,"
                    + " e.g. NRT4J_JAVA_OPTS=-Xss16m, or simplify the input";
        }
        String message = failure.getMessage();
        if (message == null || message.isBlank()) {
            return command + " failed unexpectedly; run again with --debug and report the stack trace";
        }
        return command + " failed: " + message.lines().findFirst().orElse(message);
    }
}
