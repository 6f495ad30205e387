package dev.nrt4j.neff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.NeuronException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/** The bounded JSON parser against Jackson (test scope only) as an oracle, plus the bounds Jackson does not share. */
class JsonTest {
    private static final JsonMapper JACKSON = JsonMapper.builder().build();

    private static Object parse(String text) {
        return Json.parse(text.getBytes(StandardCharsets.UTF_8), 64, "t.neff", "x.json");
    }

    /** Both sides as plain Java values with numbers as BigDecimal, so that they compare exactly. */
    private static Object normalize(Object o) {
        if (o instanceof Map) {
            Map<String, Object> m = new LinkedHashMap<>();
            ((Map<?, ?>) o).forEach((k, v) -> m.put((String) k, normalize(v)));
            return m;
        }
        if (o instanceof List) {
            List<Object> l = new ArrayList<>();
            ((List<?>) o).forEach(v -> l.add(normalize(v)));
            return l;
        }
        if (o instanceof Json.Num) {
            return new BigDecimal(((Json.Num) o).text()).stripTrailingZeros();
        }
        if (o instanceof Number) {
            return new BigDecimal(o.toString()).stripTrailingZeros();
        }
        return o == Json.NULL ? null : o;
    }

    private static Object randomValue(SplittableRandom r, int depth) {
        switch (depth > 5 ? r.nextInt(5) : r.nextInt(7)) {
            case 0: return r.nextLong();
            case 1: return r.nextInt(3) == 0 ? new BigInteger(80, new java.util.Random(r.nextLong())) : r.nextInt(-5, 5);
            case 2: return r.nextDouble() * Math.pow(10, r.nextInt(-20, 20));
            case 3: {
                StringBuilder s = new StringBuilder();
                int n = r.nextInt(12);
                for (int i = 0; i < n; i++) {
                    int pick = r.nextInt(4);
                    s.appendCodePoint(pick == 0 ? r.nextInt(0, 0x20) : pick == 1 ? r.nextInt(0x20, 0x7f)
                            : pick == 2 ? r.nextInt(0xa0, 0xd7ff) : 0x1f600 + r.nextInt(50));
                }
                return s.toString();
            }
            case 4: return r.nextInt(3) == 0 ? null : r.nextBoolean();
            case 5: {
                Map<String, Object> m = new LinkedHashMap<>();
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    m.put("k" + i + (char) r.nextInt(0x20, 0x7f), randomValue(r, depth + 1));
                }
                return m;
            }
            default: {
                List<Object> l = new ArrayList<>();
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    l.add(randomValue(r, depth + 1));
                }
                return l;
            }
        }
    }

    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void readsWhatJacksonWritesAsJacksonReadsIt(long seed) {
        Object value = randomValue(new SplittableRandom(seed), 0);
        // Every other seed pretty-printed, for whitespace between tokens.
        String text = seed % 2 == 0 ? JACKSON.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\r\n"
                : JACKSON.writeValueAsString(value);

        Object ours = normalize(parse(text));
        Object theirs = normalize(JACKSON.readValue(text, Object.class));

        assertThat(ours).as("seed %d: %s", seed, text).isEqualTo(theirs);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "}", "[", "[1,]", "[,1]", "{\"a\"}", "{\"a\":}", "{\"a\" 1}", "{a:1}",
        "'x'", "01", "-", "1.", ".5", "1e", "+1", "NaN", "Infinity", "tru", "nulll", "\"abc", "\"\\q\"", "\"\\u12\"",
        "[1 2]", "{\"a\":1 \"b\":2}", "/* c */ 1", "1 // c", "[1]]", "\"\t\""})
    void refusesWhatJacksonRefuses(String text) {
        assertThatThrownBy(() -> JACKSON.readValue(text, Object.class)).as("Jackson on %s", text).isNotNull();
        assertThatThrownBy(() -> parse(text)).isInstanceOf(NeuronException.class)
                .hasMessageContaining("x.json is not valid JSON");
    }

    @Test
    void boundsJacksonDoesNotHave() {
        assertThatThrownBy(() -> parse("{\"a\":1,\"a\":2}")).hasMessageContaining("duplicate key \"a\"");
        assertThat(parse("[".repeat(64) + "]".repeat(64))).isInstanceOf(List.class);
        assertThatThrownBy(() -> parse("[".repeat(65) + "]".repeat(65))).hasMessageContaining("deeper than 64");
        assertThatThrownBy(() -> parse("{\"a\":".repeat(1_000_000))).hasMessageContaining("deeper than 64");
        assertThatThrownBy(() -> parse("1" + "0".repeat(100))).hasMessageContaining("number longer than 100");
        assertThat(((Json.Num) parse("9223372036854775807")).longValue()).isEqualTo(Long.MAX_VALUE);
        assertThat(((Json.Num) parse("9223372036854775808")).longValue()).isNull();
        assertThat(((Json.Num) parse("-9223372036854775808")).longValue()).isEqualTo(Long.MIN_VALUE);
        assertThat(((Json.Num) parse("4.0")).longValue()).isNull();
    }
}
