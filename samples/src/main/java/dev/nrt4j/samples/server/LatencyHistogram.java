package dev.nrt4j.samples.server;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus-style histogram of durations in seconds: fixed upper bounds, a count per bucket, and
 * the sum and count of all observations. Lock-free; {@link #observe} may be called from any thread.
 * A snapshot taken while others observe may be off by the observations in flight, as Prometheus
 * client histograms are.
 */
final class LatencyHistogram {
    /** Upper bounds in seconds, from half a millisecond (a small model on hardware) to ten seconds. */
    static final double[] BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    /** Per bucket, observations no larger than its bound and larger than the previous one; the last is +Inf. */
    private final AtomicLongArray buckets = new AtomicLongArray(BOUNDS.length + 1);

    private final DoubleAdder sum = new DoubleAdder();
    private final LongAdder count = new LongAdder();

    void observe(double seconds) {
        int i = 0;
        while (i < BOUNDS.length && seconds > BOUNDS[i]) {
            i++;
        }
        buckets.incrementAndGet(i);
        sum.add(seconds);
        count.increment();
    }

    /** Cumulative counts, one per bound and a last one for +Inf, as the exposition format wants. */
    long[] cumulative() {
        long[] out = new long[BOUNDS.length + 1];
        long running = 0;
        for (int i = 0; i < out.length; i++) {
            running += buckets.get(i);
            out[i] = running;
        }
        return out;
    }

    double sum() {
        return sum.sum();
    }

    long count() {
        return count.sum();
    }
}
