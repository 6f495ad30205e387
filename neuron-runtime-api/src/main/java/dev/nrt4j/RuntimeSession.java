package dev.nrt4j;

import dev.nrt4j.spi.RuntimeBackend;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The state behind one {@link NeuronRuntime}: its backend, the resources it owns, and whether it is
 * open. Kept apart from the runtime object so that the cleaner can close a runtime the program
 * dropped without closing (releasing its cores) — which requires that nothing here refers back to
 * the {@link NeuronRuntime} itself.
 */
final class RuntimeSession implements Runnable {
    final RuntimeBackend backend;
    final RuntimeLog log;
    final ResourceRegistry registry;
    /** The workers of {@link Model#executeAsync}; the runtime's close fails what they have not started. */
    final CoreQueues queues = new CoreQueues();

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Object closeMonitor = new Object();
    private final Throwable openSite;
    private volatile boolean closed;

    RuntimeSession(RuntimeBackend backend, RuntimeLog log, boolean trackOpenSite) {
        this.backend = backend;
        this.log = log;
        this.registry = new ResourceRegistry(log);
        this.openSite = trackOpenSite ? new Throwable("opened here") : null;
    }

    boolean isClosed() {
        return closed;
    }

    /** Begins a runtime-level call (allocate, load …); pair with {@link #exit()}. */
    void enter() {
        lock.readLock().lock();
        if (closed) {
            lock.readLock().unlock();
            throw new IllegalStateException("the runtime is closed");
        }
    }

    void exit() {
        lock.readLock().unlock();
    }

    /** Closes the owned resources, then the backend; idempotent, and a second closer waits for the first. */
    void close() {
        synchronized (closeMonitor) {
            if (closed) {
                return;
            }
            // Wait for allocations and loads in progress and refuse new ones; the children are closed
            // outside the lock, since a model that allocates holds its own lock while it asks for ours.
            lock.writeLock().lock();
            closed = true;
            lock.writeLock().unlock();
            queues.close();
            queues.failPending(
                    null,
                    () -> new NeuronException(
                            Status.CLOSED,
                            "execute asynchronously",
                            "the runtime was closed before the request started; it never ran"));
            try {
                // Executions in flight hold their model open; the backends that can stop them do so
                // first, so closing the model waits for an execution that is ending, not one that may run for minutes.
                backend.cancelExecutions();
                registry.closeAll();
            } finally {
                queues.shutdown();
                backend.close();
            }
        }
    }

    /** The cleaner's action: the program dropped the runtime without closing it. */
    @Override
    public void run() {
        if (closed) {
            return;
        }
        if (openSite != null) {
            log.log(
                    System.Logger.Level.WARNING,
                    "nrt4j: a runtime was never closed; the garbage collector closed it" + " and released its cores",
                    openSite);
        } else {
            log.log(
                    System.Logger.Level.DEBUG,
                    () -> "nrt4j: a runtime was never closed; the garbage collector closed it");
        }
        try {
            close();
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.WARNING, "nrt4j: closing a dropped runtime failed", e);
        }
    }
}
