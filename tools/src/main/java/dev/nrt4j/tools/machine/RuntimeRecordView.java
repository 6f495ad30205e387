package dev.nrt4j.tools.machine;

import java.util.List;
import java.util.Map;

/**
 * One nrt4j runtime record as read back (the format of {@code dev.nrt4j.reference.sysfs.RuntimeRecord}).
 *
 * @param pid the process
 * @param command its command line
 * @param tag {@code NEURON_PROCESS_TAG}, or the pid
 * @param runtimeVersion the runtime's name and version
 * @param lnc the logical core size it runs at
 * @param updatedMillis when the record was last written, epoch ms
 * @param cores the global logical core ids it holds
 * @param models its loaded models
 * @param deviceMemory per held core id, bytes by category
 * @param hostMemory bytes by category
 * @param executions counts by {@code dev.nrt4j.Status} name
 * @param latencies recent executions: [end epoch ms, microseconds]
 * @param flops per held core id, the floating-point operations it executed since the runtime opened;
 *     empty from a runtime that does not count them
 */
public record RuntimeRecordView(
        long pid,
        String command,
        String tag,
        String runtimeVersion,
        int lnc,
        long updatedMillis,
        List<Integer> cores,
        List<LoadedModel> models,
        Map<Integer, Map<String, Long>> deviceMemory,
        Map<String, Long> hostMemory,
        Map<String, Long> executions,
        List<long[]> latencies,
        Map<Integer, Long> flops) {
    /**
     * A model a runtime loaded.
     *
     * @param modelId its id, from 10001
     * @param name what it was loaded from
     * @param core the global logical core id
     * @param device the device id
     * @param constants bytes of constants on the device
     * @param modelCode bytes of instructions on the device
     */
    public record LoadedModel(int modelId, String name, int core, int device, long constants, long modelCode) {}

    /** Device memory of all held cores by category. */
    public Map<String, Long> deviceMemoryByCategory() {
        Map<String, Long> out = new java.util.TreeMap<>();
        deviceMemory.values().forEach(m -> m.forEach((k, v) -> out.merge(k, v, Long::sum)));
        return out;
    }

    /** Device memory of all held cores. */
    public long deviceMemoryTotal() {
        return deviceMemory.values().stream()
                .flatMap(m -> m.values().stream())
                .mapToLong(Long::longValue)
                .sum();
    }

    /** Host memory of all categories. */
    public long hostMemoryTotal() {
        return hostMemory.values().stream().mapToLong(Long::longValue).sum();
    }
}
