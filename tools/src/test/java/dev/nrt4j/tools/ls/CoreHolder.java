package dev.nrt4j.tools.ls;

import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The other process of {@link LsCommandTest}: opens a reference runtime on
 * {@code <state dir> <instance type> <visible cores>}, prints {@code OPEN <pid>}, and closes it when its
 * input ends.
 */
public final class CoreHolder {
    private CoreHolder() {
    }

    public static void main(String[] args) throws Exception {
        RuntimeOptions options = RuntimeOptions.builder(Map.of(), new Properties()).backend("reference")
                .stateDir(Path.of(args[0])).instanceType(args[1]).visibleCores(args[2]).build();
        try (NeuronRuntime rt = NeuronRuntime.open(options)) {
            System.out.println("OPEN " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // Hold the cores until the parent closes our input.
            }
        }
    }
}
