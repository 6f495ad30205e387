package dev.nrt4j.neff;

import dev.nrt4j.strict.StrictJsonMapper;
import dev.nrt4j.strict.StrictUtf8;
import java.nio.charset.CharacterCodingException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses the JSON members of a NEFF with Jackson, configured strictly and bounded so that hostile
 * input cannot exhaust the stack or the heap. Duplicate keys are refused, because two readers that
 * keep different duplicates would see different models in the same file. Thread-safe.
 */
final class JsonMembers {
    /** No field of def.json or neff.json needs a longer number, and long ones cost time to convert. */
    static final int MAX_NUMBER_LENGTH = 100;
    /** Names the runtime reports are at most 255 bytes; the longest other strings are paths and types. */
    static final int MAX_STRING_LENGTH = 1 << 20;

    static final int MAX_NAME_LENGTH = 64 * 1024;

    /**
     * Mappers are costly to build and immutable; callers normally use one or two sets of limits, and
     * the cap keeps a caller that makes many from growing the cache without end.
     */
    private static final int MAX_CACHED = 16;

    private static final Map<Bounds, JsonMapper> MAPPERS = new ConcurrentHashMap<>();

    private record Bounds(int maxDepth, int maxDocument) {}

    private JsonMembers() {}

    /**
     * Parses one JSON document.
     *
     * @param member the tar member's name, for messages
     * @throws dev.nrt4j.NeuronException INVALID, naming the member and, where Jackson knows it, the offset
     */
    static JsonNode parse(byte[] utf8, NeffLimits limits, String source, String member) {
        // Decoded here rather than by Jackson, which would also accept UTF-16 and UTF-32 and skip a BOM;
        // RFC 8259 allows only UTF-8 between systems, and the runtime reads nothing else.
        String text;
        try {
            text = StrictUtf8.decode(utf8);
        } catch (CharacterCodingException e) {
            throw NeffFailure.invalid(source, member + " is not valid UTF-8", e);
        }
        Bounds bounds = new Bounds(limits.maxJsonDepth(), limits.maxKeptEntryBytes());
        JsonNode root;
        try {
            root = mapper(bounds).readTree(text);
        } catch (StreamConstraintsException e) {
            throw NeffFailure.invalid(
                    source,
                    member + " exceeds the bounds this reader sets on JSON (nesting "
                            + bounds.maxDepth + " levels from maxJsonDepth, numbers " + MAX_NUMBER_LENGTH
                            + " characters,"
                            + " strings " + MAX_STRING_LENGTH + " characters, keys " + MAX_NAME_LENGTH
                            + " characters): "
                            + e.getOriginalMessage(),
                    e);
        } catch (JacksonException e) {
            throw NeffFailure.invalid(
                    source, member + " is not valid JSON" + where(e.getLocation()) + ": " + e.getOriginalMessage(), e);
        } catch (NumberFormatException e) {
            // Jackson lets this through unwrapped for a decimal whose exponent BigDecimal cannot hold,
            // such as 1e99999999999; found by NeffFuzzTest.
            throw NeffFailure.invalid(source, member + " has a number this reader cannot hold: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw NeffFailure.invalid(
                    source, member + " is not valid JSON at offset " + text.length() + ": it holds no value");
        }
        return root;
    }

    private static String where(TokenStreamLocation at) {
        if (at == null || at.getCharOffset() < 0) {
            return "";
        }
        return " at offset " + at.getCharOffset() + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    private static JsonMapper mapper(Bounds b) {
        JsonMapper cached = MAPPERS.get(b);
        if (cached != null) {
            return cached;
        }
        JsonMapper built = build(b);
        if (MAPPERS.size() < MAX_CACHED) {
            MAPPERS.putIfAbsent(b, built);
        }
        return built;
    }

    private static JsonMapper build(Bounds b) {
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(b.maxDepth)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxStringLength(MAX_STRING_LENGTH)
                .maxNameLength(MAX_NAME_LENGTH)
                // Already true of the kept member; repeated so that the parser stops even if that changes.
                .maxDocumentLength(b.maxDocument)
                .build();
        return StrictJsonMapper.builder(constraints)
                // Exact decimals, so that a message quotes 1e400 as such rather than as Infinity.
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
    }
}
