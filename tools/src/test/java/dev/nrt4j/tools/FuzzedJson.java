package dev.nrt4j.tools;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Any JSON value a fuzzer's bytes choose, for fuzz tests of the files the tools read (runtime records, monitor
 * configs): numbers of every range, strings, booleans, null, and arrays and objects nested to a depth, objects
 * keyed by the format's own names so that the fuzzer reaches the checks past "unknown key". The bytes are
 * consumed in a fixed order, so a committed input keeps meaning the same value. Immutable.
 */
public final class FuzzedJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String[] keys;
    private final String[] strings;
    private final int maxStringLength;
    private final int maxSmallInt;
    private final int maxMembers;

    /**
     * A generator of values with these names and bounds.
     *
     * @param keys the names objects are keyed by
     * @param strings values strings are often picked from (half the time), or none to have only fuzzed strings
     * @param maxStringLength the longest fuzzed string
     * @param maxSmallInt the largest of the small ints (from -2), which hit counts and indices
     * @param maxMembers the most members an object has
     */
    public FuzzedJson(String[] keys, String[] strings, int maxStringLength, int maxSmallInt, int maxMembers) {
        this.keys = keys.clone();
        this.strings = strings.clone();
        this.maxStringLength = maxStringLength;
        this.maxSmallInt = maxSmallInt;
        this.maxMembers = maxMembers;
    }

    /** A value nested up to {@code depth} levels (a scalar at 0). */
    public JsonNode value(FuzzedDataProvider data, int depth) {
        switch (data.consumeInt(0, depth > 0 ? 6 : 4)) {
            case 0:
                return NODES.numberNode(data.consumeLong());
            case 1:
                return NODES.numberNode(data.consumeDouble());
            case 2:
                return NODES.stringNode(
                        strings.length > 0 && data.consumeBoolean()
                                ? data.pickValue(strings)
                                : data.consumeString(maxStringLength));
            case 3:
                return data.consumeBoolean() ? NODES.booleanNode(data.consumeBoolean()) : NODES.nullNode();
            case 4:
                return NODES.numberNode(data.consumeInt(-2, maxSmallInt));
            case 5: {
                ArrayNode a = NODES.arrayNode();
                int n = data.consumeInt(0, 4);
                for (int i = 0; i < n; i++) {
                    a.add(value(data, depth - 1));
                }
                return a;
            }
            default: {
                ObjectNode o = NODES.objectNode();
                int n = data.consumeInt(0, maxMembers);
                for (int i = 0; i < n; i++) {
                    o.set(data.pickValue(keys), value(data, depth - 1));
                }
                return o;
            }
        }
    }
}
