package dev.nrt4j.reference.sysfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes the simulated sysfs files so that a reader (neuron-top, neuron-monitor, a test) never sees a
 * half-written value: the content goes to a temporary file in the same directory first and is then
 * renamed (or linked) into place, which POSIX makes atomic. Writing in place would truncate first,
 * and a concurrent reader could then see an empty file or a prefix of the number.
 */
public final class SysfsFiles {
    private static final long PID = ProcessHandle.current().pid();
    private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();

    private SysfsFiles() {
    }

    /**
     * Replaces {@code file}'s content atomically (also used for the core owner records beside the lock files).
     *
     * @throws UncheckedIOException if the file cannot be written
     */
    public static void replace(Path file, String content) {
        Path tmp = temp(file);
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Creates {@code file} with {@code content} unless it exists, leaving an existing file (whose counter
     * another process may be updating) untouched.
     */
    static void createIfMissing(Path file, String content) {
        if (Files.exists(file)) {
            return;
        }
        Path tmp = temp(file);
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
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
            Files.writeString(file, content, StandardCharsets.US_ASCII, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE);
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

    private static Path temp(Path file) {
        // Unique per process and write, so two writers never share a temporary file.
        return file.resolveSibling("." + file.getFileName() + "." + PID + "." + SEQUENCE.incrementAndGet() + ".tmp");
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // A stray temporary file is harmless: tools read only the fixed names.
        }
    }
}
