package dev.nrt4j.samples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A scratch directory for the HLO files the samples generate: the runtime loads models from files,
 * and the samples build theirs at run time rather than shipping them. Deleted, with its content, on
 * {@link #close()}. Not thread-safe; each sample run owns one.
 */
final class SampleFiles implements AutoCloseable {
    private final Path dir;

    private SampleFiles(Path dir) {
        this.dir = dir;
    }

    /** A new, empty directory under the system's temporary directory. */
    static SampleFiles create() {
        try {
            return new SampleFiles(Files.createTempDirectory("nrt4j-sample-"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temporary directory for the sample's programs", e);
        }
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A leftover file in the temp directory is not worth failing a sample over.
            System.err.println("note: could not delete " + dir + ": " + e.getMessage());
        }
    }
}
