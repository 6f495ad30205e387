package dev.nrt4j.spi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How files inside the {@link StateDirectory} are opened and written: never through a symbolic link
 * ({@link LinkOption#NOFOLLOW_LINKS}), created with mode 0600 where the file system has POSIX
 * permissions (records hold full command lines), and replaced whole through a temporary file with an
 * unpredictable name in the same directory and an atomic rename, so that a reader never sees half a
 * file and nobody can guess, and so pre-plant, the temporary name.
 *
 * <p>Callers keep reporting failures their own way: every method throws the {@link IOException} it
 * met. Stateless and thread-safe; several processes may write the same file at once (the last rename
 * wins, whole).
 */
public final class StateFiles {
    private StateFiles() {}

    /**
     * Opens {@code file} without following a symbolic link at its name, creating it 0600 if
     * {@link StandardOpenOption#CREATE} or {@link StandardOpenOption#CREATE_NEW} is among the options.
     *
     * @param file a file inside the state directory
     * @param options how to open it
     * @return the open channel; the caller closes it
     * @throws IOException if it cannot be opened, e.g. because its name is a symbolic link
     */
    public static FileChannel open(Path file, OpenOption... options) throws IOException {
        Set<OpenOption> all = new HashSet<>(List.of(options));
        all.add(LinkOption.NOFOLLOW_LINKS);
        return FileChannel.open(file, all, privateFile());
    }

    /**
     * Creates {@code file} holding {@code content}, failing if the name exists (as anything, a dangling
     * symbolic link included).
     *
     * @param file a file inside the state directory
     * @param content what it holds
     * @throws java.nio.file.FileAlreadyExistsException if it exists
     * @throws IOException if it cannot be written
     */
    public static void createNew(Path file, byte[] content) throws IOException {
        try (FileChannel ch = open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeAll(ch, content);
        }
    }

    /**
     * A new, empty file with an unpredictable name beside {@code file} ({@code .<name>.<random>.tmp}),
     * mode 0600, for the caller to fill and then move into place.
     *
     * @param file the file the temporary one will replace
     * @return the temporary file
     * @throws IOException if it cannot be created
     */
    public static Path temporaryFor(Path file) throws IOException {
        return Files.createTempFile(
                file.toAbsolutePath().getParent(), "." + file.getFileName() + ".", ".tmp", privateFile());
    }

    /**
     * Replaces {@code file}'s content whole: writes a {@link #temporaryFor temporary file} and renames it
     * over {@code file} atomically. A symbolic link at {@code file} is replaced, not followed.
     *
     * @param file a file inside the state directory
     * @param content its new content
     * @throws IOException if it cannot be written, or the file system cannot rename atomically
     */
    public static void replace(Path file, byte[] content) throws IOException {
        Path tmp = temporaryFor(file);
        try {
            try (FileChannel ch = open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeAll(ch, content);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void writeAll(FileChannel ch, byte[] content) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(content);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static FileAttribute<?>[] privateFile() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
                }
                : new FileAttribute<?>[0];
    }
}
