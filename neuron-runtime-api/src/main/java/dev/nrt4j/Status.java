package dev.nrt4j;

/**
 * The outcome of a runtime operation, one constant per {@code NRT_STATUS} code of libnrt
 * ({@code nrt_status.h}), each with its number.
 *
 * <p>Both backends report the same status for the same fault, so code that branches on a status
 * behaves the same on the reference device and on hardware. libnrt only ever appends codes; a code
 * this version does not know maps to {@link #UNKNOWN}, and {@link NeuronException#rawCode()} keeps
 * the number.
 *
 * <p>Immutable and thread-safe.
 */
public enum Status {
    /** The operation succeeded ({@code NRT_SUCCESS}). */
    SUCCESS(0),
    /** A failure with no more specific code, e.g. a name missing from a tensor set. */
    FAILURE(1),
    /** Invalid input: a corrupt model, an I/O name or size that does not match, an out-of-bounds access. */
    INVALID(2),
    /** A handle that is not (or no longer) valid. */
    INVALID_HANDLE(3),
    /** A resource could not be had: device memory is full, or cores are owned by another process. */
    RESOURCE(4),
    /** The operation timed out, e.g. an execution that ran past {@code NEURON_RT_EXEC_TIMEOUT}. */
    TIMEOUT(5),
    /** The hardware failed. */
    HW_ERROR(6),
    /** Too many executions are queued. */
    QUEUE_FULL(7),
    /** The model needs more NeuronCores than are available to this process. */
    LOAD_NOT_ENOUGH_NC(9),
    /** The model file's format version is not supported by this runtime. */
    UNSUPPORTED_NEFF_VERSION(10),
    /** Kept by libnrt for compatibility only; not produced by current runtimes. */
    FAIL_HOST_MEM_ALLOC(11),
    /** The runtime was used before it was initialised. */
    UNINITIALIZED(13),
    /** The runtime was used after it was closed. */
    CLOSED(14),
    /** A queue had no data. */
    QUEUE_EMPTY(15),
    /** The execution unit is in a fatal state; the process must start the runtime again. */
    EXEC_UNIT_UNRECOVERABLE(101),
    /** An execution was given missing or wrongly sized inputs or outputs. */
    EXEC_BAD_INPUT(1002),
    /** The execution completed but produced numerical errors (NaN). */
    EXEC_COMPLETED_WITH_NUM_ERR(1003),
    /** The execution completed with other errors. */
    EXEC_COMPLETED_WITH_ERR(1004),
    /** The NeuronCore is in use by another model, thread or process. */
    EXEC_NC_BUSY(1005),
    /** An indirect copy or embedding update went out of bounds during execution. */
    EXEC_OOB(1006),
    /** A collective operation is still pending. */
    COLL_PENDING(1100),
    /** Stuck in a collective: another rank never arrived or failed. */
    EXEC_HW_ERR_COLLECTIVES(1200),
    /** An unrepairable uncorrectable HBM error. */
    EXEC_HW_ERR_HBM_UE(1201),
    /** A NeuronCore on-chip memory parity error. */
    EXEC_HW_ERR_NC_UE(1202),
    /** A DMA engine failed unrecoverably. */
    EXEC_HW_ERR_DMA_ABORT(1203),
    /** The software notification queue overflowed. */
    EXEC_SW_NQ_OVERFLOW(1204),
    /** A repairable uncorrectable HBM error. */
    EXEC_HW_ERR_REPAIRABLE_HBM_UE(1205),
    /** An EFA network proxy operation failed. */
    NETWORK_PROXY_FAILURE(1206),
    /** A code this version of nrt4j does not know; see {@link NeuronException#rawCode()}. */
    UNKNOWN(-1);

    private final int code;

    Status(int code) {
        this.code = code;
    }

    /** {@return the {@code NRT_STATUS} number, or -1 for {@link #UNKNOWN}} */
    public int code() {
        return code;
    }

    /**
     * The status with the given {@code NRT_STATUS} number, or {@link #UNKNOWN} when there is none.
     *
     * @param code an {@code NRT_STATUS} number as a runtime reports it; any int is accepted
     * @return the matching status, never null; {@link #UNKNOWN} for -1 too, since no runtime reports it
     */
    public static Status fromCode(int code) {
        for (Status s : values()) {
            if (s.code == code && s != UNKNOWN) {
                return s;
            }
        }
        return UNKNOWN;
    }
}
