package dev.nrt4j.tools;

import dev.nrt4j.device.InstanceCatalog;
import dev.nrt4j.device.InstanceType;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code nrt4j instance-types}: the device model's catalog, every instance type the reference device can imitate. */
@Command(
        name = "instance-types",
        mixinStandardHelpOptions = true,
        description = "List the instance types nrt4j knows: chips, devices, cores per LNC, memory, topology.")
final class InstanceTypesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        TextTable t = new TextTable(
                "INSTANCE TYPE", "CHIP", "DEVICES", "LOGICAL CORES", "DEVICE MEMORY", "TOPOLOGY", "SUPPORTED");
        for (InstanceType i : InstanceCatalog.all()) {
            List<String> cores = new ArrayList<>();
            for (int lnc : i.allowedLnc()) {
                cores.add(i.visibleCoreCount(lnc) + (i.allowedLnc().size() > 1 ? " (LNC=" + lnc + ")" : ""));
            }
            t.row(
                    i.name(),
                    i.chip().displayName(),
                    i.deviceCount(),
                    String.join(", ", cores),
                    ByteCount.format(i.totalDeviceMemoryBytes()),
                    i.topology().kind().toString().toLowerCase(java.util.Locale.ROOT),
                    i.supported() ? "yes" : "no (current runtimes)");
        }
        t.print(out);
        out.flush();
        return 0;
    }
}
