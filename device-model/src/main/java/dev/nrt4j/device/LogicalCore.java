package dev.nrt4j.device;

import java.util.List;

/**
 * One logical NeuronCore of an instance at a given LNC size: where it sits and which memory it
 * draws from.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id             the global logical core id, as {@code NEURON_RT_VISIBLE_CORES} numbers it
 * @param device         the Neuron device (chip) that holds it
 * @param indexOnDevice  its position among the device's logical cores, from 0
 * @param physicalCores  the device-local physical core indices it groups, ascending; unmodifiable
 * @param hbmStack       the device-local HBM stack it allocates from
 * @param hbmStackBytes  the nominal bytes that stack holds (shared with any other core on the stack)
 */
public record LogicalCore(
        int id, int device, int indexOnDevice, List<Integer> physicalCores, int hbmStack, long hbmStackBytes) {
    /**
     * Checks and copies the components.
     *
     * @param id             the global logical core id, 0 or more
     * @param device         the device id, 0 or more
     * @param indexOnDevice  the position among the device's logical cores, 0 or more
     * @param physicalCores  the physical core indices, ascending; copied, not null and not empty
     * @param hbmStack       the HBM stack index, 0 or more
     * @param hbmStackBytes  the stack's nominal size, positive
     * @throws IllegalArgumentException if an index is negative, {@code hbmStackBytes} is not positive or
     *     {@code physicalCores} is empty
     */
    public LogicalCore {
        if (id < 0 || device < 0 || indexOnDevice < 0 || hbmStack < 0 || hbmStackBytes <= 0) {
            throw new IllegalArgumentException("negative index or empty stack in logical core " + id);
        }
        if (physicalCores.isEmpty()) {
            throw new IllegalArgumentException("logical core " + id + " groups no physical core");
        }
        physicalCores = List.copyOf(physicalCores);
    }
}
