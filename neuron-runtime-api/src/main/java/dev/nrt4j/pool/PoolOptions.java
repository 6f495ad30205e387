package dev.nrt4j.pool;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * How a {@link ModelPool} places and schedules a model: the cores it loads one instance on, whether it
 * groups requests into batches (and how long it waits to fill one), and how many requests may wait.
 * Immutable and thread-safe; each {@code with} method returns a new instance.
 */
public final class PoolOptions {
    /** Requests that may wait for an instance by default, across the pool. */
    public static final int DEFAULT_QUEUE_LIMIT = 256;

    private final int[] cores;
    private final int firstCores;
    private final Duration maxBatchDelay;
    private final int queueLimit;

    private PoolOptions(int[] cores, int firstCores, Duration maxBatchDelay, int queueLimit) {
        this.cores = cores;
        this.firstCores = firstCores;
        this.maxBatchDelay = maxBatchDelay;
        this.queueLimit = queueLimit;
    }

    /**
     * One instance on each of these cores.
     *
     * @param cores indexes into {@code NeuronRuntime.cores()}, at least one, each 0 or more and none twice;
     *     an index past the runtime's cores fails at load time with {@code Status.INVALID}
     * @return options without batching and with the default queue limit
     * @throws IllegalArgumentException if no core is given, one is negative or one is given twice
     */
    public static PoolOptions onCores(int... cores) {
        if (cores.length == 0) {
            throw new IllegalArgumentException("a pool needs at least one core");
        }
        int[] copy = cores.clone();
        if (Arrays.stream(copy).anyMatch(c -> c < 0)) {
            throw new IllegalArgumentException("core indexes must be 0 or more, got " + Arrays.toString(copy));
        }
        if (Arrays.stream(copy).distinct().count() != copy.length) {
            throw new IllegalArgumentException(
                    "a core is given twice in " + Arrays.toString(copy) + "; a pool loads one instance per core");
        }
        return new PoolOptions(copy, 0, null, DEFAULT_QUEUE_LIMIT);
    }

    /**
     * One instance on each of the runtime's first {@code count} cores.
     *
     * @param count how many instances, 1 or more; more than the runtime has fails at load time with
     *     {@code Status.INVALID}
     * @return options without batching and with the default queue limit
     * @throws IllegalArgumentException if {@code count} is less than 1
     */
    public static PoolOptions onFirstCores(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a pool needs at least one instance, got " + count);
        }
        return new PoolOptions(null, count, null, DEFAULT_QUEUE_LIMIT);
    }

    /**
     * Turns on dynamic batching: the model's first dimension is a batch of B rows, requests carry 1 to B
     * rows, and concurrent requests are grouped up to B rows, waiting at most {@code maxBatchDelay} after
     * the first of a batch arrived; the rows left over are padded with zeros and never returned. Only for
     * models whose rows do not affect each other.
     *
     * @param maxBatchDelay how long a batch waits to fill, 0 or more; not null
     * @return new options with batching on
     * @throws IllegalArgumentException if the delay is negative
     */
    public PoolOptions withBatching(Duration maxBatchDelay) {
        Objects.requireNonNull(maxBatchDelay, "maxBatchDelay");
        if (maxBatchDelay.isNegative()) {
            throw new IllegalArgumentException("maxBatchDelay must be 0 or more, got " + maxBatchDelay);
        }
        return new PoolOptions(cores, firstCores, maxBatchDelay, queueLimit);
    }

    /**
     * Bounds the requests waiting for an instance; one more is refused with {@code Status.QUEUE_FULL}.
     *
     * @param limit 1 or more
     * @return new options with that limit
     * @throws IllegalArgumentException if {@code limit} is less than 1
     */
    public PoolOptions withQueueLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the queue limit must be 1 or more, got " + limit);
        }
        return new PoolOptions(cores, firstCores, maxBatchDelay, limit);
    }

    /**
     * The cores chosen: those given, or the first {@code count}.
     *
     * @return the core indexes, a new array
     */
    int[] cores() {
        if (cores != null) {
            return cores.clone();
        }
        int[] out = new int[firstCores];
        Arrays.setAll(out, i -> i);
        return out;
    }

    /** {@return whether requests are grouped into batches} */
    public boolean batching() {
        return maxBatchDelay != null;
    }

    /** {@return how long a batch waits to fill; zero when batching is off} */
    public Duration maxBatchDelay() {
        return maxBatchDelay == null ? Duration.ZERO : maxBatchDelay;
    }

    /** {@return how many requests may wait for an instance} */
    public int queueLimit() {
        return queueLimit;
    }

    @Override
    public String toString() {
        return (cores != null ? "cores " + Arrays.toString(cores) : "first " + firstCores + " cores")
                + (batching() ? ", batching within " + maxBatchDelay.toMillis() + " ms" : ", no batching")
                + ", queue limit " + queueLimit;
    }
}
