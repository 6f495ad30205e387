package dev.nrt4j.tools;

import dev.nrt4j.LoadOptions;
import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Tensor;
import dev.nrt4j.TensorSet;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The busy process of the monitoring tests, run as a second JVM: opens a reference runtime on
 * {@code <state dir> <instance type> <visible cores>}, allocates a device tensor of {@code <bytes>},
 * loads {@code <model>} and executes it in a loop, printing {@code READY <pid>} once the first execution
 * is done and {@code EXECUTED <n>} when a line (or end of input) on stdin stops it.
 */
public final class ModelLoopProcess {
    private ModelLoopProcess() {}

    @SuppressWarnings("try") // the held tensor is there only to occupy device memory the tools must see
    public static void main(String[] args) throws Exception {
        RuntimeOptions options = RuntimeOptions.builder(Map.of(), new Properties())
                .backend("reference")
                .stateDir(Path.of(args[0]))
                .instanceType(args[1])
                .visibleCores(args[2])
                .build();
        AtomicBoolean stop = new AtomicBoolean();
        Thread stdin = new Thread(
                () -> {
                    try {
                        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                    } catch (java.io.IOException e) {
                        // Treated as the end of input.
                    }
                    stop.set(true);
                },
                "stdin");
        stdin.setDaemon(true);
        stdin.start();
        long executed = 0;
        try (NeuronRuntime rt = NeuronRuntime.open(options);
                Tensor held = rt.allocate("held", Long.parseLong(args[4]), 0);
                Model model = rt.load(ModelSource.of(Path.of(args[3])), LoadOptions.anyCore());
                TensorSet inputs = model.allocateInputs();
                TensorSet outputs = model.allocateOutputs()) {
            model.execute(inputs, outputs);
            executed++;
            System.out.println("READY " + ProcessHandle.current().pid());
            System.out.flush();
            while (!stop.get()) {
                model.execute(inputs, outputs);
                executed++;
            }
        }
        System.out.println("EXECUTED " + executed);
    }
}
