package dev.nrt4j;

import java.util.Objects;

/**
 * The one exception nrt4j throws for a runtime fault. It is unchecked, carries the {@link Status}
 * (and the raw {@code NRT_STATUS} number, which matters when the status is {@link Status#UNKNOWN}),
 * and names the operation that failed.
 *
 * <p>Its message reads as one line a person can act on: what failed, the status, and what to do.
 * Misuse of the API itself (a closed handle, a null argument) is not a {@code NeuronException}
 * but an {@link IllegalStateException} or {@link IllegalArgumentException}.
 */
public class NeuronException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Status status;
    private final int rawCode;
    private final String operation;

    /**
     * @param status the status; not {@link Status#SUCCESS}
     * @param operation what was being done, e.g. {@code "read model.npy"} or {@code "nrt_load"}
     * @param detail what went wrong and, where there is something to do, what to do
     */
    public NeuronException(Status status, String operation, String detail) {
        this(status, status.code(), operation, detail, null);
    }

    /** As {@link #NeuronException(Status, String, String)}, with the underlying cause. */
    public NeuronException(Status status, String operation, String detail, Throwable cause) {
        this(status, status.code(), operation, detail, cause);
    }

    /**
     * For a code reported by a native runtime: the status is derived from {@code rawCode}, and an
     * unknown number is kept as it was.
     */
    public static NeuronException fromCode(int rawCode, String operation, String detail) {
        return new NeuronException(Status.fromCode(rawCode), rawCode, operation, detail, null);
    }

    private NeuronException(Status status, int rawCode, String operation, String detail, Throwable cause) {
        super(format(status, rawCode, operation, Objects.requireNonNull(detail, "detail")), cause);
        if (status == Status.SUCCESS) {
            throw new IllegalArgumentException("a NeuronException cannot carry SUCCESS");
        }
        this.status = Objects.requireNonNull(status, "status");
        this.rawCode = rawCode;
        this.operation = Objects.requireNonNull(operation, "operation");
    }

    private static String format(Status status, int rawCode, String operation, String detail) {
        String name = status == Status.UNKNOWN ? "UNKNOWN(" + rawCode + ")" : status.name();
        return operation + " failed [" + name + "]: " + detail;
    }

    /** The status; {@link Status#UNKNOWN} when the runtime reported a number nrt4j does not know. */
    public Status status() {
        return status;
    }

    /** The {@code NRT_STATUS} number as the runtime reported it. */
    public int rawCode() {
        return rawCode;
    }

    /** The operation that failed. */
    public String operation() {
        return operation;
    }
}
