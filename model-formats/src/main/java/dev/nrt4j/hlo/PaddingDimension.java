package dev.nrt4j.hlo;

/**
 * One dimension of a {@code pad}: edge padding (negative values crop) and interior padding between elements.
 *
 * @param low elements added before the first (removed when negative)
 * @param high elements added after the last (removed when negative)
 * @param interior elements added between each pair of elements, 0 or more
 */
public record PaddingDimension(long low, long high, long interior) {}
