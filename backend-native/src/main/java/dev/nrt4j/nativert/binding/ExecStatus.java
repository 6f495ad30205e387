package dev.nrt4j.nativert.binding;

/**
 * Native memory for the {@code NRT_STATUS exec_ret} of one {@code nrta_*} request (nrt-api.md section
 * 4.9): libnrt writes it when the request completes, not when it is scheduled, so it must stay allocated
 * at one address until then. It is native memory (an FFM arena segment or a JNA {@code Memory}) that the
 * garbage collector neither moves nor frees; only {@link #close()} frees it.
 *
 * <p>Ownership: made by {@link LibNrt#allocateExecStatus()}, owned by whoever schedules with it, and
 * closed exactly once after libnrt reports the request complete (or never, when it was abandoned and
 * libnrt may still write it). Not thread-safe: one thread at a time; libnrt's write becomes visible
 * once {@code nrta_is_completed} has said the request completed.
 */
public interface ExecStatus extends AutoCloseable {
    /** What the slot holds until libnrt writes it: no {@code NRT_STATUS} is negative. */
    int UNWRITTEN = -1;

    /** {@return the address to pass as {@code exec_ret}} */
    long address();

    /** {@return the status libnrt wrote, or {@link #UNWRITTEN}} */
    int read();

    /** Frees the memory; call only when libnrt will not write it any more. */
    @Override
    void close();
}
