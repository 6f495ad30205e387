package dev.nrt4j.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import dev.nrt4j.device.InstanceCatalog;
import dev.nrt4j.device.driver.DriverSysfs;
import dev.nrt4j.device.driver.NeuronProcesses;
import dev.nrt4j.device.driver.SystemRoot;
import dev.nrt4j.reference.sysfs.SysfsTree;
import dev.nrt4j.testsupport.ChildJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cores held by one process are refused to another, which learns the holder's PID, and come back
 * when the holder closes its runtime or dies. The other process is a second JVM running
 * {@link CoreOwnerProcess}; every test uses its own state directory, never the user's.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CoreOwnershipAcrossProcessesTest {
    private static final String INSTANCE = "inf2.24xlarge";

    @TempDir
    Path stateDir;

    private RuntimeOptions.Builder options(String visibleCores) {
        return ReferenceRuntimeTest.options()
                .instanceType(INSTANCE)
                .stateDir(stateDir)
                .visibleCores(visibleCores);
    }

    @Test
    void coresHeldByAnotherProcessAreRefusedNamingItsPidUntilItDies() throws Exception {
        Child child = Child.start(stateDir, "0-1");
        try {
            long pid = child.awaitOpen();
            assertThat(pid).isEqualTo(child.process.pid());

            assertThatThrownBy(() -> NeuronRuntime.open(options("1").build()))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.RESOURCE))
                    .hasMessageContaining("core 1 held by process " + pid);
            assertThatThrownBy(
                            () -> NeuronRuntime.open(options(null).numCores(11).build()))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.RESOURCE))
                    .hasMessageContaining("cores 0, 1 held by process " + pid);
            try (NeuronRuntime rt = NeuronRuntime.open(options("2").build())) {
                assertThat(rt.cores())
                        .singleElement()
                        .satisfies(c -> assertThat(c.globalId()).isEqualTo(2));
            }
            try (NeuronRuntime rt = NeuronRuntime.open(options(null).numCores(2).build())) {
                assertThat(rt.cores()).extracting(c -> c.globalId()).containsExactly(2, 3);
            }

            child.process.destroyForcibly();
            assertThat(child.process.waitFor(ChildJvm.WAIT_SECONDS, TimeUnit.SECONDS))
                    .as("child exited")
                    .isTrue();

            try (NeuronRuntime rt = NeuronRuntime.open(options("0-1").build())) {
                assertThat(rt.cores()).extracting(c -> c.globalId()).containsExactly(0, 1);
            }
        } finally {
            child.destroy();
        }
    }

    @Test
    void aChildIsRefusedCoresThisProcessHoldsAndGetsThemOnceClosed() throws Exception {
        try (NeuronRuntime rt = NeuronRuntime.open(options("3").build())) {
            assertThat(rt.cores()).extracting(dev.nrt4j.NeuronCore::globalId).containsExactly(3);
            Child refused = Child.start(stateDir, "2-3");
            try {
                assertThat(refused.awaitLine("FAILED "))
                        .contains("core 3 held by process "
                                + ProcessHandle.current().pid());
                assertThat(refused.process.waitFor(ChildJvm.WAIT_SECONDS, TimeUnit.SECONDS))
                        .isTrue();
                assertThat(refused.process.exitValue()).isEqualTo(1);
            } finally {
                refused.destroy();
            }
        }
        Child child = Child.start(stateDir, "2-3");
        try {
            assertThat(child.awaitOpen()).isEqualTo(child.process.pid());
            child.closeRuntime();
            assertThat(child.awaitLine("CLOSED")).isEqualTo("CLOSED");
            assertThat(child.process.waitFor(ChildJvm.WAIT_SECONDS, TimeUnit.SECONDS))
                    .isTrue();
            // Closing, not only dying, gives the cores back.
            try (NeuronRuntime rt = NeuronRuntime.open(options("2-3").build())) {
                assertThat(rt.cores()).hasSize(2);
            }
        } finally {
            child.destroy();
        }
    }

    @Test
    void anotherProcessesTensorsOnAnHbmStackTheCoresShareCountAgainstItAndItsDeviceNodeShowsItsPid() throws Exception {
        // trn2 at LNC=1: physical cores 0 and 1 draw from HBM stack 0 of neuron0 (24 GiB).
        long gib = 1L << 30;
        Child child = Child.start(stateDir, "trn2.3xlarge", "1", "1", Long.toString(20 * gib));
        try {
            long pid = child.awaitOpen();
            SystemRoot machine = SysfsTree.systemRoot(stateDir, InstanceCatalog.byName("trn2.3xlarge"));
            DriverSysfs sysfs = new DriverSysfs(machine);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ChildJvm.WAIT_SECONDS);
            while (sysfs.deviceMemory(0, 1, "tensors").total() != 20 * gib) {
                assertThat(System.nanoTime())
                        .as("the child's tensor shows in sysfs")
                        .isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(NeuronProcesses.scan(machine)).anySatisfy(p -> {
                assertThat(p.pid()).isEqualTo(pid);
                assertThat(p.devices()).containsExactly(0);
            });
            RuntimeOptions.Builder mine = ReferenceRuntimeTest.options()
                    .instanceType("trn2.3xlarge")
                    .stateDir(stateDir)
                    .lnc(1)
                    .visibleCores("0");
            try (NeuronRuntime rt = NeuronRuntime.open(mine.build())) {
                assertThatThrownBy(() -> rt.allocate("too-big", 8 * gib, 0))
                        .isInstanceOfSatisfying(
                                NeuronException.class,
                                e -> assertThat(e.status()).isEqualTo(Status.RESOURCE))
                        .hasMessageContaining("other processes hold " + 20 * gib);
                rt.allocate("fits", 4 * gib, 0).close();
                child.closeRuntime();
                child.awaitLine("CLOSED");
                // Other processes' use is read at most every 100 ms, as their counters are written; the memory comes
                // back within that.
                long freedBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (true) {
                    try {
                        rt.allocate("fits-now", 8 * gib, 0).close();
                        break;
                    } catch (NeuronException e) {
                        assertThat(System.nanoTime())
                                .as("the closed child's memory is free again: " + e.getMessage())
                                .isLessThan(freedBy);
                        Thread.sleep(20);
                    }
                }
            }
        } finally {
            child.destroy();
        }
    }

    /** A second JVM running {@link CoreOwnerProcess}. */
    private static final class Child {
        final ChildJvm jvm;
        final Process process;

        private Child(ChildJvm jvm) {
            this.jvm = jvm;
            this.process = jvm.process();
        }

        static Child start(Path stateDir, String visibleCores) throws IOException {
            return start(stateDir, INSTANCE, visibleCores);
        }

        static Child start(Path stateDir, String instance, String visibleCores, String... more) throws IOException {
            List<String> args = new ArrayList<>(List.of(stateDir.toString(), instance, visibleCores));
            args.addAll(List.of(more));
            return new Child(ChildJvm.start(List.of(), CoreOwnerProcess.class, args.toArray(String[]::new)));
        }

        long awaitOpen() throws InterruptedException {
            return Long.parseLong(awaitLine("OPEN ").substring("OPEN ".length()).strip());
        }

        String awaitLine(String prefix) throws InterruptedException {
            return jvm.awaitLine(prefix);
        }

        void closeRuntime() throws IOException {
            jvm.send("close");
        }

        void destroy() {
            jvm.close();
        }
    }
}
