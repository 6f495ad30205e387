package dev.nrt4j.tools.machine;

import dev.nrt4j.device.driver.SystemRoot;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * Whether a process runs the Neuron runtime library, libnrt, as its memory map shows it: how the tools
 * tell a libnrt application from a process that only holds a device node open (neuron-monitor, a
 * debugger), since libnrt publishes no nrt4j runtime record. Only processes whose {@code maps} this user
 * may read are seen as libnrt users, as with their {@code fd} links. Stateless.
 */
public final class RuntimeLibrary {
    /** Each line of {@code maps} is at most a path plus a hundred characters; longer is not a kernel's. */
    private static final int MAX_LINE = 8192;

    private RuntimeLibrary() {}

    /**
     * Whether process {@code pid} of {@code root} has {@code libnrt.so} (any version suffix) mapped.
     *
     * @param root whose {@code /proc} is read
     * @param pid the process
     * @return false too when the map cannot be read: the process is gone or belongs to another user
     */
    public static boolean loadedBy(SystemRoot root, long pid) {
        try (BufferedReader in = Files.newBufferedReader(
                root.proc().resolve(Long.toString(pid)).resolve("maps"), StandardCharsets.ISO_8859_1)) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.length() > MAX_LINE) {
                    return false;
                }
                int slash = line.lastIndexOf('/');
                if (slash >= 0 && line.startsWith("libnrt.so", slash + 1)) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Gone, or another user's: not known to run libnrt.
        }
        return false;
    }
}
