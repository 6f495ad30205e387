package dev.nrt4j;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The open/closed state of one resource (tensor, tensor set, model): uses run under a shared lock,
 * release takes it exclusively, so a handle is never freed while a call is inside it, and is freed
 * exactly once — by {@code close}, by the runtime's close, or by the {@link Cleaner} when the user
 * dropped the resource without closing it.
 *
 * <p>It must never refer to the object it guards, or the cleaner could not see that object become
 * unreachable.
 */
final class Lifecycle {
    private static final Cleaner CLEANER = Cleaner.create();

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final AtomicBoolean released = new AtomicBoolean();
    private final ResourceRegistry.Kind kind;
    private final String description;
    private final Runnable release;
    private final ResourceRegistry registry;
    private final Throwable allocationSite;
    private final Cleaner.Cleanable cleanable;

    /**
     * @param guarded the API object whose unreachability frees the resource
     * @param kind which family of resources it belongs to
     * @param description e.g. {@code tensor 'input0' (24 bytes on core 0)}, used in messages
     * @param release frees the backend handle; runs at most once
     * @param registry the owning runtime's registry, which the resource leaves when released
     * @param trackAllocation whether to record the allocating stack for leak reports
     */
    Lifecycle(
            Object guarded,
            ResourceRegistry.Kind kind,
            String description,
            Runnable release,
            ResourceRegistry registry,
            boolean trackAllocation) {
        this.kind = kind;
        this.description = description;
        this.release = release;
        this.registry = registry;
        this.allocationSite = trackAllocation ? new Throwable("allocated here") : null;
        registry.add(this);
        this.cleanable = CLEANER.register(guarded, new Unreachable(this));
    }

    ResourceRegistry.Kind kind() {
        return kind;
    }

    String description() {
        return description;
    }

    boolean isOpen() {
        return !released.get();
    }

    /**
     * Begins a use; pair with {@link #exit()} in a finally block.
     *
     * @throws IllegalStateException if the resource is closed
     */
    void enter() {
        lock.readLock().lock();
        if (released.get()) {
            lock.readLock().unlock();
            throw new IllegalStateException(description + " is closed");
        }
    }

    /**
     * Begins a use while the caller is already inside another resource; pair with {@link #exit()}.
     * It never waits: a resource that is being closed at this moment counts as closed. Waiting here
     * could deadlock, because the caller's first resource may be wanted by a closer that waits for us.
     *
     * @throws IllegalStateException if the resource is closed or being closed
     */
    void enterNested() {
        if (!lock.readLock().tryLock()) {
            throw new IllegalStateException(description + " is being closed");
        }
        if (released.get()) {
            lock.readLock().unlock();
            throw new IllegalStateException(description + " is closed");
        }
    }

    void exit() {
        lock.readLock().unlock();
    }

    /** Releases the resource once in-flight uses have finished; later calls do nothing. */
    void close() {
        releaseExclusively();
        cleanable.clean();
    }

    /**
     * Every release path (close, the runtime's close, the Cleaner) goes through here, under the write
     * lock: a second closer then waits until the first one's release has finished instead of returning
     * early, so the runtime never closes its backend while a free is still running on another thread;
     * and the Cleaner cannot free a handle that a call is still inside.
     */
    private void releaseExclusively() {
        lock.writeLock().lock();
        try {
            if (released.compareAndSet(false, true)) {
                try {
                    release.run();
                } finally {
                    // Only now: while it is listed, the runtime's close waits for this release.
                    registry.remove(this);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The cleaner's action: the API object became unreachable while the resource was open. */
    private static final class Unreachable implements Runnable {
        private final Lifecycle lifecycle;

        Unreachable(Lifecycle lifecycle) {
            this.lifecycle = lifecycle;
        }

        @Override
        public void run() {
            if (!lifecycle.isOpen()) {
                return;
            }
            if (lifecycle.allocationSite != null) {
                lifecycle.registry.log.log(
                        System.Logger.Level.WARNING,
                        "nrt4j: " + lifecycle.description + " was never closed; the garbage collector freed it",
                        lifecycle.allocationSite);
            } else {
                lifecycle.registry.log.log(
                        System.Logger.Level.DEBUG,
                        () -> "nrt4j: " + lifecycle.description
                                + " was never closed; the garbage collector freed it (set -Dnrt4j.leakDetection=true to see where it was allocated)");
            }
            try {
                lifecycle.releaseExclusively();
            } catch (RuntimeException e) {
                lifecycle.registry.log.log(
                        System.Logger.Level.WARNING, "nrt4j: freeing " + lifecycle.description + " failed", e);
            }
        }
    }
}
