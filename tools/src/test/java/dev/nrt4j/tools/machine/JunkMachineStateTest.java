package dev.nrt4j.tools.machine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.device.InstanceCatalog;
import dev.nrt4j.reference.sysfs.SysfsTree;
import dev.nrt4j.testsupport.Needs;
import dev.nrt4j.tools.CommandRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Junk in the machine state the monitoring commands read (issue 12, item 6): counters that hold garbage
 * or are directories, and forged runtime records with live pids. Each command still exits 0, shows the
 * rest, and says once on stderr what it skipped; no forged number reaches the output.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JunkMachineStateTest {
    private static final String INSTANCE = MachineJunk.INSTANCE;

    @TempDir
    Path stateDir;

    private SysfsTree tree;
    private Path records;

    @BeforeEach
    void layOut() {
        tree = SysfsTree.ensure(stateDir, InstanceCatalog.byName(INSTANCE));
        records = tree.systemRoot().records().orElseThrow();
    }

    private CommandRun top() {
        return CommandRun.onReferenceMachine(INSTANCE, stateDir, "top", "--once", "--interval", "10");
    }

    private CommandRun monitor() {
        return CommandRun.onReferenceMachine(INSTANCE, stateDir, "monitor", "--count", "1", "--period", "0.05");
    }

    private CommandRun ls() {
        return CommandRun.onReferenceMachine(INSTANCE, stateDir, "ls", "--json-output");
    }

    private static List<String> warnings(CommandRun r) {
        return r.err().lines().filter(l -> l.startsWith("nrt4j: warning: ")).toList();
    }

    private static void assertCalm(CommandRun r) {
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err() + r.out()).doesNotContain("Exception", "\tat ");
        assertThat(r.err().lines().filter(l -> !l.startsWith("nrt4j: warning: ")))
                .as("only warnings on stderr")
                .isEmpty();
    }

    @Test
    void garbageDirectoryAndOverflowingCountersAreSkippedWithOneWarningEach() throws IOException {
        Path garbage = MachineJunk.garbageCounter(tree);
        Path directory = MachineJunk.directoryCounter(tree);
        Path huge = MachineJunk.overflowingCounter(tree);
        for (CommandRun r : List.of(top(), monitor())) {
            assertCalm(r);
            List<String> w = warnings(r);
            assertThat(w).as(r.err()).hasSize(3);
            assertThat(w).anySatisfy(l -> assertThat(l).contains(garbage.toString(), "'zz?[2J'", "counts as 0"));
            assertThat(w).anySatisfy(l -> assertThat(l).contains(directory.toString(), "not a regular file"));
            assertThat(w).anySatisfy(l -> assertThat(l).contains(huge.toString(), "18446744073709551615"));
            assertThat(r.out()).doesNotContain("-1", "zz");
        }
    }

    @Test
    void aForgedRecordWithALivePidAndOverflowingNumbersIsNotBelieved() throws IOException {
        long pid = ProcessHandle.current().pid();
        Path forged = MachineJunk.forgedRecord(records, pid);
        Path notJson = MachineJunk.notJsonRecord(records);
        for (CommandRun r : List.of(monitor(), top(), ls())) {
            assertCalm(r);
            assertThat(warnings(r))
                    .as(r.err())
                    .hasSize(2)
                    .anySatisfy(l -> assertThat(l)
                            .contains(forged.toString(), "device is 4294967294, not a whole number from 0 to 1023"))
                    .anySatisfy(l -> assertThat(l).contains(notJson.toString(), "cannot be read as JSON"));
            assertThat(r.out()).doesNotContain("forged", "-2", "9223372036854775807", "4294967294");
        }
    }

    @Test
    void namesInARecordReachTheScreenEscaped() throws IOException {
        long pid = ProcessHandle.current().pid();
        Files.createDirectories(records);
        // JSON escapes: the reader gets ESC, BEL and newlines, which would clear the screen, retitle it and forge
        // lines.
        Files.writeString(
                records.resolve(pid + "-1.json"),
                "{\"format\":\"nrt4j-runtime-record/1\",\"pid\":" + pid
                        + ",\"command\":\"cmd\\u001b]0;owned\\u0007\",\"tag\":\"t\\u001b[2J\",\"lnc\":1,"
                        + "\"cores\":[{\"core\":0,\"device\":0,\"physical_cores\":[0]}],"
                        + "\"models\":[{\"model_id\":7,\"name\":\"/m/y\\u001b[2J\\nforged\",\"core\":0,\"device\":0,\"constants\":4096,"
                        + "\"model_code\":4096}]}");
        CommandRun r = top();
        assertCalm(r);
        assertThat(warnings(r)).as(r.err()).isEmpty();
        assertThat(r.out())
                .doesNotContain("\u001b", "\u0007")
                .contains("y\\u001b[2J\\u000aforged", "t\\u001b[2J", "cmd\\u001b]0;owned\\u0007");
        assertThat(r.out().lines()).noneMatch(l -> l.startsWith("forged"));
    }

    @Test
    void aRecordWithinRangeButSummingPastTheBoundIsNotBelieved() throws IOException {
        long pid = ProcessHandle.current().pid();
        Files.createDirectories(records);
        StringBuilder mem = new StringBuilder();
        for (int core = 0; core < 64; core++) {
            mem.append(core == 0 ? "" : ",").append('"').append(core).append("\":{\"tensors\":1125899906842624}");
        }
        Path forged = Files.writeString(
                records.resolve("3-1.json"),
                "{\"format\":\"nrt4j-runtime-record/1\",\"pid\":" + pid + ",\"lnc\":1,\"device_memory\":{" + mem
                        + "}}");
        CommandRun r = monitor();
        assertCalm(r);
        assertThat(warnings(r))
                .singleElement()
                .satisfies(l -> assertThat(l).contains(forged.toString(), "device memory adds up"));
    }

    @Test
    void aRecordNamingAnotherUsersLiveProcessIsNotBelieved() throws Exception {
        boolean root = Files.getOwner(Path.of("/proc/self")).getName().equals("root");
        Needs.that(
                root && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "root and setpriv (util-linux), to start a process as another user (uid 65534)");
        Process other = new ProcessBuilder(
                        "/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sleep", "30")
                .start();
        try {
            // setpriv execs sleep, so the pid is that of the other user's process once it has switched.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (Files.getOwner(Path.of("/proc/" + other.pid())).getName().equals("root")
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Files.createDirectories(records);
            Path forged = Files.writeString(
                    records.resolve(other.pid() + "-1.json"),
                    "{\"format\":\"nrt4j-runtime-record/1\",\"pid\":" + other.pid()
                            + ",\"command\":\"theirs\",\"lnc\":1}");
            CommandRun r = monitor();
            assertCalm(r);
            assertThat(warnings(r))
                    .singleElement()
                    .satisfies(l -> assertThat(l).contains(forged.toString(), "not to you"));
            assertThat(r.out()).doesNotContain("theirs");
        } finally {
            other.destroy();
            other.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
