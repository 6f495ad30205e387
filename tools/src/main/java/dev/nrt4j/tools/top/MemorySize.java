package dev.nrt4j.tools.top;

import java.util.Locale;

/** Byte counts as neuron-top prints them: one decimal and a unit of 1024 steps, {@code 17.5GB}, {@code 256.0KB}, {@code 0.0B}. */
final class MemorySize {
    private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB", "PB"};

    private MemorySize() {}

    static String format(long bytes) {
        double value = Math.max(0, bytes);
        int unit = 0;
        // Step up before rounding would print 1024.0 of a unit.
        while (value >= 1023.95 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f%s", value, UNITS[unit]);
    }
}
