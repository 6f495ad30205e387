package dev.nrt4j.device.driver;

import java.util.Set;

/**
 * A process that holds Neuron device nodes open, as {@code /proc/<pid>/fd} shows it.
 *
 * @param pid the process id
 * @param command its command line, arguments joined by spaces; empty where the kernel hides it
 * @param devices the ids of the devices whose nodes it holds open
 */
public record NeuronProcess(long pid, String command, Set<Integer> devices) {
    /**
     * Copies {@code devices}, so the record stays immutable.
     *
     * @param pid the process id
     * @param command its command line; empty where the kernel hides it
     * @param devices the device ids it holds open; copied, not null, no null elements
     * @throws NullPointerException if {@code devices} or an element of it is null
     */
    public NeuronProcess {
        devices = Set.copyOf(devices);
    }
}
