package dev.nrt4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The API layer's queues for {@link Model#executeAsync}: one single-thread worker per core, so requests
 * on one core run one at a time in submission order, and every backend gets asynchronous execution by
 * calling its synchronous path from the worker. Thread-safe.
 *
 * <p>Workers are created on first use and end after a second idle: a live thread is a garbage-collection
 * root, and an idle runtime the program dropped must stay collectable. Nothing here refers to the
 * {@link NeuronRuntime} (the session that owns this must not).
 */
final class CoreQueues {
    private static final long IDLE_SECONDS = 1;

    private final Map<Integer, ThreadPoolExecutor> workers = new ConcurrentHashMap<>();
    /** Submitted, not yet started and not yet failed by a close. */
    private final Set<AsyncRequest> pending = ConcurrentHashMap.newKeySet();

    private boolean closed;

    /**
     * Queues {@code work} for {@code request} on {@code core}. When the runtime is closed the request
     * completes at once with {@link Status#CLOSED}.
     */
    synchronized void submit(int core, AsyncRequest request, Runnable work, Supplier<NeuronException> whenClosed) {
        if (closed) {
            request.completeExceptionally(whenClosed.get());
            return;
        }
        pending.add(request);
        try {
            workers.computeIfAbsent(core, CoreQueues::worker).execute(() -> {
                // Whoever removes it owns it: a close that got here first has failed it already.
                if (pending.remove(request) && !request.isDone()) {
                    work.run();
                }
            });
        } catch (RejectedExecutionException e) {
            pending.remove(request);
            request.completeExceptionally(whenClosed.get());
        }
    }

    /**
     * Fails, with the exception {@code closedFor} makes, every request not started yet that belongs to
     * {@code owner} (every request when {@code owner} is null). Running requests are left to finish.
     */
    void failPending(Object owner, Supplier<NeuronException> closedFor) {
        List<AsyncRequest> failed = new ArrayList<>();
        for (AsyncRequest r : pending) {
            if ((owner == null || r.owner == owner) && pending.remove(r)) {
                failed.add(r);
            }
        }
        failed.forEach(r -> r.completeExceptionally(closedFor.get()));
    }

    /** Refuses new requests; call {@link #failPending} after it, then {@link #shutdown()}. */
    synchronized void close() {
        closed = true;
    }

    /** Lets the workers end once the requests they run have finished. */
    void shutdown() {
        workers.values().forEach(ThreadPoolExecutor::shutdown);
    }

    private static ThreadPoolExecutor worker(int core) {
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(1, 1, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "nrt4j-async-core" + core);
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
