package dev.nrt4j.nativert;

import dev.nrt4j.HostTensor;
import dev.nrt4j.Model;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.TensorSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Run in a JVM of its own by {@link OlderLibnrtIT} (a JVM binds one libnrt): opens the native
 * backend on the library named by {@code nrt4j.libnrt}, runs a copy model, provokes a failure, and
 * prints what it saw as {@code key=value} lines.
 */
public final class OldRuntimeMain {
    private OldRuntimeMain() {}

    public static void main(String[] args) throws Exception {
        Path neff = Files.createTempFile("nrt4j-old", ".neff");
        try (NeuronRuntime rt =
                NeuronRuntime.open(RuntimeOptions.builder().backend("native").build())) {
            Files.write(neff, TestNeffs.copy(2));
            System.out.println("detail=" + rt.backend().detail());
            System.out.println("instance=" + rt.backend().instanceType());
            System.out.println("cores=" + rt.cores().size());
            try (Model m = rt.load(neff)) {
                Map<String, HostTensor> out = m.run(Map.of("input0", HostTensor.of(new float[] {5, 6}, 2)));
                System.out.println("output=" + out.get("output0").toFloatArray()[1]);
                try (TensorSet in = m.allocateInputs();
                        TensorSet async = m.allocateOutputs()) {
                    in.get("input0").write(new float[] {8, 9});
                    m.executeAsync(in, async).get(60, TimeUnit.SECONDS);
                    System.out.println("asyncOutput=" + async.get("output0").readFloats()[1]);
                }
            }
            try {
                rt.allocate("wrong core", 4, 7);
            } catch (NeuronException | IllegalArgumentException e) {
                System.out.println("error=" + e.getMessage());
            }
            try {
                Files.write(neff, new byte[2048]);
                rt.load(neff).close();
            } catch (NeuronException e) {
                System.out.println("loadError=" + e.status() + " " + e.getMessage());
            }
        } finally {
            Files.deleteIfExists(neff);
        }
    }
}
