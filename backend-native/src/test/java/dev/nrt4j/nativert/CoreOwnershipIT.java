package dev.nrt4j.nativert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NeuronCores belong to one process (nrt-api.md section 6.1): the cores claimed at {@code nrt_init}
 * cannot be had by another process until the owner closes or dies, and a process asking for busy cores
 * fails in {@code nrt_init}. Proved with a second JVM ({@link CoreClaimMain}) on the same double and
 * state directory. The double keeps its lock files in a directory it does not trust: a symbolic link,
 * a directory others may write, or a planted link in place of a lock file is refused.
 */
class CoreOwnershipIT {
    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void stopChildren() throws InterruptedException {
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        LibnrtDouble.use(); // the build's own state directory again
        LibnrtDouble.assertNothingLeaked();
    }

    /** A child JVM opening the native backend with these arguments; its output so far is read by {@link #firstAnswer}. */
    private Process child(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                "-D" + LibraryLocator.PROPERTY + "=" + LibnrtDouble.path(),
                CoreClaimMain.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put(LibnrtDouble.STATE_DIR, LibnrtDouble.stateDir().toString());
        pb.environment().remove("NEURON_RT_VISIBLE_CORES");
        pb.environment().remove("NEURON_RT_NUM_CORES");
        // The test reads libnrt's own console message, which the build otherwise silences.
        pb.environment().put("NEURON_RT_LOG_LEVEL", "ERROR");
        Process p = pb.start();
        children.add(p);
        return p;
    }

    /** The child's output up to and including its "open ..." or "error=..." line. */
    private static String firstAnswer(Process p) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
            StringBuilder seen = new StringBuilder();
            try {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    seen.append(line).append('\n');
                    if (line.startsWith("open ") || line.startsWith("error=")) {
                        break;
                    }
                }
            } catch (IOException e) {
                seen.append(e);
            }
            return seen.toString();
        });
        return answer.get(60, TimeUnit.SECONDS);
    }

    private String run(String... args) throws Exception {
        Process p = child(args);
        String out = firstAnswer(p);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
        return out;
    }

    @Test
    void aSecondProcessCannotHaveTheCoresTheFirstHolds() throws Exception {
        try (NeuronRuntime rt = LibnrtDouble.open()) {
            String out = run();
            assertThat(out)
                    .contains("error=RESOURCE")
                    .contains("nrt_init")
                    .contains("nrt_allocate_neuron_cores NeuronCore(s) not available")
                    .contains("held by process " + ProcessHandle.current().pid());
            assertThat(run("num=1")).contains("error=RESOURCE");
            assertThat(rt.cores()).hasSize(4);
        }
        assertThat(run()).as("after nrt_close the cores are free").contains("open cores=4");
    }

    @Test
    void namedCoresMustBeFreeAndACountTakesTheFirstFreeRun() throws Exception {
        // This process holds logical core 1 only.
        try (NeuronRuntime rt = LibnrtDouble.open(RuntimeOptions.builder().visibleCores("1"))) {
            assertThat(run("visible=1")).contains("error=RESOURCE");
            assertThat(run("visible=0-1")).contains("error=RESOURCE");
            assertThat(run("visible=0")).contains("open cores=1");
            assertThat(run("num=3")).as("no 3 contiguous free cores").contains("error=RESOURCE");
            // Two contiguous free cores: 0 is free but its neighbour is not, so 2-3.
            Process holder = child("num=2", "hold");
            assertThat(firstAnswer(holder)).contains("open cores=2");
            assertThat(run("visible=2")).as("the child took 2").contains("error=RESOURCE");
            assertThat(run("visible=3")).as("and 3").contains("error=RESOURCE");
            assertThat(run("visible=0")).as("but not 0").contains("open cores=1");
            holder.getOutputStream().close();
            assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(run("visible=2-3"))
                    .as("released by the child's nrt_close")
                    .contains("open cores=2");
        }
    }

    @Test
    void coresOfAProcessThatDiesAreFreeAgain() throws Exception {
        Process holder = child("hold");
        assertThat(firstAnswer(holder)).contains("open cores=4");
        assertThatThrownBy(LibnrtDouble::open).isInstanceOfSatisfying(NeuronException.class, e -> {
            assertThat(e.status()).isEqualTo(Status.RESOURCE);
            assertThat(e.operation()).isEqualTo("nrt_init");
        });
        holder.destroyForcibly(); // SIGKILL: no nrt_close; the OS drops its locks
        assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
        try (NeuronRuntime rt = LibnrtDouble.open()) {
            assertThat(rt.cores()).hasSize(4);
        }
    }

    private static Status initStatusWithStateDir(Path stateDir) {
        LibnrtDouble.use();
        LibnrtDouble.setenv(LibnrtDouble.STATE_DIR, stateDir.toString());
        try {
            new NativeBackendProvider().open(RuntimeOptions.builder().build()).close();
            return Status.SUCCESS;
        } catch (NeuronException e) {
            assertThat(e.operation()).isEqualTo("nrt_init");
            return e.status();
        } finally {
            LibnrtDouble.use();
        }
    }

    @Test
    void theStateDirectoryIsHostileTerritory() throws Exception {
        Path fresh = dir.resolve("fresh");
        assertThat(initStatusWithStateDir(fresh)).isEqualTo(Status.SUCCESS);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)))
                .as("created private")
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh.resolve("nc000.lock"))))
                .isEqualTo("rw-------");

        Path link = Files.createSymbolicLink(dir.resolve("link"), fresh);
        assertThat(initStatusWithStateDir(link)).as("a symbolic link").isEqualTo(Status.FAILURE);

        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(initStatusWithStateDir(open)).as("writable by others").isEqualTo(Status.FAILURE);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwx---"));
        assertThat(initStatusWithStateDir(open)).as("writable by the group").isEqualTo(Status.FAILURE);

        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThat(initStatusWithStateDir(file)).as("not a directory").isEqualTo(Status.FAILURE);

        // A link planted where a lock file goes is not followed (its target is neither created nor written).
        Path planted = Files.createDirectory(dir.resolve("planted"));
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwx------"));
        Path target = dir.resolve("target");
        Files.createSymbolicLink(planted.resolve("nc000.lock"), target);
        assertThat(initStatusWithStateDir(planted))
                .as("a planted lock-file link")
                .isEqualTo(Status.FAILURE);
        assertThat(Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                .isFalse();

        assertThat(LibnrtDouble.state())
                .as("no refused init left the double initialised")
                .isNotEqualTo(1);
    }
}
