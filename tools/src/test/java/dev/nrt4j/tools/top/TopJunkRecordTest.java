package dev.nrt4j.tools.top;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.device.InstanceCatalog;
import dev.nrt4j.reference.sysfs.SysfsTree;
import dev.nrt4j.tools.CommandRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runtime records are written by other processes, so top's FLOPS view and tabs read them as untrusted:
 * forged FLOP counts and an LNC size no machine has, in records naming this live JVM, are each skipped
 * with one warning line, and top shows the rest on every tab and in either grid.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TopJunkRecordTest {
    private static final String INSTANCE = "trn2.3xlarge";

    @TempDir
    Path stateDir;

    private CommandRun top(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "top",
                "--once",
                "--backend=reference",
                "--instance-type",
                INSTANCE,
                "--state-dir",
                stateDir.toString(),
                "--interval",
                "10"));
        args.addAll(List.of(more));
        return CommandRun.of(args.toArray(String[]::new));
    }

    @Test
    void forgedFlopCountsAndAnImpossibleLncAreSkippedWithOneWarningEach() throws IOException {
        Path records = Files.createDirectories(SysfsTree.ensure(stateDir, InstanceCatalog.byName(INSTANCE))
                .systemRoot()
                .records()
                .orElseThrow());
        long pid = ProcessHandle.current().pid();
        String head = "{\"format\":\"nrt4j-runtime-record/1\",\"pid\":" + pid + ",\"tag\":\"forged\",";
        Path negative = Files.writeString(records.resolve(pid + "-1.json"), head + "\"lnc\":1,\"flops\":{\"0\":-5}}");
        Path notCore = Files.writeString(records.resolve(pid + "-2.json"), head + "\"lnc\":1,\"flops\":{\"zz\":1}}");
        Path list = Files.writeString(records.resolve(pid + "-3.json"), head + "\"lnc\":1,\"flops\":[1,2]}");
        Path fraction = Files.writeString(records.resolve(pid + "-4.json"), head + "\"lnc\":1,\"flops\":{\"0\":1.5}}");
        Path lnc = Files.writeString(
                records.resolve(pid + "-5.json"),
                head + "\"lnc\":3,\"cores\":[{\"core\":0,\"device\":0}],\"flops\":{\"0\":1}}");
        for (CommandRun r : List.of(top("--flops"), top("--pid", Long.toString(pid)), top())) {
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.err() + r.out()).doesNotContain("Exception", "\tat ");
            assertThat(r.err().lines().toList())
                    .as(r.err())
                    .hasSize(5)
                    .allSatisfy(l -> assertThat(l).startsWith("nrt4j: warning: skipping runtime record "))
                    .anySatisfy(l -> assertThat(l).contains(negative.toString(), "flops.0 is -5"))
                    .anySatisfy(l -> assertThat(l).contains(notCore.toString(), "flops has the key 'zz'"))
                    .anySatisfy(l -> assertThat(l).contains(list.toString(), "flops is not an object"))
                    .anySatisfy(l -> assertThat(l).contains(fraction.toString(), "flops.0 is 1.5"))
                    .anySatisfy(
                            l -> assertThat(l).contains(lnc.toString(), "lnc is 3, not a whole number from 1 to 2"));
            assertThat(r.out()).contains("NeuronCore v3").doesNotContain("forged");
        }
    }
}
