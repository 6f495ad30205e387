package dev.nrt4j.reference;

import dev.nrt4j.NeuronException;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where the reference device keeps the state a real machine keeps in its driver: which process
 * holds which cores. One directory per user, so processes of one user see each other's claims.
 */
final class StateDirectory {
    private StateDirectory() {
    }

    /** The directory the options name, else {@code <java.io.tmpdir>/nrt4j-<user name>}; absolute. */
    static Path resolve(RuntimeOptions options) {
        return options.stateDir().orElseGet(StateDirectory::defaultPath).toAbsolutePath().normalize();
    }

    static Path defaultPath() {
        // A user name can hold a domain separator or spaces; keep the directory name portable.
        String user = System.getProperty("user.name", "unknown").replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "nrt4j-" + user);
    }

    /**
     * Creates {@code dir} and any missing parents, private to the user where the file system has
     * POSIX permissions (the directory is in a shared temporary directory by default).
     *
     * @throws NeuronException {@link Status#FAILURE} if it cannot be created
     */
    static Path ensure(Path dir) {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
            return dir;
        } catch (IOException e) {
            throw new NeuronException(Status.FAILURE, "prepare the reference device's state directory",
                    "cannot create " + dir + " (" + e + "); set " + "NRT4J_STATE_DIR or the system property nrt4j.stateDir"
                            + " to a writable directory");
        }
    }
}
