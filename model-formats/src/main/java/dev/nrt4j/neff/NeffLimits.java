package dev.nrt4j.neff;

/**
 * Bounds on what {@link NeffFile#read} accepts, so that a hostile file costs bounded memory and time
 * whatever sizes it claims. A file that exceeds any of them is refused with
 * {@code NeuronException(INVALID)} naming the limit.
 *
 * <ul>
 *   <li>{@code maxInflatedBytes}: the payload after gunzip (the whole tar stream, headers and padding
 *       included). This is what stops a decompression bomb; inflated data is streamed and counted,
 *       never held, except for kept members.
 *   <li>{@code maxEntryBytes}: the size a single tar member may declare. Checked on the header, before
 *       any of its data is read.
 *   <li>{@code maxEntries}: tar headers of any kind (files, directories, long-name and pax records).
 *   <li>{@code maxNameLength}: bytes in a member name, including names from GNU long-name and pax
 *       records. Such records are read into memory only after their size is checked against this.
 *   <li>{@code maxKeptEntryBytes}: members up to this size are kept in memory (see
 *       {@link NeffFile#entry}); bigger ones are listed and skipped. {@code sgNN/def.json} and
 *       {@code neff.json} must fit, since the signature is read from them.
 *   <li>{@code maxKeptTotalBytes}: all kept members together; once reached, further members are only
 *       listed. This bounds the heap a {@link NeffFile} holds.
 *   <li>{@code maxJsonDepth}: nesting of arrays and objects in the JSON members read.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 *
 * @param maxInflatedBytes  payload bytes after decompression; default 16 GiB
 * @param maxEntryBytes     declared size of one member; default 8 GiB
 * @param maxEntries        tar headers; default 65 536
 * @param maxNameLength     bytes in a member name; default 4096
 * @param maxKeptEntryBytes size up to which a member is kept in memory; default 16 MiB
 * @param maxKeptTotalBytes all kept members together; default 128 MiB
 * @param maxJsonDepth      nesting depth of JSON members; default 64
 */
public record NeffLimits(
        long maxInflatedBytes,
        long maxEntryBytes,
        int maxEntries,
        int maxNameLength,
        int maxKeptEntryBytes,
        long maxKeptTotalBytes,
        int maxJsonDepth) {

    /** The defaults: generous for real NEFFs, small enough to refuse bombs without exhausting a heap. */
    public static final NeffLimits DEFAULT =
            new NeffLimits(16L << 30, 8L << 30, 65_536, 4096, 16 << 20, 128L << 20, 64);

    /** @throws IllegalArgumentException if a limit is not positive */
    public NeffLimits {
        if (maxInflatedBytes <= 0
                || maxEntryBytes <= 0
                || maxEntries <= 0
                || maxNameLength <= 0
                || maxKeptEntryBytes <= 0
                || maxKeptTotalBytes <= 0
                || maxJsonDepth <= 0) {
            throw new IllegalArgumentException("every NEFF limit must be positive: " + this);
        }
    }

    /** These limits with another inflated-size cap. */
    public NeffLimits withMaxInflatedBytes(long v) {
        return new NeffLimits(
                v, maxEntryBytes, maxEntries, maxNameLength, maxKeptEntryBytes, maxKeptTotalBytes, maxJsonDepth);
    }

    /** These limits with another per-member size cap. */
    public NeffLimits withMaxEntryBytes(long v) {
        return new NeffLimits(
                maxInflatedBytes, v, maxEntries, maxNameLength, maxKeptEntryBytes, maxKeptTotalBytes, maxJsonDepth);
    }

    /** These limits with another cap on tar headers. */
    public NeffLimits withMaxEntries(int v) {
        return new NeffLimits(
                maxInflatedBytes, maxEntryBytes, v, maxNameLength, maxKeptEntryBytes, maxKeptTotalBytes, maxJsonDepth);
    }

    /** These limits with another cap on name length. */
    public NeffLimits withMaxNameLength(int v) {
        return new NeffLimits(
                maxInflatedBytes, maxEntryBytes, maxEntries, v, maxKeptEntryBytes, maxKeptTotalBytes, maxJsonDepth);
    }

    /** These limits with other caps on kept members. */
    public NeffLimits withKept(int perEntry, long total) {
        return new NeffLimits(
                maxInflatedBytes, maxEntryBytes, maxEntries, maxNameLength, perEntry, total, maxJsonDepth);
    }

    /** These limits with another JSON nesting cap. */
    public NeffLimits withMaxJsonDepth(int v) {
        return new NeffLimits(
                maxInflatedBytes, maxEntryBytes, maxEntries, maxNameLength, maxKeptEntryBytes, maxKeptTotalBytes, v);
    }
}
