package dev.nrt4j.reference;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The queue of one simulated NeuronCore: executions on the core run one at a time in arrival order,
 * different cores run in parallel, and any number of caller threads may wait on it. Thread-safe.
 */
final class CoreExecutor {
    private final ExecutorService thread;

    CoreExecutor(String name) {
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs {@code work} on the core and waits for it; its {@link NeuronException}s and other runtime
     * exceptions come out unchanged on the calling thread.
     */
    <T> T run(Callable<T> work) {
        Future<T> f = thread.submit(work);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    // The core keeps executing what it started; waiting it out keeps tensors consistent.
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new NeuronException(Status.FAILURE, "execute on the reference device", String.valueOf(cause), cause);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void shutdown() {
        thread.shutdown();
    }
}
