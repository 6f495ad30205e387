package dev.nrt4j.tools.machine;

import java.util.List;
import java.util.Set;

/**
 * What {@code ls} and {@code top} call a process: its {@code NEURON_PROCESS_TAG} when it set one, and for
 * a Java process its main class (or jar) and arguments rather than the JVM's options, which fill the
 * column ({@code java --enable-native-access=ALL-UNNAM…} for every nrt4j process). Stateless.
 */
public final class ProcessName {
    /** JVM options whose value is the next word. */
    private static final Set<String> WITH_VALUE = Set.of(
            "-cp",
            "-classpath",
            "--class-path",
            "-p",
            "--module-path",
            "--upgrade-module-path",
            "--add-modules",
            "--add-opens",
            "--add-exports",
            "--add-reads",
            "--patch-module",
            "--limit-modules",
            "--enable-native-access");

    private ProcessName() {}

    /**
     * The name of process {@code pid}: {@code tag} when it is set and not just the pid (the runtime record
     * writes the pid when there is no tag), else {@link #command}.
     *
     * @param commandLine the command line, words joined by spaces; not null
     * @param tag the process tag from its runtime record, or empty or null
     * @param pid the process
     */
    public static String of(String commandLine, String tag, long pid) {
        if (tag != null && !tag.isEmpty() && !tag.equals(Long.toString(pid))) {
            return tag;
        }
        return command(commandLine);
    }

    /**
     * {@code commandLine} with a JVM's launcher and options left out: {@code java -cp x --add-modules m
     * dev.nrt4j.tools.Nrt4jCommand ls} is {@code Nrt4jCommand ls}, {@code java -jar /a/nrt4j.jar ls} is
     * {@code nrt4j.jar ls}; any other command line is returned as it is.
     */
    public static String command(String commandLine) {
        List<String> words = List.of(commandLine.strip().split(" +"));
        if (words.isEmpty() || !isJava(words.get(0))) {
            return commandLine;
        }
        for (int i = 1; i < words.size(); i++) {
            String w = words.get(i);
            if (w.equals("-jar") || w.equals("-m") || w.equals("--module")) {
                if (i + 1 < words.size()) {
                    return join(lastPart(words.get(i + 1)), words.subList(i + 2, words.size()));
                }
                return commandLine;
            }
            if (WITH_VALUE.contains(w)) {
                i++;
            } else if (!w.startsWith("-")) {
                return join(lastPart(w), words.subList(i + 1, words.size()));
            }
        }
        return commandLine;
    }

    private static boolean isJava(String launcher) {
        String name = launcher.substring(launcher.lastIndexOf('/') + 1);
        return name.equals("java") || name.equals("javaw");
    }

    /** A jar's file name, a module's main class, or a class's simple name. */
    private static String lastPart(String s) {
        String tail = s.substring(Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\')) + 1);
        if (tail.endsWith(".jar")) {
            return tail;
        }
        return tail.substring(tail.lastIndexOf('.') + 1);
    }

    private static String join(String main, List<String> args) {
        return args.isEmpty() ? main : main + " " + String.join(" ", args);
    }
}
