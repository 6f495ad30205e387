package dev.nrt4j.neff;

import dev.nrt4j.NeuronException;
import dev.nrt4j.strict.StrictUtf8;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A bounded, read-only reader for the tar dialects a NEFF payload uses: POSIX ustar (with
 * {@code prefix}), GNU ({@code "ustar  "} magic, {@code L} long names, base-256 sizes) and pax
 * ({@code x} records with {@code path} and {@code size}). It reads one pass from a stream, never
 * seeks and never writes anywhere.
 *
 * <p>What it refuses, each as {@code NeuronException(INVALID)}: a header whose checksum or magic is
 * wrong, a size field that is not a number, sizes above {@link NeffLimits#maxEntryBytes()}, more
 * headers than {@link NeffLimits#maxEntries()}, names longer than {@link NeffLimits#maxNameLength()},
 * absolute names, {@code .} or {@code ..} segments, empty segments, backslashes, drive letters,
 * control characters (NUL included), names that are not UTF-8, duplicate members, links, device
 * nodes, FIFOs, sparse and other special entries, and an archive that ends without its zero block.
 *
 * <p>Not thread-safe; one instance per archive.
 */
final class TarReader {
    static final int BLOCK = 512;
    /** GNU tar writes one long-name record per entry; a run longer than this is not an archive we want. */
    static final int MAX_METADATA_RUN = 8;
    /** pax records carry a few keys; more than this is not a NEFF. */
    static final int MAX_PAX_BYTES = 64 * 1024;
    /** First buffer for a kept member; doubled as its data keeps arriving. */
    static final int FIRST_CHUNK = 64 * 1024;

    /** The listed members and the data of those kept in memory, both in archive order. */
    record Result(List<TarEntry> entries, Map<String, byte[]> kept) {}

    private final InputStream in;
    private final NeffLimits limits;
    private final String source;
    private final byte[] block = new byte[BLOCK];
    private final byte[] scratch = new byte[8192];
    private int headers;

    private TarReader(InputStream in, NeffLimits limits, String source) {
        this.in = in;
        this.limits = limits;
        this.source = source;
    }

    /**
     * Reads every header up to the end-of-archive block. Members of at most
     * {@link NeffLimits#maxKeptEntryBytes()} are kept while their total stays within
     * {@link NeffLimits#maxKeptTotalBytes()}; the rest is skipped. Does not read past the
     * end-of-archive block.
     *
     * @throws IOException as the stream throws it (e.g. a corrupt gzip stream)
     */
    static Result read(InputStream in, NeffLimits limits, String source) throws IOException {
        return new TarReader(in, limits, source).run();
    }

    private Result run() throws IOException {
        List<TarEntry> entries = new ArrayList<>();
        Map<String, byte[]> kept = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        long keptTotal = 0;
        String longName = null;
        String paxPath = null;
        Long paxSize = null;
        int metadataRun = 0;
        while (true) {
            int n = readUpTo(block, BLOCK);
            if (n == 0) {
                throw fail("the tar archive ends without its end-of-archive block; the payload is truncated");
            }
            if (n < BLOCK) {
                throw fail("the tar archive ends inside a header block; the payload is truncated");
            }
            if (allZero(block)) {
                if (longName != null || paxPath != null || paxSize != null) {
                    throw fail("the tar archive ends after a long-name or pax record with no entry to apply it to");
                }
                return new Result(List.copyOf(entries), kept);
            }
            if (++headers > limits.maxEntries()) {
                throw fail("the tar archive has more than " + limits.maxEntries() + " headers (maxEntries)");
            }
            checkHeader();
            char type = (char) (block[156] & 0xff);
            long size = number(124, 12, "size");
            if (paxSize != null && type != 'x' && type != 'g' && type != 'L' && type != 'K') {
                size = paxSize;
            }
            if (size > limits.maxEntryBytes()) {
                throw fail("tar header " + headers + " declares " + size + " bytes, more than the "
                        + limits.maxEntryBytes() + "-byte limit for one member (maxEntryBytes)");
            }
            if (type == 'L' || type == 'K' || type == 'x' || type == 'g') {
                if (++metadataRun > MAX_METADATA_RUN) {
                    throw fail("more than " + MAX_METADATA_RUN + " long-name or pax records in a row");
                }
                long cap = type == 'L' || type == 'K' ? limits.maxNameLength() + 1L : MAX_PAX_BYTES;
                if (size > cap) {
                    throw fail("a " + describeType(type) + " record of " + size + " bytes is longer than the " + cap
                            + "-byte limit" + (cap == MAX_PAX_BYTES ? "" : " (maxNameLength)"));
                }
                byte[] data = readData((int) size, "a " + describeType(type) + " record");
                skipPadding(size);
                if (type == 'L') {
                    longName = decodeName(data, cString(data, 0, data.length));
                } else if (type == 'x') {
                    Map<String, String> pax = pax(data);
                    if (pax.containsKey("path")) {
                        paxPath = pax.get("path").isEmpty() ? null : pax.get("path");
                    }
                    if (pax.containsKey("size")) {
                        paxSize = paxNumber(pax.get("size"));
                    }
                }
                // 'K' (long link target) and 'g' (global pax) carry nothing a NEFF member needs.
                continue;
            }
            metadataRun = 0;
            String raw = paxPath != null ? paxPath : longName != null ? longName : ustarName();
            longName = null;
            paxPath = null;
            paxSize = null;
            switch (type) {
                case '0':
                case '\0':
                case '7':
                case '5':
                    break;
                case '1':
                case '2':
                    throw fail("member " + NeffFailure.quote(raw) + " is a " + (type == '1' ? "hard" : "symbolic")
                            + " link; links are not allowed in a NEFF");
                default:
                    throw fail("member " + NeffFailure.quote(raw) + " has tar type " + describeType(type)
                            + ", which a NEFF does not use (only files and directories are allowed)");
            }
            boolean directory = type == '5' || raw.endsWith("/");
            String name = checkName(raw, directory);
            if (directory) {
                skip(size);
                skipPadding(size);
                continue;
            }
            if (!names.add(name)) {
                throw fail("member " + NeffFailure.quote(name) + " appears twice in the archive");
            }
            entries.add(new TarEntry(name, size));
            if (size <= limits.maxKeptEntryBytes() && keptTotal + size <= limits.maxKeptTotalBytes()) {
                kept.put(name, readData((int) size, "member " + NeffFailure.quote(name)));
                keptTotal += size;
            } else {
                skip(size);
            }
            skipPadding(size);
        }
    }

    private NeuronException fail(String detail) {
        return NeffFailure.invalid(source, detail);
    }

    private static String describeType(char type) {
        switch (type) {
            case 'L':
                return "GNU long-name";
            case 'K':
                return "GNU long-link";
            case 'x':
                return "pax";
            case 'g':
                return "pax global";
            default:
                return type >= 0x21 && type < 0x7f ? "'" + type + "'" : String.format("0x%02x", (int) type);
        }
    }

    private void checkHeader() {
        long stored = number(148, 8, "checksum");
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = i >= 148 && i < 156 ? ' ' : block[i];
            unsigned += b & 0xff;
            signed += (byte) b;
        }
        // Some old tars summed signed bytes; both sums are accepted, as GNU tar does.
        if (stored != unsigned && stored != signed) {
            throw fail("tar header " + headers + " has a bad checksum (stored " + stored + ", computed " + unsigned
                    + "); the archive is damaged");
        }
        if (!(block[257] == 'u' && block[258] == 's' && block[259] == 't' && block[260] == 'a' && block[261] == 'r')) {
            throw fail("tar header " + headers + " has no ustar magic; only ustar, GNU and pax archives are read");
        }
    }

    /** POSIX ustar ("ustar\0") joins prefix and name; GNU ("ustar ") uses that area for other fields. */
    private String ustarName() {
        String name = cString(block, 0, 100);
        boolean posix = block[262] == 0;
        if (posix && block[345] != 0) {
            name = cString(block, 345, 155) + "/" + name;
        }
        int len = name.length();
        byte[] raw = new byte[len];
        for (int i = 0; i < len; i++) {
            raw[i] = (byte) name.charAt(i);
        }
        return decodeName(raw, name);
    }

    /** ISO-8859-1 so that each char is one byte; {@link #decodeName} turns the bytes into UTF-8 text. */
    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.ISO_8859_1);
    }

    private String decodeName(byte[] bytes, String latin1) {
        int len = 0;
        while (len < bytes.length && bytes[len] != 0) {
            len++;
        }
        try {
            return StrictUtf8.decode(bytes, 0, len);
        } catch (CharacterCodingException e) {
            throw fail("member name " + NeffFailure.quote(latin1) + " is not UTF-8");
        }
    }

    /** Octal with optional leading spaces and a space or NUL terminator, or GNU base-256. */
    private long number(int off, int len, String field) {
        if ((block[off] & 0x80) != 0) {
            if ((block[off] & 0x40) != 0) {
                throw fail("tar header " + headers + " has a negative " + field);
            }
            long v = block[off] & 0x3f;
            for (int i = 1; i < len; i++) {
                if (v > (Long.MAX_VALUE >>> 8)) {
                    throw fail("tar header " + headers + " has a " + field + " beyond 2^63");
                }
                v = (v << 8) | (block[off + i] & 0xff);
            }
            return v;
        }
        int i = off;
        int end = off + len;
        while (i < end && block[i] == ' ') {
            i++;
        }
        long v = 0;
        int digits = 0;
        while (i < end && block[i] >= '0' && block[i] <= '7') {
            v = v * 8 + (block[i] - '0');
            digits++;
            i++;
        }
        while (i < end && (block[i] == ' ' || block[i] == 0)) {
            i++;
        }
        if (i != end || (digits == 0 && block[off] != 0 && block[off] != ' ')) {
            throw fail("tar header " + headers + " has a " + field + " field that is not an octal number");
        }
        return v;
    }

    private Map<String, String> pax(byte[] data) {
        Map<String, String> out = new LinkedHashMap<>();
        int p = 0;
        while (p < data.length) {
            int q = p;
            long len = 0;
            while (q < data.length && data[q] >= '0' && data[q] <= '9' && len <= data.length) {
                len = len * 10 + (data[q] - '0');
                q++;
            }
            if (q == p
                    || q >= data.length
                    || data[q] != ' '
                    || len < (q - p) + 3
                    || p + len > data.length
                    || data[(int) (p + len - 1)] != '\n') {
                throw fail("a pax record at offset " + p + " is malformed");
            }
            int recordEnd = (int) (p + len - 1);
            int eq = q + 1;
            while (eq < recordEnd && data[eq] != '=') {
                eq++;
            }
            if (eq == recordEnd || eq == q + 1) {
                throw fail("a pax record at offset " + p + " has no key=value");
            }
            String key = new String(data, q + 1, eq - q - 1, StandardCharsets.UTF_8);
            byte[] value = Arrays.copyOfRange(data, eq + 1, recordEnd);
            if (key.equals("path")) {
                if (value.length > limits.maxNameLength()) {
                    throw fail("a pax path of " + value.length + " bytes is longer than the " + limits.maxNameLength()
                            + "-byte limit (maxNameLength)");
                }
                for (byte b : value) {
                    if (b == 0) {
                        throw fail("a pax path contains a NUL byte");
                    }
                }
                out.put(key, decodeName(value, new String(value, StandardCharsets.ISO_8859_1)));
            } else {
                out.put(key, new String(value, StandardCharsets.UTF_8));
            }
            p += (int) len;
        }
        return out;
    }

    private long paxNumber(String v) {
        if (v.isEmpty() || v.length() > 19 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw fail("a pax size " + NeffFailure.quote(v) + " is not a decimal number below 2^63");
        }
        return Long.parseLong(v);
    }

    private String checkName(String raw, boolean directory) {
        String name = raw;
        while (name.startsWith("./")) {
            name = name.substring(2);
        }
        if (directory) {
            while (name.endsWith("/")) {
                name = name.substring(0, name.length() - 1);
            }
            if (name.isEmpty() || name.equals(".")) {
                return "";
            }
        }
        String q = NeffFailure.quote(raw);
        if (name.isEmpty()) {
            throw fail("a member has an empty name");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > limits.maxNameLength()) {
            throw fail("member name " + q + " is longer than " + limits.maxNameLength() + " bytes (maxNameLength)");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw fail("member name " + q + " contains a control character");
            }
            if (c == '\\') {
                throw fail("member name " + q + " contains a backslash");
            }
        }
        if (name.startsWith("/")) {
            throw fail("member name " + q + " is an absolute path");
        }
        if (name.length() >= 2 && name.charAt(1) == ':' && Character.isLetter(name.charAt(0))) {
            throw fail("member name " + q + " starts with a drive letter");
        }
        for (String segment : name.split("/", -1)) {
            if (segment.equals("..")) {
                throw fail("member name " + q + " has a '..' segment");
            }
            if (segment.isEmpty() || segment.equals(".")) {
                throw fail("member name " + q + " has an empty or '.' segment");
            }
        }
        return name;
    }

    /**
     * Exactly {@code size} bytes. A header can claim a size its data never delivers, so the buffer grows
     * with the bytes that arrive instead of being allocated at the claimed size up front.
     */
    private byte[] readData(int size, String what) throws IOException {
        byte[] out = new byte[Math.min(size, FIRST_CHUNK)];
        int got = 0;
        while (got < size) {
            if (got == out.length) {
                out = Arrays.copyOf(out, (int) Math.min(size, 2L * out.length));
            }
            int n = in.read(out, got, out.length - got);
            if (n < 0) {
                throw fail("the tar archive ends inside " + what + "; the payload is truncated");
            }
            got += n;
        }
        return out;
    }

    private void skip(long size) throws IOException {
        long left = size;
        while (left > 0) {
            int n = in.read(scratch, 0, (int) Math.min(scratch.length, left));
            if (n < 0) {
                throw fail("the tar archive ends inside a member's data; the payload is truncated");
            }
            left -= n;
        }
    }

    private void skipPadding(long size) throws IOException {
        int pad = (int) ((BLOCK - size % BLOCK) % BLOCK);
        if (pad > 0 && readUpTo(scratch, pad) < pad) {
            throw fail("the tar archive ends inside block padding; the payload is truncated");
        }
    }

    private int readUpTo(byte[] into, int len) throws IOException {
        int got = 0;
        while (got < len) {
            int n = in.read(into, got, len - got);
            if (n < 0) {
                break;
            }
            got += n;
        }
        return got;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
