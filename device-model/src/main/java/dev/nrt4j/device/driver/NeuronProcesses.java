package dev.nrt4j.device.driver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the processes that hold Neuron device nodes open, by reading the {@code fd} links under
 * {@code /proc}: the way to see a device's users without the driver's help. Only processes whose
 * {@code fd} directory this user may read are seen (all of them for root, one's own otherwise), which
 * is also neuron-ls's limit without privileges. On a system without {@code /proc} the answer is empty.
 * Stateless and thread-safe.
 */
public final class NeuronProcesses {
    private NeuronProcesses() {}

    /**
     * Every process holding a device node of {@code root} open, by pid.
     *
     * @param root whose {@code /proc} is scanned and whose {@code /dev} the nodes must be in; not null
     * @return a new list in ascending pid order; empty without {@code /proc} or visible holders. Never
     *     throws for processes that vanish or cannot be read: they are left out
     */
    public static List<NeuronProcess> scan(SystemRoot root) {
        Path dev = root.dev().toAbsolutePath().normalize();
        List<NeuronProcess> out = new ArrayList<>();
        if (!Files.isDirectory(root.proc())) {
            return out;
        }
        try (DirectoryStream<Path> procs =
                Files.newDirectoryStream(root.proc(), p -> isPid(p.getFileName().toString()))) {
            for (Path proc : procs) {
                Set<Integer> devices = devicesHeld(proc.resolve("fd"), dev);
                if (!devices.isEmpty()) {
                    out.add(new NeuronProcess(
                            Long.parseLong(proc.getFileName().toString()), commandLine(proc), devices));
                }
            }
        } catch (IOException e) {
            // /proc vanished or cannot be listed: nobody can be seen.
        }
        out.sort(Comparator.comparingLong(NeuronProcess::pid));
        return out;
    }

    private static Set<Integer> devicesHeld(Path fdDir, Path dev) {
        Set<Integer> devices = new TreeSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
            for (Path fd : fds) {
                Path target;
                try {
                    target = Files.readSymbolicLink(fd);
                } catch (IOException | UnsupportedOperationException e) {
                    continue; // closed meanwhile, or not a link
                }
                if (dev.equals(target.getParent())) {
                    String name = target.getFileName().toString();
                    if (name.startsWith("neuron")
                            && name.length() > 6
                            && name.length() <= 10
                            && name.substring(6).chars().allMatch(Character::isDigit)) {
                        devices.add(Integer.parseInt(name.substring(6)));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // Another user's process, or one that exited while we looked.
        }
        return devices;
    }

    private static String commandLine(Path proc) {
        try {
            byte[] raw = Files.readAllBytes(proc.resolve("cmdline"));
            String s = new String(raw, StandardCharsets.UTF_8);
            while (s.endsWith("\0")) {
                s = s.substring(0, s.length() - 1);
            }
            return s.replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean isPid(String name) {
        return !name.isEmpty() && name.length() < 11 && name.chars().allMatch(Character::isDigit);
    }
}
