package dev.nrt4j.npy;

import dev.nrt4j.DType;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Shape;
import dev.nrt4j.Status;
import dev.nrt4j.strict.StrictUtf8;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The header of a NumPy {@code .npy} file: format version, element type ({@code descr}), memory
 * order and shape, and where the data starts.
 *
 * <p>The layout it reads: the magic {@code \x93NUMPY}, a major and a minor version byte (1.0, 2.0 or
 * 3.0), the header length (unsigned little-endian, 2 bytes in 1.0, 4 bytes later), then the header:
 * a Python dict literal with exactly the keys {@code 'descr'}, {@code 'fortran_order'} and
 * {@code 'shape'}, in Latin-1 (UTF-8 in 3.0), padded with spaces and ending in a newline. Key order,
 * spacing, trailing commas, the padding's alignment and the final newline are not checked, since
 * nothing depends on them; everything else is.
 *
 * <p>A header is only produced for what nrt4j can hold: a supported element type, at most
 * {@value #MAX_RANK} dimensions, and an element count and byte size that fit in a {@code long}. A
 * header may describe more data than a {@link dev.nrt4j.HostTensor} can hold; {@link Npy#read}
 * checks that separately.
 *
 * <p>Immutable and thread-safe.
 */
public final class NpyHeader {
    /** Headers longer than this are refused unread; NumPy's own limit for untrusted files is 10,000. */
    public static final int MAX_HEADER_BYTES = 1 << 20;

    /** NumPy 2 allows 64 dimensions; more is damage, not a tensor. */
    public static final int MAX_RANK = 64;

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private final int majorVersion;
    private final String descr;
    private final DType dtype;
    private final boolean bigEndian;
    private final boolean fortranOrder;
    private final Shape shape;
    private final long dataOffset;
    private final long dataByteSize;

    private NpyHeader(
            int majorVersion, String descr, NpyDescr type, boolean fortranOrder, Shape shape, long dataOffset) {
        this.majorVersion = majorVersion;
        this.descr = descr;
        this.dtype = type.dtype;
        this.bigEndian = type.bigEndian;
        this.fortranOrder = fortranOrder;
        this.shape = shape;
        this.dataOffset = dataOffset;
        this.dataByteSize = shape.byteSize(type.dtype);
    }

    /**
     * Parses the header at the start of {@code bytes}, which hold at least the whole header (the data
     * may follow, or not).
     *
     * @throws NeuronException {@link Status#INVALID} if the bytes do not start with a well-formed
     *     header of a supported type, saying what is wrong
     */
    public static NpyHeader parse(byte[] bytes) {
        return read(NpyInput.of(ByteBuffer.wrap(bytes), Npy.describeBytes(bytes.length)));
    }

    /** Reads the header from {@code in}, leaving it positioned at the first data byte. */
    static NpyHeader read(NpyInput in) {
        byte[] magic = in.readExactly(MAGIC.length, "magic string");
        if (!Arrays.equals(magic, MAGIC)) {
            throw NpyFailure.invalid(
                    in.source,
                    "not a .npy file: it starts with " + hex(magic)
                            + " where a .npy file starts with 93 4e 55 4d 50 59 (\\x93NUMPY)");
        }
        byte[] version = in.readExactly(2, "format version");
        int major = version[0] & 0xFF;
        int minor = version[1] & 0xFF;
        if (major < 1 || major > 3 || minor != 0) {
            throw NpyFailure.invalid(
                    in.source,
                    "format version " + major + "." + minor
                            + " is not one nrt4j reads (1.0, 2.0 and 3.0 are); the file is damaged or from a newer NumPy");
        }
        long headerLength;
        if (major == 1) {
            byte[] len = in.readExactly(2, "header length");
            headerLength = (len[0] & 0xFF) | (len[1] & 0xFF) << 8;
        } else {
            byte[] len = in.readExactly(4, "header length");
            headerLength = (len[0] & 0xFFL) | (len[1] & 0xFFL) << 8 | (len[2] & 0xFFL) << 16 | (len[3] & 0xFFL) << 24;
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw NpyFailure.invalid(
                    in.source,
                    "the header claims to be " + headerLength + " bytes long; headers over " + MAX_HEADER_BYTES
                            + " bytes are refused (a real one is about 128 bytes), so the file is damaged");
        }
        long left = in.remaining();
        if (left >= 0 && left < headerLength) {
            throw NpyFailure.invalid(
                    in.source,
                    "the header claims to be " + headerLength + " bytes long but only " + left
                            + " bytes follow its length field; the file is truncated");
        }
        byte[] raw = in.readExactly((int) headerLength, "header");
        String text = decode(raw, major, in.source);
        Map<?, ?> dict = parseDict(text, in.source);
        return fromDict(dict, major, in.consumed(), in.source);
    }

    private static String decode(byte[] raw, int major, String source) {
        if (major < 3) {
            return new String(raw, StandardCharsets.ISO_8859_1);
        }
        try {
            return StrictUtf8.decode(raw);
        } catch (CharacterCodingException e) {
            throw NpyFailure.invalid(source, "the version 3.0 header is not valid UTF-8; the file is damaged", e);
        }
    }

    private static Map<?, ?> parseDict(String text, String source) {
        Object value;
        try {
            value = PythonLiteral.parse(text);
        } catch (PythonLiteral.SyntaxError e) {
            throw NpyFailure.invalid(
                    source,
                    "the header is not a Python dict literal: " + e.getMessage() + "; header text: " + excerpt(text));
        }
        if (!(value instanceof Map)) {
            throw NpyFailure.invalid(
                    source,
                    "the header must be a dict with 'descr', 'fortran_order' and 'shape', " + "but it is "
                            + excerpt(PythonLiteral.repr(value)));
        }
        return (Map<?, ?>) value;
    }

    private static NpyHeader fromDict(Map<?, ?> dict, int major, long dataOffset, String source) {
        List<String> wanted = List.of("descr", "fortran_order", "shape");
        for (Object key : dict.keySet()) {
            if (!wanted.contains(key)) {
                throw NpyFailure.invalid(
                        source,
                        "the header has an unexpected key " + excerpt(PythonLiteral.repr(key))
                                + "; a .npy header has exactly 'descr', 'fortran_order' and 'shape'");
            }
        }
        for (String key : wanted) {
            if (!dict.containsKey(key)) {
                throw NpyFailure.invalid(
                        source,
                        "the header has no '" + key
                                + "' key; a .npy header has exactly 'descr', 'fortran_order' and 'shape'");
            }
        }
        Object descrValue = dict.get("descr");
        if (descrValue instanceof PythonLiteral.PyList) {
            throw NpyFailure.invalid(
                    source,
                    "descr " + excerpt(PythonLiteral.repr(descrValue))
                            + " is a structured dtype (record fields), which is not supported; supported: "
                            + NpyDescr.SUPPORTED);
        }
        if (!(descrValue instanceof String)) {
            throw NpyFailure.invalid(
                    source,
                    "'descr' must be a type string such as '<f4', not " + excerpt(PythonLiteral.repr(descrValue)));
        }
        String descr = (String) descrValue;
        NpyDescr type;
        try {
            type = NpyDescr.parse(descr);
        } catch (IllegalArgumentException e) {
            throw NpyFailure.invalid(source, e.getMessage());
        }
        Object order = dict.get("fortran_order");
        if (!(order instanceof Boolean)) {
            throw NpyFailure.invalid(
                    source, "'fortran_order' must be True or False, not " + excerpt(PythonLiteral.repr(order)));
        }
        Shape shape = shapeOf(dict.get("shape"), type.dtype, source);
        return new NpyHeader(major, descr, type, (Boolean) order, shape, dataOffset);
    }

    private static Shape shapeOf(Object value, DType dtype, String source) {
        if (!(value instanceof PythonLiteral.Tuple)) {
            throw NpyFailure.invalid(
                    source,
                    "'shape' must be a tuple of non-negative integers such as (2, 3), (3,) " + "or (), not "
                            + excerpt(PythonLiteral.repr(value)));
        }
        List<Object> items = ((PythonLiteral.Tuple) value).items;
        if (items.size() > MAX_RANK) {
            throw NpyFailure.invalid(
                    source,
                    "'shape' has " + items.size() + " dimensions; at most " + MAX_RANK
                            + " are supported (NumPy's own limit), so the header is damaged");
        }
        long[] dims = new long[items.size()];
        for (int i = 0; i < dims.length; i++) {
            Object item = items.get(i);
            if (!(item instanceof Long)) {
                throw NpyFailure.invalid(
                        source,
                        "dimension " + i + " of 'shape' " + excerpt(PythonLiteral.repr(value)) + " is "
                                + excerpt(PythonLiteral.repr(item)) + ", not an integer");
            }
            dims[i] = (Long) item;
            if (dims[i] < 0) {
                throw NpyFailure.invalid(
                        source,
                        "dimension " + i + " of 'shape' " + excerpt(PythonLiteral.repr(value)) + " is negative");
            }
        }
        try {
            // Left to right, as Shape multiplies, so whatever passes here Shape accepts too.
            long elements = 1;
            for (long d : dims) {
                elements = Math.multiplyExact(elements, d);
            }
            Math.multiplyExact(elements, (long) dtype.byteSize());
        } catch (ArithmeticException overflow) {
            throw NpyFailure.invalid(
                    source,
                    "'shape' " + excerpt(PythonLiteral.repr(value)) + " of " + dtype.hloName()
                            + " needs more than 2^63 bytes; the header is damaged");
        }
        return Shape.of(dims);
    }

    private static String hex(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            b.append(b.length() == 0 ? "" : " ").append(String.format("%02x", x & 0xFF));
        }
        return b.toString();
    }

    /** Headers can be a megabyte of hostile text; messages quote at most a line of it. */
    static String excerpt(String s) {
        String oneLine = s.strip().replace("\n", "\\n").replace("\r", "\\r");
        return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 120) + "...";
    }

    /** The format's major version: 1, 2 or 3 (the minor version is always 0). */
    public int majorVersion() {
        return majorVersion;
    }

    /** The type string as written in the file, e.g. {@code <f4}, {@code >i8}, {@code |b1}. */
    public String descr() {
        return descr;
    }

    /** The element type the descr maps to; a {@code bf16} tensor stored as bits reads as {@link DType#UINT16}. */
    public DType dtype() {
        return dtype;
    }

    /** Whether the file's elements are big-endian (they are converted to little-endian when read). */
    public boolean bigEndian() {
        return bigEndian;
    }

    /** Whether the file's data is in Fortran (column-major) order (converted to C order when read). */
    public boolean fortranOrder() {
        return fortranOrder;
    }

    /** The array's shape; {@code []} for a 0-d array. */
    public Shape shape() {
        return shape;
    }

    /** Offset of the first data byte from the start of the file. */
    public long dataOffset() {
        return dataOffset;
    }

    /** Number of data bytes the header describes. */
    public long dataByteSize() {
        return dataByteSize;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NpyHeader)) {
            return false;
        }
        NpyHeader h = (NpyHeader) o;
        return majorVersion == h.majorVersion
                && descr.equals(h.descr)
                && fortranOrder == h.fortranOrder
                && shape.equals(h.shape)
                && dataOffset == h.dataOffset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(majorVersion, descr, fortranOrder, shape, dataOffset);
    }

    @Override
    public String toString() {
        return "NpyHeader[v" + majorVersion + ".0, descr=" + descr + " (" + dtype.hloName() + "), shape=" + shape
                + (fortranOrder ? ", fortran_order" : "") + ", data at " + dataOffset + "]";
    }
}
