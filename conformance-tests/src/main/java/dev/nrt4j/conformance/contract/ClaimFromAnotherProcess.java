package dev.nrt4j.conformance.contract;

import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The other process of the rule that cores belong to one runtime at a time across processes: a JVM
 * started with the kit's class path that opens a runtime with the options its system properties name,
 * closes it, and prints a line {@value #ANSWER} followed by {@value #CLAIMED} or the {@link dev.nrt4j.Status}
 * it was refused with (a backend's library may print its own lines around it). A separate process, because a second runtime in the same process proves nothing on a backend
 * (libnrt) that allows one runtime per process whatever the cores.
 */
public final class ClaimFromAnotherProcess {
    /** What the child prints when it got the cores. */
    public static final String CLAIMED = "CLAIMED";
    /** How the child's answer line starts. */
    public static final String ANSWER = "nrt4j claim: ";

    private ClaimFromAnotherProcess() {}

    /**
     * Opens and closes a runtime with the options of this JVM's properties and environment; prints
     * {@value #CLAIMED} or the refusal's status name, then its message.
     *
     * @param args none
     */
    public static void main(String[] args) {
        try (NeuronRuntime rt = NeuronRuntime.open()) {
            System.out.println(ANSWER + CLAIMED);
            System.out.println(rt.cores());
        } catch (NeuronException e) {
            System.out.println(ANSWER + e.status().name());
            System.out.println(e.getMessage());
        }
        System.out.flush();
        // The runtime is closed; exit at once rather than wait for non-daemon threads a backend may keep.
        Runtime.getRuntime().halt(0);
    }

    /**
     * Runs the child with {@code options} and this JVM's other {@code nrt4j.*} properties (how a backend
     * was pointed at its library, compiler or driver tree), and returns its answer.
     *
     * @throws AssertionError if it did not answer within {@code timeoutSeconds} or failed otherwise
     */
    static String run(RuntimeOptions options, long timeoutSeconds) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("nrt4j.")) {
                command.add("-D" + name + "=" + System.getProperty(name));
            }
        }
        for (Map.Entry<String, String> e : options.toSystemProperties().entrySet()) {
            command.add("-D" + e.getKey() + "=" + e.getValue());
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ClaimFromAnotherProcess.class.getName());
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("cannot start another JVM (" + command.get(0) + "): " + e, e);
        }
        try (InputStream out = p.getInputStream()) {
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the other process did not answer within " + timeoutSeconds + " s");
            }
            String text = new String(out.readAllBytes(), StandardCharsets.UTF_8).strip();
            String answer =
                    text.lines().filter(l -> l.startsWith(ANSWER)).findFirst().orElse("");
            if (p.exitValue() != 0 || answer.isEmpty()) {
                throw new AssertionError("the other process failed (exit " + p.exitValue() + "): " + text);
            }
            return answer.substring(ANSWER.length()).strip();
        } catch (IOException e) {
            throw new AssertionError("cannot read the other process's answer: " + e, e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while the other process ran", e);
        }
    }
}
