package dev.nrt4j.reference.sysfs;

import dev.nrt4j.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sysfs counters of one physical core, updated the way the driver and runtime update them. A
 * logical core of several physical cores (LNC=2) reports through its first physical core only, so the
 * per-device sums come out right and nothing is counted twice. Thread-safe.
 */
public final class CoreStats {
    private final SysfsCounter deviceMem;
    private final Map<String, SysfsCounter> categories = new HashMap<>();
    private final Map<String, SysfsCounter> status = new HashMap<>();
    private final Map<String, SysfsCounter> other = new HashMap<>();
    private final List<SysfsCounter> all = new ArrayList<>();

    CoreStats(SysfsTree tree, int device, int physicalCore) {
        deviceMem = add(new SysfsCounter(tree.deviceMem(device, physicalCore), true));
        for (String c : SysfsTree.DEVICE_MEM_CATEGORIES) {
            categories.put(c, add(new SysfsCounter(tree.deviceMem(device, physicalCore).resolve(c), true)));
        }
        for (String s : SysfsTree.STATUS_COUNTERS) {
            status.put(s, add(new SysfsCounter(tree.status(device, physicalCore, s), false)));
        }
        for (String o : SysfsTree.OTHER_INFO) {
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

    /** A model whose constants take {@code constantBytes} was loaded. */
    public void modelLoaded(long constantBytes) {
        allocated("constants", constantBytes);
        other.get("model_load_count").increment(1);
    }

    /** A model whose constants took {@code constantBytes} was unloaded; model_load_count counts loads and stays. */
    public void modelUnloaded(long constantBytes) {
        freed("constants", constantBytes);
    }

    /**
     * One execution ended with {@code outcome} after {@code micros} microseconds on the core. flop_count
     * stays 0: the interpreter does not count multiply-accumulates.
     */
    public void executed(Status outcome, long micros) {
        other.get("inference_count").increment(1);
        other.get("nc_time_in_use").increment(micros);
        status.get(statusCounter(outcome)).increment(1);
    }

    private void allocated(String category, long bytes) {
        categories.get(category).increment(bytes);
        deviceMem.increment(bytes);
    }

    private void freed(String category, long bytes) {
        categories.get(category).decrement(bytes);
        deviceMem.decrement(bytes);
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
