package dev.nrt4j.reference;

import dev.nrt4j.NeuronException;
import dev.nrt4j.spi.UninterruptibleWait;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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
     * Runs {@code work} on the core and waits for it, an interrupt notwithstanding (the core keeps executing
     * what it started; waiting it out keeps tensors consistent); its {@link NeuronException}s and other runtime
     * exceptions come out unchanged on the calling thread.
     */
    <T> T run(Callable<T> work) {
        return UninterruptibleWait.get(thread.submit(work), "execute on the reference device");
    }

    void shutdown() {
        thread.shutdown();
    }
}
