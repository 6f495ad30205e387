package dev.nrt4j.device.driver;

import java.util.Map;

/**
 * The counters of one physical core at one moment. Maps hold every name of {@link SysfsLayout}'s
 * lists; a file the tree lacks reads as 0.
 *
 * @param device the device id
 * @param physicalCore the core's index on its device
 * @param deviceMemory the core's total device memory ({@code device_mem} itself)
 * @param deviceMemoryByCategory {@code device_mem/<category>}, by category; unmodifiable
 * @param hostMemory the core's {@code host_mem}
 * @param status the {@code total} of every status counter, by name; unmodifiable
 * @param otherInfo the {@code total} of every other_info counter, by name; unmodifiable
 */
public record CoreCounters(
        int device,
        int physicalCore,
        MemoryCounter deviceMemory,
        Map<String, MemoryCounter> deviceMemoryByCategory,
        MemoryCounter hostMemory,
        Map<String, Long> status,
        Map<String, Long> otherInfo) {
    /**
     * Copies the maps, so that a reader's later changes to them cannot show through.
     *
     * @param device the device id
     * @param physicalCore the core's index on its device
     * @param deviceMemory the core's total device memory
     * @param deviceMemoryByCategory {@code device_mem/<category>}; copied, not null, no null keys or values
     * @param hostMemory the core's {@code host_mem}
     * @param status status counter totals by name; copied, not null, no null keys or values
     * @param otherInfo other_info counter totals by name; copied, not null, no null keys or values
     * @throws NullPointerException if a map, or a key or value in one, is null
     */
    public CoreCounters {
        deviceMemoryByCategory = Map.copyOf(deviceMemoryByCategory);
        status = Map.copyOf(status);
        otherInfo = Map.copyOf(otherInfo);
    }

    /**
     * {@code device_mem/<category>/total}, 0 for an unknown category.
     *
     * @param category one of {@link SysfsLayout#DEVICE_MEM_CATEGORIES}, e.g. {@code "tensors"}
     * @return the bytes in use now in that category
     */
    public long deviceMemory(String category) {
        MemoryCounter c = deviceMemoryByCategory.get(category);
        return c == null ? 0 : c.total();
    }

    /**
     * {@code stats/other_info/<name>/total}, 0 for an unknown name.
     *
     * @param name one of {@link SysfsLayout#OTHER_INFO}, e.g. {@code "inference_count"}
     * @return the counter's total
     */
    public long otherInfo(String name) {
        return otherInfo.getOrDefault(name, 0L);
    }

    /**
     * {@code stats/status/<name>/total}, 0 for an unknown name.
     *
     * @param name one of {@link SysfsLayout#STATUS_COUNTERS}, e.g. {@code "timeout"}
     * @return the counter's total
     */
    public long status(String name) {
        return status.getOrDefault(name, 0L);
    }
}
