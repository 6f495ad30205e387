package dev.nrt4j.strict;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Jackson mapper for untrusted JSON: a duplicate key is an error (not the last one winning, so two readers
 * that keep different duplicates cannot see different documents), so is anything after the value, and NaN and
 * Infinity tokens stay refused (Jackson's default). The caller sets the bounds, which differ by input (a
 * request, a model's JSON member, a config file), and may enable more features before building. Stateless and
 * thread-safe; the mappers built are immutable.
 */
public final class StrictJsonMapper {
    private StrictJsonMapper() {}

    /**
     * A mapper builder with these bounds and the strict features set.
     *
     * @param bounds nesting, number, string, name and document limits for the parser; not null
     * @return a new builder
     */
    public static JsonMapper.Builder builder(StreamReadConstraints bounds) {
        return JsonMapper.builder(JsonFactory.builder()
                        .streamReadConstraints(bounds)
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                        .build())
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
}
