package dev.nrt4j.hlo;

/**
 * One pair of a {@code collective-permute}: the participant that sends and the one that receives.
 *
 * @param source sending replica (or partition)
 * @param target receiving replica (or partition)
 */
public record SourceTargetPair(long source, long target) {}
