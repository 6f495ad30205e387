package dev.nrt4j.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM running a main class from this test's class path, for tests that need another process: one
 * that holds cores, or executes models for the monitoring tools to see. It starts without nrt4j's and
 * Neuron's environment variables, so only its arguments configure it; its stdout and stderr are read line by
 * line off-thread, so no wait on it can hang; lines go to it on its stdin. Not thread-safe: one test drives
 * it. Close it to end it.
 */
public final class ChildJvm implements AutoCloseable {
    /** How long any wait on the child lasts before the test fails. */
    public static final long WAIT_SECONDS = 30;

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private ChildJvm(Process process, String name) {
        this.process = process;
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = in.readLine()) != null; ) {
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        lines.add("READ-ERROR " + e);
                    }
                },
                name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code java <jvmOptions> -cp <this class path> <main> <args>}.
     *
     * @param jvmOptions options before the class path, e.g. {@code -Xss4m}
     * @param main the class whose {@code main} runs
     * @param args its arguments
     * @return the running child
     * @throws IOException if the JVM cannot be started
     */
    public static ChildJvm start(List<String> jvmOptions, Class<?> main, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("NEURON_") || k.startsWith("NRT4J_"));
        return new ChildJvm(pb.start(), main.getSimpleName());
    }

    /** {@return the child process} */
    public Process process() {
        return process;
    }

    /** {@return the child's pid} */
    public long pid() {
        return process.pid();
    }

    /**
     * The next line the child prints that starts with {@code prefix}; the lines before it are passed over.
     *
     * @throws AssertionError if none comes within {@value #WAIT_SECONDS} s, naming what the child printed and
     *     how it exited
     */
    public String awaitLine(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new AssertionError("no line starting '" + prefix + "' from the child within " + WAIT_SECONDS
                        + " s; it printed " + seen + (process.isAlive() ? "" : " and exited " + process.exitValue()));
            }
            seen.add(line);
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /**
     * Sends the child one line on its stdin.
     *
     * @throws IOException if the child has closed its stdin (it has exited, say)
     */
    public void send(String line) throws IOException {
        Writer w = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        w.write(line + "\n");
        w.flush();
    }

    /**
     * Waits up to {@value #WAIT_SECONDS} s for the child to exit by itself.
     *
     * @return whether it exited
     */
    public boolean awaitExit() throws InterruptedException {
        return process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Ends the child for sure, waiting up to {@value #WAIT_SECONDS} s for it to go. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
