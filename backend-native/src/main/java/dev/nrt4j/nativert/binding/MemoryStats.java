package dev.nrt4j.nativert.binding;

/**
 * libnrt's {@code nrt_vnc_memory_stats_t}: device memory used on one core and its limit. Immutable.
 *
 * @param bytesUsed {@code bytes_used}
 * @param bytesLimit {@code bytes_limit}
 */
public record MemoryStats(long bytesUsed, long bytesLimit) {}
