package dev.nrt4j.device.driver;

import java.util.Map;

/**
 * The counters of one physical core at one moment. Maps hold every name of {@link SysfsLayout}'s
 * lists; a file the tree lacks reads as 0.
 *
 * @param device the device id
 * @param physicalCore the core's index on its device
 * @param deviceMemory the core's total device memory ({@code device_mem} itself)
 * @param deviceMemoryByCategory {@code device_mem/<category>}
 * @param hostMemory the core's {@code host_mem}
 * @param status the {@code total} of every status counter
 * @param otherInfo the {@code total} of every other_info counter
 */
public record CoreCounters(int device, int physicalCore, MemoryCounter deviceMemory,
                           Map<String, MemoryCounter> deviceMemoryByCategory, MemoryCounter hostMemory,
                           Map<String, Long> status, Map<String, Long> otherInfo) {
    public CoreCounters {
        deviceMemoryByCategory = Map.copyOf(deviceMemoryByCategory);
        status = Map.copyOf(status);
        otherInfo = Map.copyOf(otherInfo);
    }

    /** {@code device_mem/<category>/total}, 0 for an unknown category. */
    public long deviceMemory(String category) {
        MemoryCounter c = deviceMemoryByCategory.get(category);
        return c == null ? 0 : c.total();
    }

    /** {@code stats/other_info/<name>/total}, 0 for an unknown name. */
    public long otherInfo(String name) {
        return otherInfo.getOrDefault(name, 0L);
    }

    /** {@code stats/status/<name>/total}, 0 for an unknown name. */
    public long status(String name) {
        return status.getOrDefault(name, 0L);
    }
}
