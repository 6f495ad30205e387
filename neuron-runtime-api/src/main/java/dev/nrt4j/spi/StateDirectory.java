package dev.nrt4j.spi;

import dev.nrt4j.NeuronException;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The per-user directory where backends keep what outlives one runtime: the reference device's core
 * claims and simulated machine (what a real machine keeps in its driver), the native backend's compile
 * cache. One definition for every backend, so that a setting ({@link RuntimeOptions#stateDir()}, system
 * property {@code nrt4j.stateDir}, environment variable {@code NRT4J_STATE_DIR}) means the same place
 * everywhere, and so that any tightening of how the directory is made reaches every user of it: code
 * that keeps state resolves its directory with {@link #resolve} and creates it, and any subdirectory of
 * it, with {@link #ensure}.
 *
 * <p>Stateless; every method is thread-safe and may be called from several processes at once (creating
 * a directory that another process created meanwhile is not an error).
 */
public final class StateDirectory {
    private StateDirectory() {
    }

    /**
     * The state directory for a runtime: the one the options name, else {@link #defaultPath()}.
     * Nothing is created or checked.
     *
     * @param options the runtime's options
     * @return the directory, absolute and normalized
     */
    public static Path resolve(RuntimeOptions options) {
        return options.stateDir().orElseGet(StateDirectory::defaultPath).toAbsolutePath().normalize();
    }

    /**
     * The default state directory, {@code <java.io.tmpdir>/nrt4j-<user name>}, with characters of the user
     * name other than letters, digits, {@code .}, {@code _} and {@code -} replaced by {@code _}.
     *
     * @return the default directory (not created)
     */
    public static Path defaultPath() {
        // A user name can hold a domain separator or spaces; keep the directory name portable.
        String user = System.getProperty("user.name", "unknown").replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "nrt4j-" + user);
    }

    /**
     * Creates {@code dir} and any missing parents, private to the user (mode 0700) where the file system
     * has POSIX permissions, since the default directory is in a shared temporary directory. A directory
     * that exists already is returned as it is.
     *
     * @param dir the state directory or a directory inside it
     * @return {@code dir}
     * @throws NeuronException {@link Status#FAILURE} if it cannot be created, naming it and the settings
     *     that choose another
     */
    public static Path ensure(Path dir) {
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
            throw new NeuronException(Status.FAILURE, "prepare the nrt4j state directory",
                    "cannot create " + dir + " (" + e + "); set NRT4J_STATE_DIR or the system property nrt4j.stateDir"
                            + " to a writable directory");
        }
    }
}
