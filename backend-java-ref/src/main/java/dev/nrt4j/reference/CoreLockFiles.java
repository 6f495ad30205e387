package dev.nrt4j.reference;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.reference.sysfs.SysfsFiles;
import dev.nrt4j.spi.StateDirectory;
import dev.nrt4j.spi.StateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One lock file per physical core of one simulated instance,
 * {@code <state dir>/<instance type>/locks/nd<device>-nc<core>.lock}. A process holds a core while
 * it holds the OS lock on its file, so a process that dies gives its cores back without cleanup.
 * Beside each lock, an {@code .owner} file names the process that last took it. Not thread-safe;
 * {@link SimulatedMachine} serialises use.
 */
final class CoreLockFiles {
    private static final String ACTION = "claim NeuronCores on the reference device";

    private final Path stateDir;
    private final Path directory;

    CoreLockFiles(Path stateDir, String instanceType) {
        this.stateDir = stateDir;
        this.directory = stateDir.resolve(instanceType).resolve("locks");
    }

    /**
     * Takes the lock of one physical core and records this process as its owner.
     *
     * @return the lock, or empty if another process holds it
     * @throws NeuronException {@link Status#FAILURE} if the state directory is unsafe or the lock file
     *     cannot be opened (a symbolic link at its name included: it is never followed)
     */
    Optional<FileLock> tryLock(int device, int physicalCore) {
        StateDirectory.ensureWithin(stateDir, directory);
        Path file = lockFile(device, physicalCore);
        FileChannel channel;
        try {
            channel =
                    StateFiles.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new NeuronException(
                    Status.FAILURE,
                    ACTION,
                    "cannot open the lock file " + file + " (" + e
                            + "; a symbolic link there is never followed); remove what is at that name, or set NRT4J_STATE_DIR"
                            + " or the system property nrt4j.stateDir to a writable directory of your own");
        }
        FileLock lock = null;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // Another SimulatedMachine of this JVM holds it (the same directory reached by another
            // path, e.g. through a symbolic link): to this one that is a core in use.
        } catch (IOException e) {
            close(channel);
            throw new NeuronException(Status.FAILURE, ACTION, "cannot lock " + file + " (" + e + ")");
        }
        if (lock == null) {
            close(channel);
            return Optional.empty();
        }
        recordOwner(device, physicalCore);
        return Optional.of(lock);
    }

    /** Gives a core back; closing the channel releases the OS lock. */
    static void release(FileLock lock) {
        close(lock.channel());
    }

    /**
     * Who holds a core another process has locked, e.g. {@code process 4711 (/usr/bin/java)}, as
     * far as its owner file tells.
     */
    String describeOwner(int device, int physicalCore) {
        Path owner = ownerFile(device, physicalCore);
        String pid = null;
        String command = null;
        try {
            for (String line : Files.readAllLines(owner, StandardCharsets.UTF_8)) {
                if (line.startsWith("pid ")) {
                    pid = line.substring(4).strip();
                } else if (line.startsWith("command ")) {
                    command = line.substring(8).strip();
                }
            }
        } catch (IOException e) {
            return "another process (its owner file " + owner + " cannot be read: " + e + ")";
        }
        if (pid == null) {
            return "another process (not recorded in " + owner + ")";
        }
        String who = "process " + pid + (command == null || command.isEmpty() ? "" : " (" + command + ")");
        // A dead or invisible recorded owner means the holder has just taken the lock and not yet
        // replaced the record, or lives in another PID namespace.
        return isLive(pid) ? who : who + " according to " + owner + ", which may be out of date";
    }

    /**
     * Whether the process its owner file names is alive. Without taking the lock this cannot be
     * certain (the owner may have just released the core), which is good enough for accounting.
     */
    boolean recordedOwnerAlive(int device, int physicalCore) {
        try {
            for (String line : Files.readAllLines(ownerFile(device, physicalCore), StandardCharsets.UTF_8)) {
                if (line.startsWith("pid ")) {
                    return isLive(line.substring(4).strip());
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    Path lockFile(int device, int physicalCore) {
        return directory.resolve("nd" + device + "-nc" + physicalCore + ".lock");
    }

    private Path ownerFile(int device, int physicalCore) {
        return directory.resolve("nd" + device + "-nc" + physicalCore + ".owner");
    }

    private void recordOwner(int device, int physicalCore) {
        ProcessHandle self = ProcessHandle.current();
        String text = "pid " + self.pid() + "\ncommand " + self.info().command().orElse("") + "\n";
        try {
            // A reader must never see half a record, so the record replaces the old one whole.
            SysfsFiles.replace(ownerFile(device, physicalCore), text);
        } catch (UncheckedIOException e) {
            // The lock, not this record, is what makes the core ours; without the record a refused
            // process can only say that some other process holds the core.
        }
    }

    private static boolean isLive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid))
                    .map(ProcessHandle::isAlive)
                    .orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // The lock goes with the process at the latest; a failed close cannot keep it longer.
        }
    }
}
