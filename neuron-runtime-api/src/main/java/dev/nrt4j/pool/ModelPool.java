package dev.nrt4j.pool;

import dev.nrt4j.HostTensor;
import dev.nrt4j.LoadOptions;
import dev.nrt4j.Model;
import dev.nrt4j.ModelSignature;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.Status;
import dev.nrt4j.TensorInfo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One model loaded on several NeuronCores, one instance per core, serving requests from any number of
 * threads. Requests wait in one bounded queue; each instance has a worker thread that takes the next
 * request as soon as its instance is idle, so a request always goes to an instance with nothing to do,
 * the least loaded one. With {@linkplain PoolOptions#withBatching batching} on, a worker groups the
 * requests waiting (and those arriving within the batch delay) into one execution of the model's
 * compiled batch, pads the rows left over with zeros, and hands each caller only its own rows.
 *
 * <p><b>Ownership:</b> the pool owns its models: the caller closes the pool, which unloads them. The
 * runtime stays the caller's and must stay open while the pool is; closing the runtime first unloads
 * the models, after which requests fail with what the backend reports.
 *
 * <p><b>Thread-safety:</b> {@link #run} may be called from any number of threads at once; it blocks
 * until its request has been executed. {@link #close()} refuses new requests, lets those already
 * queued finish, then unloads.
 *
 * <p><b>Errors:</b> {@link Status#INVALID} at load for a core the runtime does not have, or batching on
 * a model without a common batch dimension; {@link Status#EXEC_BAD_INPUT} for a request whose inputs
 * are missing or of the wrong dtype or shape; {@link Status#QUEUE_FULL} when the queue is full;
 * {@link Status#CLOSED} once the pool is closing; otherwise what loading or executing the model reports.
 */
public final class ModelPool implements AutoCloseable {
    private final String name;
    private final ModelSignature signature;
    private final List<Model> instances;
    private final List<Thread> workers = new ArrayList<>();
    private final PoolOptions options;
    /** The compiled batch (rows per execution) with batching on, else 0. */
    private final int batch;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Request> queue = new ArrayDeque<>();
    /** Held by the one worker forming a batch, so that idle workers do not take its late arrivals. */
    private final ReentrantLock forming = new ReentrantLock(true);

    private boolean closing;

    private final LongAdder success = new LongAdder();
    private final LongAdder failure = new LongAdder();
    private final LongAdder inferences = new LongAdder();
    private final LongAdder executions = new LongAdder();
    private final LongAdder queueNanos = new LongAdder();
    private final LongAdder computeNanos = new LongAdder();
    private final LongAdder requestNanos = new LongAdder();
    /** Executing time per instance, by core; the keys are fixed at construction. */
    private final Map<Integer, LongAdder> busyNanos = new TreeMap<>();

    private ModelPool(String name, List<Model> instances, PoolOptions options, int batch) {
        this.name = name;
        this.instances = List.copyOf(instances);
        this.signature = instances.get(0).signature();
        this.options = options;
        this.batch = batch;
        for (Model m : this.instances) {
            busyNanos.put(m.core(), new LongAdder());
        }
        for (Model m : this.instances) {
            Thread t = new Thread(() -> work(m), "nrt4j-pool-" + name + "-core" + m.core());
            t.setDaemon(true);
            workers.add(t);
        }
        workers.forEach(Thread::start);
    }

    /**
     * Loads {@code source} once on each core {@code options} chooses.
     *
     * @param runtime the runtime to load on; open, stays the caller's
     * @param source the model; not null
     * @param options where and how; not null
     * @return a pool the caller owns and closes
     * @throws NeuronException {@link Status#INVALID} for a core the runtime does not have, or with batching
     *     on, a model whose inputs and outputs do not all have the same first dimension; what
     *     {@link NeuronRuntime#load(ModelSource, LoadOptions)} throws (instances already loaded are unloaded)
     */
    public static ModelPool load(NeuronRuntime runtime, ModelSource source, PoolOptions options) {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(options, "options");
        int available = runtime.cores().size();
        int[] cores = options.cores();
        for (int core : cores) {
            if (core >= available) {
                throw new NeuronException(
                        Status.INVALID,
                        "load pool of " + source.name(),
                        "core " + core + " is not one of the runtime's " + available + " cores (0.." + (available - 1)
                                + "); choose fewer or other cores");
            }
        }
        List<Model> loaded = new ArrayList<>();
        try {
            for (int core : cores) {
                loaded.add(runtime.load(source, LoadOptions.onCore(core)));
            }
            int batch =
                    options.batching() ? batchOf(source.name(), loaded.get(0).signature()) : 0;
            return new ModelPool(source.name(), loaded, options, batch);
        } catch (RuntimeException e) {
            loaded.forEach(Model::close);
            throw e;
        }
    }

    private static int batchOf(String name, ModelSignature sig) {
        List<TensorInfo> all = new ArrayList<>(sig.inputs());
        all.addAll(sig.outputs());
        long first = -1;
        for (TensorInfo t : all) {
            long d = t.shape().rank() == 0 ? -1 : t.shape().dim(0);
            if (d < 1 || (first >= 0 && d != first)) {
                throw new NeuronException(
                        Status.INVALID,
                        "load pool of " + name,
                        "batching needs every input and output to have the"
                                + " same first dimension, the batch, but the model has " + sig
                                + "; turn batching off for it");
            }
            first = d;
        }
        if (first > Integer.MAX_VALUE) {
            throw new NeuronException(
                    Status.INVALID, "load pool of " + name, "a batch of " + first + " rows is too large to split");
        }
        return (int) first;
    }

    /** {@return the model's inputs and outputs, as each instance has them} */
    public ModelSignature signature() {
        return signature;
    }

    /** {@return the model's name, as its source names it} */
    public String name() {
        return name;
    }

    /** {@return the cores holding an instance, in load order} */
    public List<Integer> cores() {
        List<Integer> out = new ArrayList<>();
        instances.forEach(m -> out.add(m.core()));
        return Collections.unmodifiableList(out);
    }

    /** {@return the options it was loaded with} */
    public PoolOptions options() {
        return options;
    }

    /** {@return the rows one execution takes with batching on, or 0 when batching is off} */
    public int maxBatch() {
        return batch;
    }

    /** {@return a snapshot of what it has done} */
    public PoolStats stats() {
        SortedMap<Integer, Long> busy = new TreeMap<>();
        busyNanos.forEach((core, nanos) -> busy.put(core, nanos.sum()));
        return new PoolStats(
                success.sum(),
                failure.sum(),
                inferences.sum(),
                executions.sum(),
                queueNanos.sum(),
                computeNanos.sum(),
                requestNanos.sum(),
                busy);
    }

    /** {@return how many requests are waiting for an instance now} */
    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs one request on an idle instance; blocks until it has run.
     *
     * @param inputs every input of the signature by name (extra entries are ignored), with its dtype and
     *     shape; with batching on, the shape may have 1 to {@link #maxBatch()} rows in place of the batch,
     *     the same number for every input
     * @return the outputs by name in signature order, with as many rows as the request had; a new map the
     *     caller owns
     * @throws NeuronException {@link Status#EXEC_BAD_INPUT}, {@link Status#QUEUE_FULL}, {@link Status#CLOSED},
     *     or what the execution reports
     */
    public Map<String, HostTensor> run(Map<String, HostTensor> inputs) {
        Objects.requireNonNull(inputs, "inputs");
        long start = System.nanoTime();
        Request r;
        try {
            r = new Request(inputs, rowsOf(inputs), start);
            enqueue(r);
        } catch (RuntimeException e) {
            failure.increment();
            throw e;
        }
        try {
            Map<String, HostTensor> out = r.result.get();
            success.increment();
            inferences.add(batch > 0 ? r.rows : 1);
            queueNanos.add(r.started - r.arrived);
            computeNanos.add(r.computed);
            requestNanos.add(System.nanoTime() - start);
            return out;
        } catch (ExecutionException e) {
            failure.increment();
            Throwable cause = e.getCause();
            if (cause instanceof NeuronException) {
                throw (NeuronException) cause;
            }
            throw new NeuronException(Status.FAILURE, "run pool " + name, String.valueOf(cause), cause);
        } catch (InterruptedException e) {
            failure.increment();
            Thread.currentThread().interrupt();
            throw new NeuronException(
                    Status.FAILURE, "run pool " + name, "interrupted while waiting for the execution", e);
        }
    }

    /** Checks the inputs against the signature; returns the request's rows (1 without batching). */
    private int rowsOf(Map<String, HostTensor> inputs) {
        int rows = -1;
        for (TensorInfo info : signature.inputs()) {
            HostTensor given = inputs.get(info.name());
            if (given == null) {
                throw bad("input '" + info.name() + "' is missing; the model takes " + signature.inputs());
            }
            long[] want = info.shape().dims();
            long[] have = given.shape().dims();
            boolean sameRest = have.length == want.length
                    && (batch == 0 || Arrays.equals(have, 1, have.length, want, 1, want.length));
            boolean fits = batch == 0 ? Arrays.equals(have, want) : sameRest && have[0] >= 1 && have[0] <= batch;
            if (given.dtype() != info.dtype() || !fits) {
                throw bad("input '" + info.name() + "' is " + given.dtype().hloName() + given.shape()
                        + " but the model takes "
                        + info.dtype().hloName()
                        + (batch == 0
                                ? info.shape().toString()
                                : BatchRows.rowsOf(info, 0).toString().replaceFirst("0", "1.." + batch)));
            }
            int r = batch == 0 ? 1 : (int) have[0];
            if (rows >= 0 && r != rows) {
                throw bad("the inputs have different numbers of rows (" + rows + " and " + r
                        + "); give every input the same");
            }
            rows = r;
        }
        return Math.max(rows, 1);
    }

    private NeuronException bad(String detail) {
        return new NeuronException(Status.EXEC_BAD_INPUT, "run pool " + name, detail);
    }

    private void enqueue(Request r) {
        lock.lock();
        try {
            if (closing) {
                throw new NeuronException(
                        Status.CLOSED, "run pool " + name, "the pool is closing; no new requests are taken");
            }
            if (queue.size() >= options.queueLimit()) {
                throw new NeuronException(
                        Status.QUEUE_FULL,
                        "run pool " + name,
                        queue.size()
                                + " requests are already waiting (the queue limit); try again later or add instances");
            }
            queue.add(r);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A worker: forms the next batch (one request without batching), runs it on its instance, repeats. */
    private void work(Model model) {
        while (true) {
            List<Request> taken;
            forming.lock();
            try {
                taken = take();
            } catch (InterruptedException e) {
                return;
            } finally {
                forming.unlock();
            }
            if (taken.isEmpty()) {
                return;
            }
            execute(model, taken);
        }
    }

    /** The next batch, empty once closing with nothing queued. */
    private List<Request> take() throws InterruptedException {
        List<Request> taken = new ArrayList<>();
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (closing) {
                    return taken;
                }
                arrived.await();
            }
            Request first = queue.poll();
            taken.add(first);
            if (batch == 0) {
                return taken;
            }
            int rows = first.rows;
            long deadline = first.arrived + options.maxBatchDelay().toNanos();
            while (rows < batch) {
                Request next = queue.peek();
                if (next != null) {
                    if (rows + next.rows > batch) {
                        break;
                    }
                    taken.add(queue.poll());
                    rows += next.rows;
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || closing) {
                    break;
                }
                arrived.awaitNanos(left);
            }
            return taken;
        } finally {
            lock.unlock();
        }
    }

    private void execute(Model model, List<Request> taken) {
        long started = System.nanoTime();
        taken.forEach(r -> r.started = started);
        boolean finished = false;
        try {
            if (batch == 0) {
                Request r = taken.get(0);
                Map<String, HostTensor> out = model.run(r.inputs);
                finished = finish(model, taken, started);
                r.result.complete(out);
                return;
            }
            Map<String, HostTensor> packed = new java.util.LinkedHashMap<>();
            for (TensorInfo info : signature.inputs()) {
                List<HostTensor> parts = new ArrayList<>();
                taken.forEach(r -> parts.add(r.inputs.get(info.name())));
                packed.put(info.name(), BatchRows.pack(info, parts));
            }
            Map<String, HostTensor> out = model.run(packed);
            finished = finish(model, taken, started);
            int first = 0;
            for (Request r : taken) {
                r.result.complete(BatchRows.slice(signature.outputs(), out, first, r.rows));
                first += r.rows;
            }
        } catch (RuntimeException | Error e) {
            if (!finished) {
                // A failed execution kept its core busy too.
                busyNanos.get(model.core()).add(System.nanoTime() - started);
            }
            taken.forEach(r -> r.result.completeExceptionally(e));
        }
    }

    /** Counts a finished execution, before any caller sees its result: a caller's stats then include it. */
    private boolean finish(Model model, List<Request> taken, long started) {
        long took = System.nanoTime() - started;
        executions.increment();
        busyNanos.get(model.core()).add(took);
        taken.forEach(r -> r.computed = took);
        return true;
    }

    /**
     * Refuses new requests ({@link Status#CLOSED}), lets the queued ones run, then unloads every instance.
     * Idempotent; blocks until done.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        for (Thread t : workers) {
            while (t.isAlive()) {
                try {
                    t.join(TimeUnit.SECONDS.toMillis(1));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        instances.forEach(Model::close);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@return whether it takes requests: not closing or closed} */
    public boolean isOpen() {
        lock.lock();
        try {
            return !closing;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "pool of " + name + " on cores " + cores() + (batch > 0 ? ", batch " + batch : "");
    }

    /** One caller's request, from arrival to its outputs. */
    private static final class Request {
        final Map<String, HostTensor> inputs;
        final int rows;
        final long arrived;
        final CompletableFuture<Map<String, HostTensor>> result = new CompletableFuture<>();
        volatile long started;
        volatile long computed;

        Request(Map<String, HostTensor> inputs, int rows, long arrived) {
            this.inputs = Map.copyOf(inputs);
            this.rows = rows;
            this.arrived = arrived;
        }
    }
}
