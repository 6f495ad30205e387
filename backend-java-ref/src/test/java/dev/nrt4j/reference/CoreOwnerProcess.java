package dev.nrt4j.reference;

import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The other process of {@link CoreOwnershipAcrossProcessesTest}: opens a reference runtime on
 * {@code <state dir> <instance type> <visible cores> [<lnc> [<tensor bytes>]]}, allocates a tensor of that
 * many bytes on its first core if asked, prints {@code OPEN <pid>}, and closes it when a line (or end of
 * input) arrives on stdin.
 */
public final class CoreOwnerProcess {
    private CoreOwnerProcess() {}

    public static void main(String[] args) throws Exception {
        RuntimeOptions.Builder b = RuntimeOptions.builder(Map.of(), new Properties())
                .backend("reference")
                .stateDir(Path.of(args[0]))
                .instanceType(args[1])
                .visibleCores(args[2]);
        if (args.length > 3) {
            b.lnc(Integer.parseInt(args[3]));
        }
        try (NeuronRuntime rt = NeuronRuntime.open(b.build())) {
            if (args.length > 4) {
                rt.allocate("held", Long.parseLong(args[4]), 0);
            }
            System.out.println("OPEN " + ProcessHandle.current().pid());
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } catch (NeuronException e) {
            System.out.println("FAILED " + e.getMessage());
            System.exit(1);
        }
        System.out.println("CLOSED");
    }
}
