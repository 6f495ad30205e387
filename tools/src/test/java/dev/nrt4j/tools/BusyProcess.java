package dev.nrt4j.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Another process executing a model in a loop on a reference device ({@link ModelLoopProcess} in a second
 * JVM), for tests of the monitoring commands, which must see other processes' work. Its output is read
 * off-thread so no wait can hang. Close it to stop it.
 */
public final class BusyProcess implements AutoCloseable {
    /** A 64x64 matrix product: enough arithmetic that the core is measurably busy, quick enough to loop. */
    public static final String MATMUL = String.join(
            "\n",
            "HloModule matmul",
            "ENTRY e {",
            "  a = f32[64,64] parameter(0)",
            "  b = f32[64,64] parameter(1)",
            "  ROOT d = f32[64,64] dot(a, b), lhs_contracting_dims={1}, rhs_contracting_dims={0}",
            "}");

    private static final long WAIT_SECONDS = 30;

    /** The child. */
    public final Process process;

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private BusyProcess(Process process) {
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
                "busy-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a child that holds logical core {@code core} of {@code instanceType} in {@code stateDir}, keeps a
     * device tensor of {@code tensorBytes} and executes {@link #MATMUL} until closed; returns once it executes.
     */
    public static BusyProcess start(Path stateDir, String instanceType, int core, long tensorBytes)
            throws IOException, InterruptedException {
        Path model = Files.writeString(Files.createTempFile(stateDir, "matmul", ".hlo.txt"), MATMUL);
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder pb = new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-Xss4m",
                ModelLoopProcess.class.getName(),
                stateDir.toString(),
                instanceType,
                Integer.toString(core),
                model.toString(),
                Long.toString(tensorBytes));
        pb.redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("NEURON_") || k.startsWith("NRT4J_"));
        BusyProcess child = new BusyProcess(pb.start());
        child.awaitLine("READY ");
        return child;
    }

    /** The child's pid. */
    public long pid() {
        return process.pid();
    }

    /** The next line starting {@code prefix}; fails the test after {@value #WAIT_SECONDS} s. */
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

    /** Asks the child to stop, then ends it for sure. */
    @Override
    public void close() {
        try {
            Writer w = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            w.write("stop\n");
            w.flush();
        } catch (IOException e) {
            // Already gone.
        }
        try {
            if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
