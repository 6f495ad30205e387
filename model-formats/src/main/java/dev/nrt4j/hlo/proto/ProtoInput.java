package dev.nrt4j.hlo.proto;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.nrt4j.hlo.proto.schema.HloModuleProto;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * From file bytes to a parsed {@link HloModuleProto}: undoes gzip, finds the module inside the
 * {@code HloProto} and {@code HloSnapshot} wrappers, and parses it with a nesting limit.
 */
final class ProtoInput {
    private static final int FIELD_ONE = 1;
    private static final int COMPUTATIONS = 3;
    private static final int INSTRUCTIONS = 2;
    /** HloSnapshot -> HloProto -> HloModuleProto. */
    private static final int MAX_WRAPPERS = 2;

    private ProtoInput() {}

    /** A slice of the input; wrappers are peeled by narrowing it, never by copying. */
    private record Range(int offset, int length) {}

    /**
     * Inflates at most what this JVM could go on to parse: a 1.5 MB gzip bomb otherwise inflated to
     * 2 GiB and ended in an OutOfMemoryError instead of a status.
     */
    static byte[] gunzipIfCompressed(byte[] bytes, String source) {
        Runtime rt = Runtime.getRuntime();
        return gunzipIfCompressed(bytes, source, inflateLimit(rt.maxMemory(), rt.totalMemory() - rt.freeMemory()));
    }

    /** Fewest bytes inflation is always allowed, however full the heap looks: any real module fits. */
    static final int MIN_INFLATE_LIMIT = 16 << 20;

    /**
     * The most bytes gzip data may inflate to in a JVM with {@code maxMemory} heap of which {@code used}
     * is taken: a quarter of what is free, because inflating holds the data up to twice while it grows
     * and parsing builds a message at least as large again; never more than
     * {@link HloProtoReader#MAX_INPUT_BYTES}, never less than {@link #MIN_INFLATE_LIMIT}.
     */
    static int inflateLimit(long maxMemory, long used) {
        long quarterOfFree = Math.max(0, maxMemory - used) / 4;
        return (int) Math.min(HloProtoReader.MAX_INPUT_BYTES, Math.max(MIN_INFLATE_LIMIT, quarterOfFree));
    }

    /** @param limit most bytes the data may inflate to (tests use small ones) */
    static byte[] gunzipIfCompressed(byte[] bytes, String source, int limit) {
        if (bytes.length < 2 || (bytes[0] & 0xff) != 0x1f || (bytes[1] & 0xff) != 0x8b) {
            // 0x1f would be a tag with wire type 7, which no protobuf message starts with.
            return bytes;
        }
        byte[] out = new byte[Math.min(limit, Math.max(64, Math.min(bytes.length * 4, 1 << 20)))];
        int size = 0;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes), 1 << 16)) {
            while (true) {
                if (size == out.length) {
                    if (size == limit) {
                        if (in.read() < 0) {
                            break;
                        }
                        throw ProtoFailure.invalid(
                                source,
                                "the gzip data inflates to more than " + limit + " bytes"
                                        + (limit < HloProtoReader.MAX_INPUT_BYTES
                                                ? ", more than this JVM's heap could parse;"
                                                        + " if the model is genuine, give the JVM more memory (NRT4J_JAVA_OPTS=-Xmx...)"
                                                : ", more than any module the reader accepts"));
                    }
                    out = Arrays.copyOf(out, (int) Math.min((long) size * 2, limit));
                }
                int n = in.read(out, size, out.length - size);
                if (n < 0) {
                    break;
                }
                size += n;
            }
        } catch (IOException e) {
            throw ProtoFailure.invalid(source, "corrupt gzip data: " + e.getMessage(), e);
        }
        return Arrays.copyOf(out, size);
    }

    static HloModuleProto parseModule(byte[] bytes, String source) {
        Range module = findModule(bytes);
        CodedInputStream in = CodedInputStream.newInstance(bytes, module.offset(), module.length());
        in.setRecursionLimit(HloProtoReader.MAX_NESTING);
        try {
            return HloModuleProto.parseFrom(in);
        } catch (IOException e) {
            // From an in-memory array only InvalidProtocolBufferException is possible; the rest is the API's signature.
            String why = String.valueOf(e.getMessage());
            if (why.contains("too many levels of nesting")) {
                throw ProtoFailure.invalid(
                        source, "messages are nested more than " + HloProtoReader.MAX_NESTING + " levels deep", e);
            }
            throw ProtoFailure.invalid(source, "not a valid HloModuleProto: " + why, e);
        }
    }

    /**
     * The bytes of the module itself. {@code HloProto} and {@code HloSnapshot} keep their payload in
     * field 1, as a module keeps its name, so a wrapper is recognised by what its field 1 holds: a
     * module (computations holding instructions) or another wrapper. A real module's name cannot pass
     * for that, because computations start with the tag byte 0x1a, a control character.
     */
    private static Range findModule(byte[] bytes) {
        Range r = new Range(0, bytes.length);
        for (int level = 0; level < MAX_WRAPPERS; level++) {
            Range inner = lastLengthDelimited(bytes, r, FIELD_ONE);
            if (inner == null || !(looksLikeModule(bytes, inner) || looksLikeWrapper(bytes, inner, level + 1))) {
                break;
            }
            r = inner;
        }
        return r;
    }

    private static boolean looksLikeWrapper(byte[] bytes, Range r, int level) {
        if (level >= MAX_WRAPPERS) {
            return false;
        }
        Range inner = lastLengthDelimited(bytes, r, FIELD_ONE);
        return inner != null && (looksLikeModule(bytes, inner) || looksLikeWrapper(bytes, inner, level + 1));
    }

    private static boolean looksLikeModule(byte[] bytes, Range r) {
        Range computation = firstLengthDelimited(bytes, r, COMPUTATIONS);
        return computation != null && firstLengthDelimited(bytes, computation, INSTRUCTIONS) != null;
    }

    private static Range firstLengthDelimited(byte[] bytes, Range r, int field) {
        return scan(bytes, r, field, true);
    }

    private static Range lastLengthDelimited(byte[] bytes, Range r, int field) {
        return scan(bytes, r, field, false);
    }

    /**
     * Walks the top-level fields of {@code r} without parsing their contents; null if the field is
     * absent or {@code r} is not a well-formed message at this level (so it cannot be a wrapper).
     */
    private static Range scan(byte[] bytes, Range r, int field, boolean first) {
        CodedInputStream in = CodedInputStream.newInstance(bytes, r.offset(), r.length());
        Range found = null;
        try {
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    return found;
                }
                int type = WireFormat.getTagWireType(tag);
                if (type == WireFormat.WIRETYPE_START_GROUP || type == WireFormat.WIRETYPE_END_GROUP) {
                    // XLA writes no groups; skipping one would recurse on hostile input.
                    return null;
                }
                if (type == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    int length = in.readRawVarint32();
                    int start = r.offset() + in.getTotalBytesRead();
                    if (length < 0 || length > r.length() - in.getTotalBytesRead()) {
                        return null;
                    }
                    if (WireFormat.getTagFieldNumber(tag) == field) {
                        found = new Range(start, length);
                        if (first) {
                            return found;
                        }
                    }
                    in.skipRawBytes(length);
                } else {
                    in.skipField(tag);
                }
            }
        } catch (IOException e) {
            return null;
        }
    }
}
