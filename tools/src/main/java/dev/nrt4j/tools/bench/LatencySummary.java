package dev.nrt4j.tools.bench;

import java.util.Arrays;

/**
 * Latency statistics of a run, in milliseconds. Percentiles are nearest-rank (the smallest sample with
 * at least that share of samples at or below it), so each is a latency that was actually measured.
 *
 * @param count samples
 * @param min fastest
 * @param mean average
 * @param p50 median
 * @param p90 90th percentile
 * @param p99 99th percentile
 * @param max slowest
 */
record LatencySummary(int count, double min, double mean, double p50, double p90, double p99, double max) {
    /** Statistics of {@code nanos}, which must not be empty; the array is sorted in place. */
    static LatencySummary ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no latencies");
        }
        Arrays.sort(nanos);
        double sum = 0;
        for (long n : nanos) {
            sum += n;
        }
        return new LatencySummary(
                nanos.length,
                ms(nanos[0]),
                sum / nanos.length / 1e6,
                ms(rank(nanos, 0.50)),
                ms(rank(nanos, 0.90)),
                ms(rank(nanos, 0.99)),
                ms(nanos[nanos.length - 1]));
    }

    /** The nearest-rank percentile {@code p} (0..1] of sorted samples. */
    static long rank(long[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
