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
    public NeuronProcess {
        devices = Set.copyOf(devices);
    }
}
