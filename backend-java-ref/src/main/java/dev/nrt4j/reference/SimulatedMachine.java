package dev.nrt4j.reference;

import dev.nrt4j.device.CoreSelection;
import dev.nrt4j.device.InstanceType;
import dev.nrt4j.device.LogicalCore;
import dev.nrt4j.device.LogicalCoreLayout;
import dev.nrt4j.device.VisibleCores;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One simulated instance shared by every reference runtime of this JVM: its HBM stacks (so two
 * runtimes whose cores share a stack draw from one capacity) and which physical cores a runtime has
 * claimed (so, as with libnrt, a core belongs to one runtime at a time). Thread-safe.
 */
final class SimulatedMachine {
    private static final Map<String, SimulatedMachine> MACHINES = new ConcurrentHashMap<>();

    private final Map<Long, HbmStack> stacks = new ConcurrentHashMap<>();
    private final Set<Long> claimedPhysicalCores = new HashSet<>();

    private SimulatedMachine() {
    }

    static SimulatedMachine of(InstanceType instance) {
        return MACHINES.computeIfAbsent(instance.name(), n -> new SimulatedMachine());
    }

    /** The stack a logical core allocates from. */
    HbmStack stackOf(LogicalCore core) {
        return stacks.computeIfAbsent(key(core.device(), core.hbmStack()), k -> new HbmStack(
                "HBM stack " + core.hbmStack() + " of neuron" + core.device(), core.hbmStackBytes()));
    }

    /**
     * Chooses the cores the options select among those no other runtime holds, and claims them.
     *
     * @throws dev.nrt4j.device.CoreSelectionException when the selection is malformed or its cores are not free
     */
    synchronized List<LogicalCore> claim(LogicalCoreLayout layout, String visibleCores, String numCores) {
        VisibleCores chosen = CoreSelection.select(visibleCores, numCores, layout.logicalCoreCount(),
                id -> isFree(layout.core(id)));
        List<LogicalCore> cores = new ArrayList<>();
        for (int id : chosen.ids()) {
            LogicalCore c = layout.core(id);
            cores.add(c);
            for (int p : c.physicalCores()) {
                claimedPhysicalCores.add(key(c.device(), p));
            }
        }
        return cores;
    }

    synchronized void release(List<LogicalCore> cores) {
        for (LogicalCore c : cores) {
            for (int p : c.physicalCores()) {
                claimedPhysicalCores.remove(key(c.device(), p));
            }
        }
    }

    private boolean isFree(LogicalCore core) {
        for (int p : core.physicalCores()) {
            if (claimedPhysicalCores.contains(key(core.device(), p))) {
                return false;
            }
        }
        return true;
    }

    private static long key(int device, int index) {
        return ((long) device << 32) | index;
    }
}
