package dev.nrt4j.server;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON reader and writer of the server, strict where a lenient parser would let an attacker or a
 * buggy client through: a duplicate key is an error (not the last one winning), NaN and Infinity tokens
 * are refused (Jackson's default), nesting is limited, and so are numbers' and strings' lengths. Numbers
 * that overflow to infinity (e.g. {@code 1e400}) are refused where tensors are read ({@link TensorJson}).
 */
final class StrictJson {
    /** Deeper than any request the protocol describes (a rank-8 nested tensor is 11 levels). */
    static final int MAX_DEPTH = 64;

    static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .maxNumberLength(400)
                            .maxStringLength(1 << 20)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private StrictJson() {}
}
