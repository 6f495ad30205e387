package dev.nrt4j.server;

import dev.nrt4j.strict.StrictJsonMapper;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON reader and writer of the server, strict where a lenient parser would let an attacker or a
 * buggy client through ({@link StrictJsonMapper}: duplicate keys, trailing data, NaN and Infinity are
 * refused), with the server's bounds on nesting and on numbers' and strings' lengths. Numbers
 * that overflow to infinity (e.g. {@code 1e400}) are refused where tensors are read ({@link TensorJson}).
 */
final class StrictJson {
    /** Deeper than any request the protocol describes (a rank-8 nested tensor is 11 levels). */
    static final int MAX_DEPTH = 64;

    static final JsonMapper MAPPER = StrictJsonMapper.builder(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxNumberLength(400)
                    .maxStringLength(1 << 20)
                    .build())
            .build();

    private StrictJson() {}
}
