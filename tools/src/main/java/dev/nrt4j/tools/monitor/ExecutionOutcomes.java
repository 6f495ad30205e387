package dev.nrt4j.tools.monitor;

import dev.nrt4j.Status;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How neuron-monitor's {@code execution_stats} groups execution outcomes: the six counts of
 * {@code execution_summary} and the six error classes of {@code error_summary}, from the runtime's
 * per-{@link Status} counts. A status with no counter of its own is a {@code generic} error, as the
 * driver files anything without its own status counter under {@code generic_error}. Stateless.
 */
final class ExecutionOutcomes {
    static final String[] SUMMARY = {
        "completed", "completed_with_err", "completed_with_num_err", "timed_out", "incorrect_input", "failed_to_queue"
    };
    static final String[] ERRORS = {"generic", "numerical", "transient", "model", "runtime", "hardware"};

    private ExecutionOutcomes() {}

    /** {@code execution_summary}: counts by outcome, every key present. */
    static Map<String, Long> summary(Map<String, Long> byStatus) {
        Map<String, Long> out = zeroed(SUMMARY);
        byStatus.forEach((name, n) -> {
            String key = summaryKey(name);
            if (key != null) {
                out.merge(key, n, Long::sum);
            }
        });
        return out;
    }

    /** {@code error_summary}: failed executions by class, every key present. */
    static Map<String, Long> errors(Map<String, Long> byStatus) {
        Map<String, Long> out = zeroed(ERRORS);
        byStatus.forEach((name, n) -> {
            String key = errorClass(name);
            if (key != null) {
                out.merge(key, n, Long::sum);
            }
        });
        return out;
    }

    private static String summaryKey(String status) {
        switch (status) {
            case "SUCCESS":
                return "completed";
            case "EXEC_COMPLETED_WITH_ERR":
                return "completed_with_err";
            case "EXEC_COMPLETED_WITH_NUM_ERR":
                return "completed_with_num_err";
            case "TIMEOUT":
                return "timed_out";
            case "EXEC_BAD_INPUT":
                return "incorrect_input";
            case "QUEUE_FULL":
                return "failed_to_queue";
            default:
                return null;
        }
    }

    /** The error class of a failed execution, null for a success. */
    static String errorClass(String status) {
        switch (status) {
            case "SUCCESS":
                return null;
            case "EXEC_COMPLETED_WITH_NUM_ERR":
                return "numerical";
            case "TIMEOUT":
            case "QUEUE_FULL":
            case "EXEC_NC_BUSY":
            case "COLL_PENDING":
                return "transient";
            case "EXEC_BAD_INPUT":
            case "INVALID":
            case "UNSUPPORTED_NEFF_VERSION":
            case "EXEC_OOB":
                return "model";
            case "RESOURCE":
            case "FAIL_HOST_MEM_ALLOC":
            case "INVALID_HANDLE":
            case "UNINITIALIZED":
            case "CLOSED":
            case "LOAD_NOT_ENOUGH_NC":
            case "QUEUE_EMPTY":
            case "EXEC_SW_NQ_OVERFLOW":
            case "NETWORK_PROXY_FAILURE":
                return "runtime";
            case "HW_ERROR":
            case "EXEC_UNIT_UNRECOVERABLE":
            case "EXEC_HW_ERR_COLLECTIVES":
            case "EXEC_HW_ERR_HBM_UE":
            case "EXEC_HW_ERR_NC_UE":
            case "EXEC_HW_ERR_DMA_ABORT":
            case "EXEC_HW_ERR_REPAIRABLE_HBM_UE":
                return "hardware";
            default:
                return "generic";
        }
    }

    private static Map<String, Long> zeroed(String[] keys) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String k : keys) {
            out.put(k, 0L);
        }
        return out;
    }
}
