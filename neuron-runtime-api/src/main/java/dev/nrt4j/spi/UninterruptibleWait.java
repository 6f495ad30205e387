package dev.nrt4j.spi;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Waiting for an execution that cannot be abandoned half-way, for the API's asynchronous path and for backends
 * that run executions on their own threads: the device (or the core's thread) keeps writing the outputs, so
 * the tensors must stay open until it stops. An interrupt therefore does not end the wait; it is kept and set
 * again on the thread once the wait is over. What the work threw comes out as it was. Stateless and
 * thread-safe.
 */
public final class UninterruptibleWait {
    private UninterruptibleWait() {}

    /**
     * The result of {@code work}, once it has finished.
     *
     * @param <T> the result's type
     * @param work the running work; not null
     * @param operation what it does, for the message of a failure that is neither a runtime exception nor an
     *     error
     * @return its result
     * @throws RuntimeException what the work threw, unchanged ({@link NeuronException}s included)
     * @throws NeuronException {@link Status#FAILURE} if it threw a checked exception
     */
    public static <T> T get(Future<T> work, String operation) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return work.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException) {
                        throw (RuntimeException) cause;
                    }
                    if (cause instanceof Error) {
                        throw (Error) cause;
                    }
                    throw new NeuronException(Status.FAILURE, operation, String.valueOf(cause), cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
