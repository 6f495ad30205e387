package dev.nrt4j.tools;

import dev.nrt4j.BackendDescription;
import dev.nrt4j.NeuronRuntime;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code nrt4j backends}: which backends are on the class path, whether each can run here and why, and which is chosen. */
@Command(
        name = "backends",
        mixinStandardHelpOptions = true,
        description = "List the backends, whether each can run here (and why not), and which one would be used.")
final class BackendsCommand implements Callable<Integer> {
    @Mixin
    RuntimeSelection selection;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        TextTable t = new TextTable("BACKEND", "PRIORITY", "AVAILABLE", "CHOSEN", "DETAIL");
        for (BackendDescription d : NeuronRuntime.describeBackends(selection.toOptions())) {
            t.row(d.name(), d.priority(), d.isAvailable() ? "yes" : "no", d.isSelected() ? "*" : "", d.detail());
        }
        t.print(out);
        out.flush();
        return 0;
    }
}
