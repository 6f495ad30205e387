package dev.nrt4j.hlo;

/**
 * One dimension of a {@code slice}: elements {@code start, start+stride, …} below {@code limit}.
 *
 * @param start first index
 * @param limit exclusive end
 * @param stride step, at least 1
 */
public record SliceDimension(long start, long limit, long stride) {}
