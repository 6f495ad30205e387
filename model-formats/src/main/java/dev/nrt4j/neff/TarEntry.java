package dev.nrt4j.neff;

import java.util.Objects;

/**
 * One regular-file member of a NEFF's tar payload: its name as the runtime looks it up (a leading
 * {@code ./} removed) and its size in bytes. Directories are not members. Immutable and thread-safe.
 *
 * @param name the member name, e.g. {@code sg00/def.json}
 * @param size the size in bytes
 */
public record TarEntry(String name, long size) {
    /** @throws IllegalArgumentException if the size is negative */
    public TarEntry {
        Objects.requireNonNull(name, "name");
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size + " for " + name);
        }
    }
}
