package dev.nrt4j.reference;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.device.CoreSelection;
import dev.nrt4j.device.CoreSelectionException;
import dev.nrt4j.device.InstanceType;
import dev.nrt4j.device.LogicalCore;
import dev.nrt4j.device.LogicalCoreLayout;
import dev.nrt4j.device.VisibleCores;
import dev.nrt4j.device.driver.DriverSysfs;
import dev.nrt4j.reference.sysfs.SysfsTree;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * One simulated instance shared by every reference runtime of this JVM that uses the same state
 * directory: its HBM stacks (so two runtimes whose cores share a stack draw from one capacity) and
 * which physical cores a runtime has claimed (so, as with libnrt, a core belongs to one runtime at
 * a time). Claims also hold across processes through {@link CoreLockFiles}. Thread-safe.
 */
final class SimulatedMachine {
    private static final Map<String, SimulatedMachine> MACHINES = new ConcurrentHashMap<>();

    private final Map<Long, HbmStack> stacks = new ConcurrentHashMap<>();
    /** The lock of every physical core a runtime of this JVM holds. */
    private final Map<Long, FileLock> held = new HashMap<>();

    private final CoreLockFiles locks;
    private final SysfsTree sysfs;

    private final InstanceType instance;

    private SimulatedMachine(InstanceType instance, CoreLockFiles locks, SysfsTree sysfs) {
        this.instance = instance;
        this.locks = locks;
        this.sysfs = sysfs;
    }

    /** The machine of this instance type whose ownership lives in {@code stateDir} (absolute). */
    static SimulatedMachine of(InstanceType instance, Path stateDir) {
        return MACHINES.computeIfAbsent(
                stateDir + "\0" + instance.name(),
                n -> new SimulatedMachine(
                        instance, new CoreLockFiles(stateDir, instance.name()), sysfsTree(stateDir, instance)));
    }

    private static SysfsTree sysfsTree(Path stateDir, InstanceType instance) {
        try {
            return SysfsTree.ensure(stateDir, instance);
        } catch (UncheckedIOException e) {
            throw new NeuronException(
                    Status.FAILURE,
                    "lay out the reference device's sysfs tree",
                    e.getMessage() + " (" + e.getCause()
                            + "); set NRT4J_STATE_DIR or the system property nrt4j.stateDir"
                            + " to a writable directory");
        }
    }

    /** The simulated driver's sysfs tree of this machine. */
    SysfsTree sysfs() {
        return sysfs;
    }

    /** The stack a logical core allocates from. */
    HbmStack stackOf(LogicalCore core) {
        return stacks.computeIfAbsent(
                key(core.device(), core.hbmStack()),
                k -> new HbmStack(
                        "HBM stack " + core.hbmStack() + " of neuron" + core.device(),
                        core.hbmStackBytes(),
                        () -> otherProcessesUsage(core.device(), core.hbmStack())));
    }

    /**
     * Device memory that other processes hold on a stack: the sysfs totals of its physical cores that no
     * runtime of this JVM holds and whose recorded owner is alive (a dead owner's memory is free).
     */
    private long otherProcessesUsage(int device, int stack) {
        long sum = 0;
        for (int p : instance.chip().physicalCoresOfHbmStack(stack)) {
            boolean ours;
            synchronized (this) {
                ours = held.containsKey(key(device, p));
            }
            if (!ours && locks.recordedOwnerAlive(device, p)) {
                sum += new DriverSysfs(sysfs.systemRoot())
                        .deviceMemory(device, p, "")
                        .total();
            }
        }
        return sum;
    }

    /**
     * Chooses the cores the options select among those no other runtime, of this process or
     * another, holds, and claims them: all of them or, on failure, none.
     *
     * @throws CoreSelectionException when the selection is malformed, or its cores are not free and
     *     no other process holds any of them
     * @throws CoresHeldException when its cores are not free and another process holds some
     * @throws dev.nrt4j.NeuronException {@link dev.nrt4j.Status#FAILURE} when a lock file cannot be used
     */
    synchronized List<LogicalCore> claim(LogicalCoreLayout layout, String visibleCores, String numCores) {
        Attempt attempt = new Attempt(layout);
        VisibleCores chosen;
        try {
            chosen = CoreSelection.select(visibleCores, numCores, layout.logicalCoreCount(), attempt::isFree);
        } catch (CoreSelectionException e) {
            attempt.releaseAll();
            if (e.reason() == CoreSelectionException.Reason.NOT_ENOUGH_CORES && attempt.otherProcessHoldsAny) {
                throw new CoresHeldException(e, attempt.describeHolders());
            }
            throw e;
        } catch (RuntimeException | Error e) {
            attempt.releaseAll();
            throw e;
        }
        List<LogicalCore> cores = new ArrayList<>();
        for (int id : chosen.ids()) {
            LogicalCore c = layout.core(id);
            cores.add(c);
            for (int p : c.physicalCores()) {
                long k = key(c.device(), p);
                held.put(k, attempt.taken.remove(k));
            }
        }
        // Cores probed on the way to the chosen run were locked too; they are not ours to keep.
        attempt.releaseAll();
        return cores;
    }

    synchronized void release(List<LogicalCore> cores) {
        for (LogicalCore c : cores) {
            for (int p : c.physicalCores()) {
                FileLock lock = held.remove(key(c.device(), p));
                if (lock != null) {
                    CoreLockFiles.release(lock);
                }
            }
        }
    }

    /**
     * One claim in progress: the locks it has taken so far (locking while probing means no other
     * process can take a core between the check and the claim) and who holds the cores it could
     * not have.
     */
    private final class Attempt {
        private final LogicalCoreLayout layout;
        private final Map<Integer, Boolean> answers = new HashMap<>();
        private final Map<Long, FileLock> taken = new HashMap<>();
        private final Map<Integer, String> holders = new TreeMap<>();
        private boolean otherProcessHoldsAny;

        Attempt(LogicalCoreLayout layout) {
            this.layout = layout;
        }

        boolean isFree(int id) {
            // CoreSelection may ask about a core twice; a second tryLock would overlap our own lock.
            return answers.computeIfAbsent(id, this::probe);
        }

        private boolean probe(int id) {
            LogicalCore core = layout.core(id);
            for (int p : core.physicalCores()) {
                long k = key(core.device(), p);
                if (held.containsKey(k)) {
                    // Checked before locking: FileChannel.tryLock throws for a lock this JVM holds.
                    holders.put(id, "another runtime of this process");
                    return false;
                }
                if (taken.containsKey(k)) {
                    continue;
                }
                Optional<FileLock> lock = locks.tryLock(core.device(), p);
                if (lock.isEmpty()) {
                    otherProcessHoldsAny = true;
                    holders.put(id, locks.describeOwner(core.device(), p));
                    return false;
                }
                taken.put(k, lock.get());
            }
            return true;
        }

        void releaseAll() {
            taken.values().forEach(CoreLockFiles::release);
            taken.clear();
        }

        String describeHolders() {
            Map<String, List<Integer>> byHolder = new TreeMap<>();
            holders.forEach((id, who) ->
                    byHolder.computeIfAbsent(who, w -> new ArrayList<>()).add(id));
            return byHolder.entrySet().stream()
                    .map(e -> "core" + (e.getValue().size() == 1 ? " " : "s ")
                            + e.getValue().stream().map(String::valueOf).collect(Collectors.joining(", "))
                            + " held by " + e.getKey())
                    .collect(Collectors.joining("; "));
        }
    }

    /**
     * A selection that failed because another process holds some of its cores; the selection's
     * own message plus who holds them.
     */
    static final class CoresHeldException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CoresHeldException(CoreSelectionException selection, String holders) {
            super(selection.getMessage() + "; " + holders, selection);
        }
    }

    private static long key(int device, int index) {
        return ((long) device << 32) | index;
    }
}
