package dev.nrt4j.reference.sysfs;

import dev.nrt4j.Status;
import dev.nrt4j.device.driver.SysfsLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sysfs counters of one logical core a runtime holds, updated the way the driver and runtime update
 * them, and its share of the runtime's {@link RuntimeRecord}. A logical core of several physical cores
 * (LNC=2) reports through its first physical core only, so the per-device sums come out right and
 * nothing is counted twice. Host tensors count in the core's {@code host_mem} and its device's
 * {@code host_mem/tensors}. Thread-safe.
 */
public final class CoreStats {
    private final int logicalCore;
    private final int device;
    private final RuntimeRecord record;
    private final SharedSysfsCounter deviceHostTensors;
    private final SysfsCounter hostMem;
    private final SysfsCounter deviceMem;
    private final Map<String, SysfsCounter> categories = new HashMap<>();
    private final Map<String, SysfsCounter> status = new HashMap<>();
    private final Map<String, SysfsCounter> other = new HashMap<>();
    private final List<SysfsCounter> all = new ArrayList<>();

    CoreStats(
            SysfsTree tree,
            int logicalCore,
            int device,
            int physicalCore,
            RuntimeRecord record,
            SharedSysfsCounter deviceHostTensors) {
        this.logicalCore = logicalCore;
        this.device = device;
        this.record = record;
        this.deviceHostTensors = deviceHostTensors;
        hostMem = add(new SysfsCounter(tree.coreHostMem(device, physicalCore), true));
        deviceMem = add(new SysfsCounter(tree.deviceMem(device, physicalCore), true));
        for (String c : SysfsLayout.DEVICE_MEM_CATEGORIES) {
            categories.put(
                    c, add(new SysfsCounter(tree.deviceMem(device, physicalCore).resolve(c), true)));
        }
        for (String s : SysfsLayout.STATUS_COUNTERS) {
            status.put(s, add(new SysfsCounter(tree.status(device, physicalCore, s), false)));
        }
        for (String o : SysfsLayout.OTHER_INFO) {
            other.put(o, add(new SysfsCounter(tree.otherInfo(device, physicalCore, o), false)));
        }
    }

    private SysfsCounter add(SysfsCounter c) {
        all.add(c);
        return c;
    }

    /** A device tensor of {@code bytes} was allocated. */
    public void tensorAllocated(long bytes) {
        allocated("tensors", bytes);
    }

    /** A device tensor of {@code bytes} was freed. */
    public void tensorFreed(long bytes) {
        freed("tensors", bytes);
    }

    /** A host tensor of {@code bytes} was allocated by the runtime this core belongs to. */
    public void hostTensorAllocated(long bytes) {
        hostMem.increment(bytes);
        deviceHostTensors.increment(bytes);
        record.hostMemory("tensors", bytes);
    }

    /** A host tensor of {@code bytes} was freed. */
    public void hostTensorFreed(long bytes) {
        hostMem.decrement(bytes);
        deviceHostTensors.decrement(bytes);
        record.hostMemory("tensors", -bytes);
    }

    /**
     * A model {@code name} whose constants take {@code constantBytes} was loaded.
     *
     * @return its model id in the runtime record
     */
    public int modelLoaded(String name, long constantBytes) {
        allocated("constants", constantBytes);
        other.get("model_load_count").increment(1);
        return record.modelLoaded(name, logicalCore, device, constantBytes);
    }

    /** Model {@code modelId}, whose constants took {@code constantBytes}, was unloaded; model_load_count counts loads and stays. */
    public void modelUnloaded(int modelId, long constantBytes) {
        freed("constants", constantBytes);
        record.modelUnloaded(modelId);
    }

    /**
     * One execution ended with {@code outcome} after {@code micros} microseconds on the core. Its FLOPs
     * were counted as its dots ran ({@link #flopsExecuted}).
     */
    public void executed(Status outcome, long micros) {
        other.get("inference_count").increment(1);
        other.get("nc_time_in_use").increment(micros);
        status.get(statusCounter(outcome)).increment(1);
        record.executed(outcome, micros);
    }

    /**
     * The core executed {@code flops} floating-point operations (a {@code dot} or {@code convolution}, counted by
     * {@link dev.nrt4j.hlo.DotFlops}): the driver's {@code flop_count} (2 per multiply-accumulate, as the
     * driver counts) and the runtime record's per-core count both grow by it, so tools see the FLOPs of
     * the whole core and of this process.
     */
    public void flopsExecuted(long flops) {
        other.get("flop_count").increment(flops);
        record.flops(logicalCore, flops);
    }

    /**
     * The core was just claimed from no live owner: whatever memory its counters still show belonged to
     * a process that ended without freeing it, which the driver reclaims when a process goes.
     */
    void reclaimLeftovers() {
        // The core's total is the sum of its categories, so a zero total spares reading every category.
        if (deviceMem.total() != 0) {
            for (SysfsCounter c : categories.values()) {
                if (c.total() != 0) {
                    c.set(0);
                }
            }
            deviceMem.set(0);
        }
        if (hostMem.total() != 0) {
            hostMem.set(0);
        }
    }

    private void allocated(String category, long bytes) {
        categories.get(category).increment(bytes);
        deviceMem.increment(bytes);
        record.deviceMemory(logicalCore, category, bytes);
    }

    private void freed(String category, long bytes) {
        categories.get(category).decrement(bytes);
        deviceMem.decrement(bytes);
        record.deviceMemory(logicalCore, category, -bytes);
    }

    /** The counter of a device_mem category, or {@code ""} for device_mem itself. */
    public SysfsCounter deviceMem(String category) {
        return category.isEmpty() ? deviceMem : categories.get(category);
    }

    /** The status counter {@code name}. */
    public SysfsCounter status(String name) {
        return status.get(name);
    }

    /** The other_info counter {@code name}. */
    public SysfsCounter otherInfo(String name) {
        return other.get(name);
    }

    void flush() {
        for (SysfsCounter c : all) {
            c.flush();
        }
    }

    /**
     * The status counter an execution outcome lands in. libnrt's codes map onto the driver's names
     * where one obviously matches; anything without its own counter is a generic_error.
     */
    public static String statusCounter(Status s) {
        switch (s) {
            case SUCCESS:
                return "success";
            case FAILURE:
                return "failure";
            case TIMEOUT:
                return "timeout";
            case EXEC_BAD_INPUT:
                return "exec_bad_input";
            case HW_ERROR:
            case EXEC_UNIT_UNRECOVERABLE:
                return "hw_error";
            case EXEC_COMPLETED_WITH_ERR:
                return "execute_completed_with_error";
            case EXEC_COMPLETED_WITH_NUM_ERR:
                return "execute_completed_with_num_error";
            case RESOURCE:
            case FAIL_HOST_MEM_ALLOC:
                return "resource_error";
            case EXEC_NC_BUSY:
                return "resource_nc_error";
            case QUEUE_FULL:
                return "execute_failed_to_queue";
            case INVALID:
            case INVALID_HANDLE:
                return "invalid_error";
            case UNSUPPORTED_NEFF_VERSION:
                return "unsupported_neff_version";
            case EXEC_OOB:
                return "oob_error";
            case EXEC_HW_ERR_COLLECTIVES:
                return "hw_collectives_error";
            case EXEC_HW_ERR_HBM_UE:
                return "hw_hbm_ue_error";
            case EXEC_HW_ERR_NC_UE:
                return "hw_nc_ue_error";
            case EXEC_HW_ERR_DMA_ABORT:
                return "hw_dma_abort_error";
            case EXEC_SW_NQ_OVERFLOW:
                return "execute_sw_nq_overflow";
            case EXEC_HW_ERR_REPAIRABLE_HBM_UE:
                return "hw_repairable_hbm_ue_error";
            default:
                return "generic_error";
        }
    }
}
