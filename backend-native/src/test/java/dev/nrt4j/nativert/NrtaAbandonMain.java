package dev.nrt4j.nativert;

import dev.nrt4j.LoadOptions;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronException;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.TensorPlacement;
import dev.nrt4j.nativert.binding.LibNrt;
import dev.nrt4j.spi.TensorHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Run in a JVM of its own by {@link NrtaAsyncIT} (it leaves the double with the sets it abandons on
 * purpose): schedules an endless request, closes the async path from an interrupted thread, and prints
 * what it saw as {@code key=value} lines.
 */
public final class NrtaAbandonMain {
    private NrtaAbandonMain() {}

    public static void main(String[] args) throws Exception {
        LibnrtDouble.use();
        Path neff = Files.createTempFile("nrt4j-forever", ".neff");
        try {
            Files.write(neff, TestNeffs.loopForever());
            NativeRuntime rt = (NativeRuntime) new NativeBackendProvider()
                    .open(RuntimeOptions.builder()
                            .execTimeout(Duration.ofSeconds(2))
                            .build());
            LibNrt lib = rt.lib();
            NativeModel m = (NativeModel) rt.load(ModelSource.of(neff), LoadOptions.onCore(0));
            TensorHandle in = rt.allocate(TensorPlacement.DEVICE, 0, 4, "in");
            TensorHandle out = rt.allocate(TensorPlacement.DEVICE, 0, 4, "out");
            long before = lib.nrtaGetSequence(0, LibNrt.NRTA_XU_COMPUTE, 0);
            CompletableFuture<Void> running =
                    m.submit(Map.of("input0", in), Map.of("output0", out)).toCompletableFuture();
            long start = System.nanoTime();
            Thread.currentThread().interrupt();
            rt.nrta().orElseThrow().close();
            System.out.println("closeMillis=" + (System.nanoTime() - start) / 1_000_000);
            System.out.println("interrupted=" + Thread.interrupted());
            try {
                running.get();
                System.out.println("future=completed");
            } catch (ExecutionException e) {
                System.out.println("future=" + ((NeuronException) e.getCause()).status());
            }
            // The device still runs it; libnrt writes its exec_ret into the memory kept for it.
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (lib.nrtaGetSequence(0, LibNrt.NRTA_XU_COMPUTE, 0) == before && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            System.out.println("completedOnDevice=" + (lib.nrtaGetSequence(0, LibNrt.NRTA_XU_COMPUTE, 0) != before));
            in.free();
            out.free();
            m.unload();
            rt.close();
            System.out.println("misuse=" + LibnrtDouble.misuse());
            System.out.println("liveSets=" + LibnrtDouble.live(LibnrtDouble.SETS));
        } finally {
            Files.deleteIfExists(neff);
        }
    }
}
