package dev.nrt4j.neff;

import dev.nrt4j.ModelSignature;
import dev.nrt4j.NeuronException;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A NEFF (Neuron Executable File Format) file, read and checked: the 1024-byte {@link NeffHeader},
 * the list of members of its tar payload (gzip'd or plain), the data of its small members, and the
 * model's inputs and outputs from {@code sgNN/def.json}.
 *
 * <p>Reading never writes to disk and never follows a size it has not checked: the payload is read as
 * exactly the {@code data_size} bytes after the header, inflated through a counting cap, and listed
 * member by member within {@link NeffLimits}. Every problem with the bytes is a
 * {@link NeuronException} with {@link dev.nrt4j.Status#INVALID} whose message names the file and the
 * problem; a header from a format this reader does not know (see {@link NeffHeader}) is
 * {@link dev.nrt4j.Status#UNSUPPORTED_NEFF_VERSION}. No other exception escapes for any input.
 *
 * <p>Immutable and thread-safe.
 */
public final class NeffFile {
    private final String source;
    private final NeffHeader header;
    private final boolean compressed;
    private final boolean hashMatches;
    private final List<TarEntry> entries;
    private final Map<String, byte[]> kept;
    private final ModelSignature signature;

    private NeffFile(
            String source,
            NeffHeader header,
            boolean compressed,
            boolean hashMatches,
            TarReader.Result tar,
            ModelSignature signature) {
        this.source = source;
        this.header = header;
        this.compressed = compressed;
        this.hashMatches = hashMatches;
        this.entries = tar.entries();
        this.kept = Map.copyOf(tar.kept());
        this.signature = signature;
    }

    /** As {@link #read(Path, NeffLimits)} with {@link NeffLimits#DEFAULT}. */
    public static NeffFile read(Path path) {
        return read(path, NeffLimits.DEFAULT);
    }

    /**
     * Reads a NEFF file. Only the header and the payload slice it declares are read; the payload is
     * streamed, so memory use is bounded by the limits, not by the file.
     *
     * @throws NeuronException INVALID if the file cannot be read or is not a sound NEFF;
     *         UNSUPPORTED_NEFF_VERSION if its header announces a format this reader does not know
     */
    public static NeffFile read(Path path, NeffLimits limits) {
        Objects.requireNonNull(limits, "limits");
        String source = path.toString();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long length = ch.size();
            byte[] first = new byte[(int) Math.min(length, NeffHeader.SIZE)];
            ByteBuffer b = ByteBuffer.wrap(first);
            while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
                // Positional reads until the header is in or the file ends.
            }
            NeffHeader header = NeffHeader.parse(Arrays.copyOf(first, b.position()), length, source);
            return read(header, BoundedInput.slice(ch, NeffHeader.SIZE, header.dataSize()), limits, source);
        } catch (IOException e) {
            throw NeffFailure.invalid(source, "cannot read the file: " + e, e);
        }
    }

    /** As {@link #read(byte[], String, NeffLimits)} with {@link NeffLimits#DEFAULT}. */
    public static NeffFile read(byte[] bytes, String sourceName) {
        return read(bytes, sourceName, NeffLimits.DEFAULT);
    }

    /**
     * Reads a NEFF held in memory. The array is not kept and not modified.
     *
     * @param sourceName what to call the bytes in messages, e.g. the file name they came from
     * @throws NeuronException INVALID or UNSUPPORTED_NEFF_VERSION, as for {@link #read(Path, NeffLimits)}
     */
    public static NeffFile read(byte[] bytes, String sourceName, NeffLimits limits) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(limits, "limits");
        NeffHeader header = NeffHeader.parse(bytes, bytes.length, sourceName);
        InputStream payload = new ByteArrayInputStream(bytes, NeffHeader.SIZE, (int) header.dataSize());
        try {
            return read(header, payload, limits, sourceName);
        } catch (IOException e) {
            // A ByteArrayInputStream does not throw; this is only reached through the gzip layer.
            throw NeffFailure.invalid(sourceName, "cannot read the payload: " + e, e);
        }
    }

    private static NeffFile read(NeffHeader header, InputStream slice, NeffLimits limits, String source)
            throws IOException {
        MessageDigest digest = digest(header.pkgVersion());
        InputStream raw = new DigestInputStream(slice, digest);
        // The hash is over the payload as stored, so it is fed before any inflating.
        InputStream peek = new java.io.BufferedInputStream(raw, 2);
        peek.mark(2);
        boolean gzip = peek.read() == 0x1f && peek.read() == 0x8b;
        peek.reset();
        TarReader.Result tar;
        try {
            InputStream tarBytes = gzip ? new GZIPInputStream(peek, 8192) : peek;
            InputStream capped = BoundedInput.capped(tarBytes, limits.maxInflatedBytes(), source);
            tar = TarReader.read(capped, limits, source);
            // Inflate the rest (counted) so that the gzip CRC and length are checked, then hash what is left.
            drain(capped);
            drain(raw);
        } catch (ZipException e) {
            throw NeffFailure.invalid(source, "the gzip payload is corrupt (" + e.getMessage() + ")", e);
        } catch (EOFException e) {
            throw NeffFailure.invalid(source, "the gzip payload ends early; the file is truncated or damaged", e);
        }
        byte[] stored = header.hash();
        byte[] computed = digest.digest();
        boolean matches = Arrays.equals(computed, Arrays.copyOf(stored, computed.length));
        ModelSignature signature = DefJson.signature(tar.kept(), tar.entries(), limits, source);
        return new NeffFile(source, header, gzip, matches, tar, signature);
    }

    private static MessageDigest digest(long pkgVersion) {
        try {
            return MessageDigest.getInstance(pkgVersion == 1 ? "SHA-256" : "MD5");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide both.
            throw new IllegalStateException(e);
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        while (in.read(buf, 0, buf.length) >= 0) {
            // Discarded; only the counting and checking on the way matter.
        }
    }

    /** The name the file was read under: its path, or the source name given with the bytes. */
    public String source() {
        return source;
    }

    /** The 1024-byte header. */
    public NeffHeader header() {
        return header;
    }

    /** Whether the payload was gzip'd (the usual case) rather than a plain tar. */
    public boolean compressed() {
        return compressed;
    }

    /**
     * Whether the header's {@code hash} matches the payload as stored: the MD5 in its first 16 bytes
     * for {@code pkg_version} 2, a SHA-256 over all 32 for 1 (reverse-engineered; the runtime checks it
     * only on request, so a mismatch does not fail the read).
     */
    public boolean hashMatches() {
        return hashMatches;
    }

    /**
     * The model's inputs and outputs: the variables of type {@code input} and {@code output} in every
     * {@code sgNN/def.json}, named and sized as declared there, in ascending {@code var_id}. Element
     * type and shape come from {@code neff.json} where its graph describes the variable (checked to fit
     * the declared size); otherwise the variable is reported as {@code UINT8} of shape {@code [size]}.
     */
    public ModelSignature signature() {
        return signature;
    }

    /** The regular-file members, in archive order, with their sizes; directories are left out. */
    public List<TarEntry> entries() {
        return entries;
    }

    /**
     * A copy of a member's data, or empty when there is no such member or it was too large to keep
     * ({@link NeffLimits#maxKeptEntryBytes()}, {@link NeffLimits#maxKeptTotalBytes()}); {@link #entries()}
     * tells the two apart.
     *
     * @param name a member name as in {@link #entries()}; a leading {@code ./} is ignored
     */
    public Optional<byte[]> entry(String name) {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        byte[] data = kept.get(n);
        return data == null ? Optional.empty() : Optional.of(data.clone());
    }

    /** E.g. {@code model.neff: NEFF 2.0 pkg 2, … ; 7 members; inputs […], outputs […]}. */
    @Override
    public String toString() {
        return source + ": " + header + "; " + entries.size() + " members; " + signature;
    }
}
