package dev.nrt4j.spi;

import dev.nrt4j.NeuronException;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import java.util.Set;

/**
 * The per-user directory where backends keep what outlives one runtime: the reference device's core
 * claims and simulated machine (what a real machine keeps in its driver), the native backend's compile
 * cache. One definition for every backend, so that a setting ({@link RuntimeOptions#stateDir()}, system
 * property {@code nrt4j.stateDir}, environment variable {@code NRT4J_STATE_DIR}) means the same place
 * everywhere, and so that any tightening of how the directory is made reaches every user of it: code
 * that keeps state resolves its directory with {@link #resolve}, checks and creates it with
 * {@link #ensure}, creates directories inside it with {@link #ensureWithin} and files with
 * {@link StateFiles}.
 *
 * <p>Without {@code XDG_RUNTIME_DIR} the default directory is in the shared temporary directory, where
 * another local user can create {@code nrt4j-<victim uid>} first. So a state directory (default or chosen) is only used when it is a real
 * directory, not a symbolic link, owned by the user running this process and writable by nobody else
 * (no group or world write bit); otherwise {@link #ensure} refuses with {@link Status#FAILURE}, since
 * the fault is in the machine's state and not in the caller's arguments. With the directory private,
 * nobody else can plant a link inside it; {@link #ensureWithin} still refuses to pass through one.
 * On a file system without POSIX attributes only the symbolic-link rule applies.
 *
 * <p>Stateless; every method is thread-safe and may be called from several processes at once (creating
 * a directory that another process created meanwhile is not an error).
 */
public final class StateDirectory {
    private static final String WHAT_TO_DO =
            "set NRT4J_STATE_DIR or the system property nrt4j.stateDir" + " to a directory of your own with mode 0700";
    private static final Set<PosixFilePermission> SHARED_WRITE =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private StateDirectory() {}

    /**
     * The state directory for a runtime: the one the options name, else {@link #defaultPath()}.
     * Nothing is created or checked.
     *
     * @param options the runtime's options
     * @return the directory, absolute and normalized
     */
    public static Path resolve(RuntimeOptions options) {
        return options.stateDir()
                .orElseGet(StateDirectory::defaultPath)
                .toAbsolutePath()
                .normalize();
    }

    /**
     * The default state directory for this process: {@link #defaultPath(Map, Path, String)} of the process's
     * environment, {@code java.io.tmpdir} and user id (on systems without {@code /proc}, where the id is not
     * known, the user name instead).
     *
     * @return the default directory (not created)
     */
    public static Path defaultPath() {
        return defaultPath(System.getenv(), Path.of(System.getProperty("java.io.tmpdir")), currentUserId());
    }

    /**
     * The default state directory: {@code $XDG_RUNTIME_DIR/nrt4j} when {@code XDG_RUNTIME_DIR} is set to an
     * absolute path, else {@code <tmpdir>/nrt4j-<user>}. The XDG runtime directory is the user's own (0700,
     * made by the login manager), so nobody else can create {@code nrt4j} there first; the shared
     * temporary directory is the fallback, guarded by the checks of {@link #ensure}. A relative
     * {@code XDG_RUNTIME_DIR} is ignored, as the XDG Base Directory Specification says. Characters of
     * {@code user} other than letters, digits, {@code .}, {@code _} and {@code -} become {@code _}.
     *
     * @param env the environment variables; not null
     * @param tmpdir the temporary directory ({@code java.io.tmpdir}); not null
     * @param user the user id, or where there is none the user name; not null
     * @return the default directory (not created)
     */
    public static Path defaultPath(Map<String, String> env, Path tmpdir, String user) {
        String xdg = env.get("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "nrt4j");
        }
        // A user name can hold a domain separator or spaces; keep the directory name portable.
        return tmpdir.resolve("nrt4j-" + user.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    /** The effective user id, as the owner of {@code /proc/self}; the user name where there is no {@code /proc}. */
    private static String currentUserId() {
        try {
            return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return System.getProperty("user.name", "unknown");
        }
    }

    /**
     * Makes sure {@code stateDir} is safe to write in: creates it (and missing parents) with mode 0700 where
     * the file system has POSIX permissions, or checks the one that exists (see the class comment).
     *
     * @param stateDir the state directory
     * @return {@code stateDir}
     * @throws NeuronException {@link Status#FAILURE} if it cannot be created, or is a symbolic link, not a
     *     directory, owned by another user or writable by group or others; the message names it, says what
     *     is wrong and which settings choose another
     */
    public static Path ensure(Path stateDir) {
        Path parent = stateDir.toAbsolutePath().getParent();
        try {
            if (parent != null && !Files.isDirectory(parent)) {
                Files.createDirectories(parent, privateDirectory());
            }
            Files.createDirectory(stateDir, privateDirectory());
        } catch (FileAlreadyExistsException e) {
            // Ours from an earlier run, or planted: the checks below tell which.
        } catch (IOException e) {
            throw refused(stateDir, "cannot be created (" + e + ")");
        }
        check(stateDir);
        return stateDir;
    }

    /**
     * Makes sure {@code dir}, a directory inside {@code stateDir}, exists: checks the state directory as
     * {@link #ensure} does, then creates each missing level below it with mode 0700, refusing any level
     * that exists as something other than a directory (a symbolic link included).
     *
     * @param stateDir the state directory
     * @param dir a directory inside it
     * @return {@code dir}
     * @throws NeuronException {@link Status#FAILURE} as {@link #ensure}, or if a level cannot be created or is
     *     not a directory
     * @throws IllegalArgumentException if {@code dir} is not inside {@code stateDir}
     */
    public static Path ensureWithin(Path stateDir, Path dir) {
        Path root = stateDir.toAbsolutePath().normalize();
        Path target = dir.toAbsolutePath().normalize();
        if (!target.startsWith(root)) {
            throw new IllegalArgumentException(dir + " is not inside the state directory " + stateDir);
        }
        ensure(root);
        Path level = root;
        for (Path name : root.relativize(target)) {
            if (name.toString().isEmpty()) {
                continue;
            }
            level = level.resolve(name);
            try {
                Files.createDirectory(level, privateDirectory());
            } catch (FileAlreadyExistsException e) {
                BasicFileAttributes a = attributes(level);
                if (!a.isDirectory()) {
                    throw refused(
                            level,
                            a.isSymbolicLink()
                                    ? "is a symbolic link, which nrt4j does not follow inside" + " its state directory"
                                    : "is not a directory");
                }
            } catch (IOException e) {
                throw refused(level, "cannot be created (" + e + ")");
            }
        }
        return dir;
    }

    private static void check(Path stateDir) {
        BasicFileAttributes a = attributes(stateDir);
        if (a.isSymbolicLink()) {
            throw refused(stateDir, "is a symbolic link; another user may have planted it to redirect your writes");
        }
        if (!a.isDirectory()) {
            throw refused(stateDir, "is not a directory");
        }
        if (!(a instanceof PosixFileAttributes)) {
            return;
        }
        PosixFileAttributes p = (PosixFileAttributes) a;
        UserPrincipal me = currentUser(stateDir);
        if (me != null && !p.owner().equals(me)) {
            throw refused(
                    stateDir,
                    "is owned by " + p.owner().getName() + ", not by you (" + me.getName()
                            + "); another user may have created it to redirect your writes");
        }
        if (p.permissions().stream().anyMatch(SHARED_WRITE::contains)) {
            throw refusedWith(
                    stateDir,
                    "is writable by group or others (mode " + PosixFilePermissions.toString(p.permissions())
                            + "), so another user could plant links in it; if it is yours, run chmod 700 on it, or "
                            + WHAT_TO_DO);
        }
    }

    private static BasicFileAttributes attributes(Path p) {
        try {
            Class<? extends BasicFileAttributes> kind = posix() ? PosixFileAttributes.class : BasicFileAttributes.class;
            return Files.readAttributes(p, kind, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw refused(p, "cannot be examined (" + e + ")");
        }
    }

    /**
     * The user this process runs as, as the file system names owners. On Linux the owner of
     * {@code /proc/self} is the process's effective user, which holds even when the user has no passwd
     * entry (and so no usable {@code user.name}); elsewhere the user named by {@code user.name}.
     */
    private static UserPrincipal currentUser(Path stateDir) {
        try {
            Path self = Path.of("/proc/self");
            if (Files.exists(self)) {
                return Files.getOwner(self);
            }
            return stateDir.getFileSystem()
                    .getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
        } catch (IOException | UnsupportedOperationException e) {
            throw refused(stateDir, "cannot be checked: who this process runs as is not known (" + e + ")");
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<?>[] privateDirectory() {
        return posix()
                ? new FileAttribute<?>[] {
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))
                }
                : new FileAttribute<?>[0];
    }

    private static NeuronException refused(Path dir, String problem) {
        return refusedWith(dir, problem + "; " + WHAT_TO_DO);
    }

    private static NeuronException refusedWith(Path dir, String problemAndRemedy) {
        return new NeuronException(Status.FAILURE, "use the nrt4j state directory", dir + " " + problemAndRemedy);
    }
}
