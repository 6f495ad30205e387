package dev.nrt4j.tools.top;

import java.util.Locale;

/**
 * FLOP rates as neuron-top prints them, {@code 10.004TF}: three decimals and a unit of 1000 steps. neuron-top
 * always says TF, which suits hardware; the reference device does gigaflops, which would all read
 * {@code 0.000TF}, so the unit steps down to GF, MF and KF while the figure is below 1 (0 still reads
 * {@code 0.000TF}). Always 9 characters wide, right-aligned, for the grid's cells.
 */
final class FlopRate {
    private static final String[] UNITS = {"TF", "GF", "MF", "KF"};

    private FlopRate() {}

    /** {@code flopsPerSecond} in the largest unit in which it is at least 1. */
    static String format(double flopsPerSecond) {
        double value = Math.max(0, flopsPerSecond) / 1e12;
        int unit = 0;
        // Step down before rounding would print 0.000 of a unit, and never past KF.
        while (value != 0 && value < 0.9995 && unit < UNITS.length - 1) {
            value *= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%7.3f%s", value, UNITS[unit]);
    }
}
