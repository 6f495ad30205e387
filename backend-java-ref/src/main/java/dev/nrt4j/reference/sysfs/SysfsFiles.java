package dev.nrt4j.reference.sysfs;

import dev.nrt4j.spi.StateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes the simulated sysfs files so that a reader (neuron-top, neuron-monitor, a test) never sees a
 * half-written value: the content goes to a temporary file in the same directory first and is then
 * renamed (or linked) into place, which POSIX makes atomic. Writing in place would truncate first,
 * and a concurrent reader could then see an empty file or a prefix of the number. Files are made as
 * {@link StateFiles} makes every file of the state directory: 0600, never through a symbolic link.
 */
public final class SysfsFiles {
    private SysfsFiles() {}

    /**
     * Replaces {@code file}'s content atomically (also used for the core owner records beside the lock files).
     *
     * @throws UncheckedIOException if the file cannot be written
     */
    public static void replace(Path file, String content) {
        try {
            StateFiles.replace(file, content.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Creates {@code file} with {@code content} unless it exists, leaving an existing file (whose counter
     * another process may be updating) untouched.
     */
    static void createIfMissing(Path file, String content) {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path tmp;
        try {
            tmp = StateFiles.temporaryFor(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        }
        try {
            try (FileChannel ch = StateFiles.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
            try {
                // A hard link appears complete and fails if the name exists, so a racing creator cannot be clobbered.
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException e) {
                // Someone else created it first; theirs stands.
            } catch (UnsupportedOperationException | IOException e) {
                if (!Files.exists(file)) {
                    Files.move(tmp, file);
                }
            }
        } catch (FileAlreadyExistsException e) {
            // Lost the race on the fallback path; theirs stands.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * Creates a counter file holding {@code content} unless it exists, in one step: faster than
     * {@link #createIfMissing}, which matters for the ~13,000 counter files of a trn2.48xlarge. A reader
     * racing the creation may see the file empty for a moment, which counter readers take as 0.
     */
    static void createCounterIfMissing(Path file, String content) {
        try {
            StateFiles.createNew(file, content.getBytes(StandardCharsets.US_ASCII));
        } catch (FileAlreadyExistsException e) {
            // Another process made it first, and may be counting in it already.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        }
    }

    /** The file's content, or null if it does not exist or cannot be read. */
    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return null;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // A stray temporary file is harmless: tools read only the fixed names.
        }
    }
}
