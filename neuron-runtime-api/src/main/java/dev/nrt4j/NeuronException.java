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

    /** The status; never {@link Status#SUCCESS}. */
    private final Status status;
    /** The number the runtime reported, kept because {@link Status#UNKNOWN} loses it. */
    private final int rawCode;
    /** What was being done when it failed. */
    private final String operation;

    /**
     * An exception for a fault nrt4j found itself; the raw code is the status's own.
     *
     * @param status the status; not null, not {@link Status#SUCCESS}
     * @param operation what was being done, e.g. {@code "read model.npy"} or {@code "nrt_load"}; not null
     * @param detail what went wrong and, where there is something to do, what to do; not null
     * @throws IllegalArgumentException if {@code status} is {@link Status#SUCCESS}
     * @throws NullPointerException if an argument is null
     */
    public NeuronException(Status status, String operation, String detail) {
        this(status, status.code(), operation, detail, null);
    }

    /**
     * As {@link #NeuronException(Status, String, String)}, with the underlying cause.
     *
     * @param status the status; not null, not {@link Status#SUCCESS}
     * @param operation what was being done; not null
     * @param detail what went wrong and what to do; not null
     * @param cause the exception that led to this one, e.g. an {@link java.io.IOException}; may be null
     * @throws IllegalArgumentException if {@code status} is {@link Status#SUCCESS}
     * @throws NullPointerException if {@code status}, {@code operation} or {@code detail} is null
     */
    public NeuronException(Status status, String operation, String detail, Throwable cause) {
        this(status, status.code(), operation, detail, cause);
    }

    /**
     * For a code reported by a native runtime: the status is derived from {@code rawCode}, and an
     * unknown number is kept as it was.
     *
     * @param rawCode the {@code NRT_STATUS} number, not 0 ({@code NRT_SUCCESS})
     * @param operation the native call or step that failed, e.g. {@code "nrt_load"}; not null
     * @param detail what went wrong and what to do; not null
     * @return the exception, for the caller to throw
     * @throws IllegalArgumentException if {@code rawCode} means success
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

    /** {@return the status; {@link Status#UNKNOWN} when the runtime reported a number nrt4j does not know} */
    public Status status() {
        return status;
    }

    /** {@return the {@code NRT_STATUS} number as the runtime reported it (for nrt4j's own faults, the status's code)} */
    public int rawCode() {
        return rawCode;
    }

    /** {@return the operation that failed, as passed to the constructor} */
    public String operation() {
        return operation;
    }
}
