package dev.nrt4j.tools;

import dev.nrt4j.testsupport.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Another process executing a model in a loop on a reference device ({@link ModelLoopProcess} in a second
 * JVM), for tests of the monitoring commands, which must see other processes' work. Close it to stop it.
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

    private final ChildJvm child;

    private BusyProcess(ChildJvm child) {
        this.child = child;
    }

    /**
     * Starts a child that holds logical core {@code core} of {@code instanceType} in {@code stateDir}, keeps a
     * device tensor of {@code tensorBytes} and executes {@link #MATMUL} until closed; returns once it executes.
     */
    public static BusyProcess start(Path stateDir, String instanceType, int core, long tensorBytes)
            throws IOException, InterruptedException {
        Path model = Files.writeString(Files.createTempFile(stateDir, "matmul", ".hlo.txt"), MATMUL);
        BusyProcess busy = new BusyProcess(ChildJvm.start(
                List.of("-Xss4m"),
                ModelLoopProcess.class,
                stateDir.toString(),
                instanceType,
                Integer.toString(core),
                model.toString(),
                Long.toString(tensorBytes)));
        try {
            busy.awaitLine("READY ");
        } catch (AssertionError | InterruptedException e) {
            busy.close();
            throw e;
        }
        return busy;
    }

    /** The child's pid. */
    public long pid() {
        return child.pid();
    }

    /** The next line starting {@code prefix}; fails the test after {@value ChildJvm#WAIT_SECONDS} s. */
    public String awaitLine(String prefix) throws InterruptedException {
        return child.awaitLine(prefix);
    }

    /** Asks the child to stop, then ends it for sure. */
    @Override
    public void close() {
        try {
            child.send("stop");
            child.awaitExit();
        } catch (IOException e) {
            // Already gone.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            child.close();
        }
    }
}
