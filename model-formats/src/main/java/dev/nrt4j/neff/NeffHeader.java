package dev.nrt4j.neff;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The fixed 1024-byte header at the start of a NEFF ({@code neff_header_t}): little-endian, packed,
 * no magic number. Field order and sizes are those of the official struct; the 64-bit fields are
 * unsigned in the file and are returned as Java {@code long}s holding the same bits.
 *
 * <p>{@link #parse} decides whether the rest of the file can be read at all:
 * <ul>
 *   <li>{@code INVALID}: shorter than 1024 bytes, {@code header_size} other than 1024, a payload
 *       ({@code data_size}) that is empty or runs past the end of the file;
 *   <li>{@code UNSUPPORTED_NEFF_VERSION}: a structurally sound header whose {@code pkg_version} is
 *       neither 1 nor 2, or whose {@code neff_version_major} is above 2.
 * </ul>
 * The structural checks come first so that random bytes (whose {@code data_size} almost never fits)
 * are reported as damage rather than as a newer format.
 *
 * <p>Immutable and thread-safe.
 */
public final class NeffHeader {
    /** Size of the header and offset of the payload. */
    public static final int SIZE = 1024;

    /**
     * The newest {@code neff_version_major} read. Inferred from the runtime's own check (libnrt 2.31
     * refuses major &gt; 2, per reverse engineering); samples seen carry 1 and 2, and
     * {@code neuron-packager create} defaults to 0.4, so 0 is accepted too.
     */
    public static final long MAX_MAJOR_VERSION = 2;

    private final long pkgVersion;
    private final long headerSize;
    private final long dataSize;
    private final long versionMajor;
    private final long versionMinor;
    private final String buildVersion;
    private final long numTpb;
    private final byte[] hash;
    private final byte[] uuid;
    private final String name;
    private final long requestedTpbCount;
    private final byte[] tpbPerNode;
    private final long featureBits;
    private final long lncSize;

    private NeffHeader(ByteBuffer b) {
        pkgVersion = b.getLong(0x000);
        headerSize = b.getLong(0x008);
        dataSize = b.getLong(0x010);
        versionMajor = b.getLong(0x018);
        versionMinor = b.getLong(0x020);
        buildVersion = cString(b, 0x028, 128);
        numTpb = Integer.toUnsignedLong(b.getInt(0x0A8));
        hash = bytes(b, 0x0AC, 32);
        uuid = bytes(b, 0x0CC, 16);
        name = cString(b, 0x0DC, 256);
        requestedTpbCount = Integer.toUnsignedLong(b.getInt(0x1DC));
        tpbPerNode = bytes(b, 0x1E0, 64);
        featureBits = b.getLong(0x220);
        lncSize = Integer.toUnsignedLong(b.getInt(0x228));
    }

    /**
     * Reads and checks a header.
     *
     * @param first the first bytes of the file; only the first {@link #SIZE} are looked at
     * @param fileLength the length of the whole file
     * @param source the file's name for messages
     */
    static NeffHeader parse(byte[] first, long fileLength, String source) {
        if (fileLength < SIZE || first.length < SIZE) {
            throw NeffFailure.invalid(
                    source,
                    "the file is " + fileLength + " bytes, shorter than the " + SIZE
                            + "-byte NEFF header; it is truncated or not a NEFF");
        }
        NeffHeader h = new NeffHeader(ByteBuffer.wrap(first, 0, SIZE).slice().order(ByteOrder.LITTLE_ENDIAN));
        if (h.headerSize != SIZE) {
            // The struct is 1024 bytes and the runtime reads the payload at 0x400 whatever this field
            // says; every producer writes 1024, so another value means the bytes are not a NEFF header.
            throw NeffFailure.invalid(
                    source,
                    "header_size is " + Long.toUnsignedString(h.headerSize) + ", not " + SIZE
                            + "; the file is damaged or not a NEFF");
        }
        long available = fileLength - SIZE;
        if (Long.compareUnsigned(h.dataSize, available) > 0) {
            throw NeffFailure.invalid(
                    source,
                    "the header declares a payload of "
                            + Long.toUnsignedString(h.dataSize) + " bytes but only " + available
                            + " follow the header; the file is truncated or damaged");
        }
        if (h.dataSize == 0) {
            throw NeffFailure.invalid(source, "the header declares an empty payload (data_size 0)");
        }
        // pkg_version selects the payload hash (1: SHA-256, 2: MD5); the runtime refuses any other
        // value as an unknown packager, so a value we cannot interpret is a format we do not support.
        if (h.pkgVersion != 1 && h.pkgVersion != 2) {
            throw NeffFailure.unsupported(
                    source,
                    "pkg_version " + Long.toUnsignedString(h.pkgVersion)
                            + " is not supported; this reader knows 1 (SHA-256) and 2 (MD5)");
        }
        if (Long.compareUnsigned(h.versionMajor, MAX_MAJOR_VERSION) > 0) {
            throw NeffFailure.unsupported(
                    source,
                    "NEFF version " + Long.toUnsignedString(h.versionMajor) + "."
                            + Long.toUnsignedString(h.versionMinor) + " is newer than this reader supports (major <= "
                            + MAX_MAJOR_VERSION + ")");
        }
        return h;
    }

    private static byte[] bytes(ByteBuffer b, int off, int len) {
        byte[] out = new byte[len];
        b.get(off, out);
        return out;
    }

    private static String cString(ByteBuffer b, int off, int len) {
        byte[] raw = bytes(b, off, len);
        int end = 0;
        while (end < len && raw[end] != 0) {
            end++;
        }
        // Informational text; bytes that are not UTF-8 become U+FFFD rather than failing the read.
        return new String(raw, 0, end, StandardCharsets.UTF_8);
    }

    /** {@code pkg_version}: 1 or 2, which also picks the payload hash (SHA-256 or MD5). */
    public long pkgVersion() {
        return pkgVersion;
    }

    /** {@code header_size}: always 1024 in a file that was read. */
    public long headerSize() {
        return headerSize;
    }

    /** {@code data_size}: bytes of payload after the header (compressed size when gzip'd). */
    public long dataSize() {
        return dataSize;
    }

    /** {@code neff_version_major}. */
    public long versionMajor() {
        return versionMajor;
    }

    /** {@code neff_version_minor} (unsigned; not checked). */
    public long versionMinor() {
        return versionMinor;
    }

    /** {@code neff_build_version}, up to the first NUL; may be empty. */
    public String buildVersion() {
        return buildVersion;
    }

    /** {@code num_tpb}: NeuronCores the NEFF needs, one per subgraph. */
    public long numTpb() {
        return numTpb;
    }

    /**
     * A copy of the 32-byte {@code hash} field. For {@code pkg_version} 2 only bytes 0..15 are the MD5
     * of the payload as stored (reverse-engineered); for 1 all 32 are a SHA-256.
     */
    public byte[] hash() {
        return hash.clone();
    }

    /** The 16-byte {@code uuid} as 32 lowercase hex digits without dashes, as {@code neuron-packager} shows it. */
    public String uuid() {
        return HexFormat.of().formatHex(uuid);
    }

    /** {@code name}: the network name, up to the first NUL (often a compile-cache path). */
    public String name() {
        return name;
    }

    /** {@code requested_tpb_count}: NeuronCores requested at compile time. */
    public long requestedTpbCount() {
        return requestedTpbCount;
    }

    /** A copy of the 64 {@code tpb_per_node} bytes, one per kelf node. */
    public byte[] tpbPerNode() {
        return tpbPerNode.clone();
    }

    /** {@code feature_bits}: features the runtime must support (meaningful from NEFF 2.0). Not checked here. */
    public long featureBits() {
        return featureBits;
    }

    /** {@code lnc_size}: the logical NeuronCore size the NEFF was built for (1, or 2 on Trn2); 0 in older files. */
    public long lncSize() {
        return lncSize;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NeffHeader)) {
            return false;
        }
        NeffHeader h = (NeffHeader) o;
        return pkgVersion == h.pkgVersion
                && headerSize == h.headerSize
                && dataSize == h.dataSize
                && versionMajor == h.versionMajor
                && versionMinor == h.versionMinor
                && buildVersion.equals(h.buildVersion)
                && numTpb == h.numTpb
                && Arrays.equals(hash, h.hash)
                && Arrays.equals(uuid, h.uuid)
                && name.equals(h.name)
                && requestedTpbCount == h.requestedTpbCount
                && Arrays.equals(tpbPerNode, h.tpbPerNode)
                && featureBits == h.featureBits
                && lncSize == h.lncSize;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(uuid) * 31 + Long.hashCode(dataSize);
    }

    /** E.g. {@code NEFF 2.0 pkg 2, 1 core(s), 12345 payload bytes, uuid …, name 'file.neff'}. */
    @Override
    public String toString() {
        return "NEFF " + Long.toUnsignedString(versionMajor) + "." + Long.toUnsignedString(versionMinor)
                + " pkg " + pkgVersion + ", " + numTpb + " core(s), " + Long.toUnsignedString(dataSize)
                + " payload bytes, uuid " + uuid() + ", name '" + NeffFailure.printable(name) + "'";
    }
}
