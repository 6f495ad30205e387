package dev.nrt4j.device.driver;

/**
 * One driver memory counter: {@code total} is the memory in use now, {@code present} the last change
 * and {@code peak} the high-water mark of total (the driver's rules, {@code neff-sysfs-tools.md} §3.2).
 *
 * @param total bytes in use now
 * @param present the last change of {@code total}, in bytes
 * @param peak the highest {@code total} since the counter was last reset, in bytes
 */
public record MemoryCounter(long total, long present, long peak) {
    /** A counter that was never touched. */
    public static final MemoryCounter ZERO = new MemoryCounter(0, 0, 0);
}
