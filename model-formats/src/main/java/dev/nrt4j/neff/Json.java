package dev.nrt4j.neff;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 JSON parser for the metadata members of a NEFF, bounded so that hostile input
 * cannot exhaust the stack or the heap: nesting is capped (recursion depth equals nesting depth),
 * the input is already bounded by the kept-member size, and number tokens are capped in length.
 * Duplicate object keys are refused, because two readers that keep different duplicates would see
 * different models in the same file.
 *
 * <p>Values: {@code Map<String,Object>} (insertion-ordered), {@code List<Object>}, {@code String},
 * {@link Num}, {@code Boolean}, and {@link #NULL}. Not thread-safe; one instance per document.
 */
final class Json {
    /** JSON {@code null}, distinct from a missing key. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** Longer number tokens are refused: no NEFF field needs them, and they cost time to convert. */
    static final int MAX_NUMBER_LENGTH = 100;

    /** A number kept as its text; converted only where a field needs it. */
    record Num(String text) {
        boolean isInteger() {
            return text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
        }

        /** The value as a long, or null when it is not an integer that fits. */
        Long longValue() {
            if (!isInteger()) {
                return null;
            }
            BigInteger v = new BigInteger(text);
            return v.bitLength() < 64 ? v.longValue() : null;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private final String s;
    private final int maxDepth;
    private final String source;
    private final String member;
    private int pos;

    private Json(String s, int maxDepth, String source, String member) {
        this.s = s;
        this.maxDepth = maxDepth;
        this.source = source;
        this.member = member;
    }

    /**
     * Parses one JSON document.
     *
     * @param member the tar member's name, for messages
     * @throws dev.nrt4j.NeuronException INVALID, naming the member and the offset
     */
    static Object parse(byte[] utf8, int maxDepth, String source, String member) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw NeffFailure.invalid(source, member + " is not valid UTF-8", e);
        }
        Json p = new Json(text, maxDepth, source, member);
        p.skipSpace();
        Object v = p.value(0);
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.fail("unexpected text after the JSON value");
        }
        return v;
    }

    private RuntimeException fail(String what) {
        return NeffFailure.invalid(source, member + " is not valid JSON at offset " + pos + ": " + what);
    }

    private void skipSpace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private Object value(int depth) {
        if (pos >= s.length()) {
            throw fail("unexpected end");
        }
        char c = s.charAt(pos);
        switch (c) {
            case '{':
            case '[':
                if (depth >= maxDepth) {
                    throw fail("nested deeper than " + maxDepth + " levels (maxJsonDepth)");
                }
                return c == '{' ? object(depth + 1) : array(depth + 1);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", NULL);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw fail("unexpected character " + describe(c));
        }
    }

    private static String describe(char c) {
        return c < 0x20 || c == 0x7f ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, pos)) {
            throw fail("unexpected word");
        }
        pos += word.length();
        return v;
    }

    private Map<String, Object> object(int depth) {
        pos++;
        Map<String, Object> m = new LinkedHashMap<>();
        skipSpace();
        if (pos < s.length() && s.charAt(pos) == '}') {
            pos++;
            return m;
        }
        while (true) {
            skipSpace();
            if (pos >= s.length() || s.charAt(pos) != '"') {
                throw fail("expected a string key");
            }
            int keyAt = pos;
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            Object v = value(depth);
            if (m.putIfAbsent(key, v) != null) {
                pos = keyAt;
                throw fail("duplicate key \"" + key + "\"");
            }
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == ',') {
                pos++;
                continue;
            }
            expect('}');
            return m;
        }
    }

    private List<Object> array(int depth) {
        pos++;
        List<Object> l = new ArrayList<>();
        skipSpace();
        if (pos < s.length() && s.charAt(pos) == ']') {
            pos++;
            return l;
        }
        while (true) {
            skipSpace();
            l.add(value(depth));
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == ',') {
                pos++;
                continue;
            }
            expect(']');
            return l;
        }
    }

    private void expect(char c) {
        if (pos >= s.length() || s.charAt(pos) != c) {
            throw fail("expected '" + c + "'");
        }
        pos++;
    }

    private String string() {
        pos++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= s.length()) {
                throw fail("unterminated string");
            }
            char c = s.charAt(pos++);
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                pos--;
                throw fail("control character " + describe(c) + " in a string");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (pos >= s.length()) {
                throw fail("unterminated escape");
            }
            char e = s.charAt(pos++);
            switch (e) {
                case '"': b.append('"'); break;
                case '\\': b.append('\\'); break;
                case '/': b.append('/'); break;
                case 'b': b.append('\b'); break;
                case 'f': b.append('\f'); break;
                case 'n': b.append('\n'); break;
                case 'r': b.append('\r'); break;
                case 't': b.append('\t'); break;
                case 'u':
                    if (pos + 4 > s.length()) {
                        throw fail("short \\u escape");
                    }
                    int v = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = Character.digit(s.charAt(pos + i), 16);
                        if (d < 0) {
                            throw fail("bad \\u escape");
                        }
                        v = v * 16 + d;
                    }
                    pos += 4;
                    b.append((char) v);
                    break;
                default:
                    pos--;
                    throw fail("bad escape " + describe(e));
            }
        }
    }

    private Num number() {
        int start = pos;
        if (s.charAt(pos) == '-') {
            pos++;
        }
        if (pos < s.length() && s.charAt(pos) == '0') {
            pos++;
        } else if (!digits()) {
            throw fail("bad number");
        }
        if (pos < s.length() && s.charAt(pos) == '.') {
            pos++;
            if (!digits()) {
                throw fail("bad number");
            }
        }
        if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            pos++;
            if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                pos++;
            }
            if (!digits()) {
                throw fail("bad number");
            }
        }
        if (pos - start > MAX_NUMBER_LENGTH) {
            pos = start;
            throw fail("number longer than " + MAX_NUMBER_LENGTH + " characters");
        }
        return new Num(s.substring(start, pos));
    }

    private boolean digits() {
        int start = pos;
        while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }
}
