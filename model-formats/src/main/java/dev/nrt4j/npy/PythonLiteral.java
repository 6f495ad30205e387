package dev.nrt4j.npy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parser for the small subset of Python literal syntax that a {@code .npy} header is written in:
 * dicts, tuples, lists, strings, integers, {@code True}, {@code False} and {@code None}.
 *
 * <p>Values come back as {@link Map} (insertion order, string or other keys), {@link Tuple},
 * {@link PyList}, {@link String}, {@link Long}, {@link Boolean} and {@link #NONE}. Anything else
 * (floats, expressions, names, escapes we do not know) is rejected rather than guessed at, because a
 * header that is not what NumPy writes is more likely damage than a dialect.
 *
 * <p>Stateless entry point; each parse uses its own cursor, so it is thread-safe.
 */
final class PythonLiteral {
    /** Python's {@code None}. */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    /**
     * Real headers nest at most three deep (a structured descr: list of tuples of tuples); the bound
     * keeps hostile input from exhausting the stack.
     */
    static final int MAX_DEPTH = 32;

    /** A Python tuple. */
    static final class Tuple {
        final List<Object> items;

        Tuple(List<Object> items) {
            this.items = Collections.unmodifiableList(items);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("(");
            for (int i = 0; i < items.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(repr(items.get(i)));
            }
            return b.append(items.size() == 1 ? ",)" : ")").toString();
        }
    }

    /** A Python list (only ever a structured dtype's field list in a .npy header). */
    static final class PyList {
        final List<Object> items;

        PyList(List<Object> items) {
            this.items = Collections.unmodifiableList(items);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < items.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(repr(items.get(i)));
            }
            return b.append(']').toString();
        }
    }

    /** Thrown for text that is not a literal of the supported subset; the message says where and why. */
    static final class SyntaxError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SyntaxError(String message) {
            super(message);
        }
    }

    private final String text;
    private int pos;

    private PythonLiteral(String text) {
        this.text = text;
    }

    /**
     * Parses {@code text}, which must hold exactly one literal, optionally surrounded by whitespace.
     *
     * @throws SyntaxError describing the first problem and its character offset
     */
    static Object parse(String text) {
        PythonLiteral p = new PythonLiteral(text);
        p.skipSpace();
        Object value = p.value(0);
        p.skipSpace();
        if (p.pos < text.length()) {
            throw p.error("unexpected " + p.describeHere() + " after the literal");
        }
        return value;
    }

    /** Python-like rendering, for messages. */
    static String repr(Object value) {
        if (value instanceof String) {
            return "'" + ((String) value).replace("\\", "\\\\").replace("'", "\\'") + "'";
        }
        if (value instanceof Boolean) {
            return ((Boolean) value) ? "True" : "False";
        }
        if (value instanceof Map) {
            StringBuilder b = new StringBuilder("{");
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                b.append(b.length() == 1 ? "" : ", ")
                        .append(repr(e.getKey()))
                        .append(": ")
                        .append(repr(e.getValue()));
            }
            return b.append('}').toString();
        }
        return String.valueOf(value);
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
        if (pos >= text.length()) {
            throw error("the text ends where a value should start");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return dict(depth);
            case '(':
                return new Tuple(sequence(')', depth, true));
            case '[':
                return new PyList(sequence(']', depth, false));
            case '\'':
            case '"':
                return string();
            default:
                if (c == '-' || c == '+' || (c >= '0' && c <= '9')) {
                    return integer();
                }
                if (Character.isLetter(c) || c == '_') {
                    return name();
                }
                throw error("unexpected " + describeHere() + " where a value should start");
        }
    }

    private Map<Object, Object> dict(int depth) {
        int start = pos;
        pos++; // '{'
        Map<Object, Object> map = new LinkedHashMap<>();
        skipSpace();
        while (true) {
            if (peek('}')) {
                pos++;
                return map;
            }
            int keyAt = pos;
            Object key = value(depth + 1);
            if (key instanceof Map || key instanceof PyList) {
                throw errorAt(keyAt, "a dict key cannot be a dict or list");
            }
            skipSpace();
            expect(':', "':' after a dict key");
            skipSpace();
            Object v = value(depth + 1);
            if (map.containsKey(key)) {
                throw errorAt(keyAt, "key " + repr(key) + " appears twice");
            }
            map.put(key, v);
            skipSpace();
            if (peek(',')) {
                pos++;
                skipSpace();
            } else if (!peek('}')) {
                throw pos >= text.length()
                        ? errorAt(start, "the dict starting here is never closed with '}'")
                        : error("expected ',' or '}' in a dict, found " + describeHere());
            }
        }
    }

    private List<Object> sequence(char close, int depth, boolean tuple) {
        int start = pos;
        pos++; // opening bracket
        List<Object> items = new ArrayList<>();
        boolean sawComma = false;
        skipSpace();
        while (true) {
            if (peek(close)) {
                pos++;
                if (tuple && items.size() == 1 && !sawComma) {
                    // "(3)" is the number 3 in Python, not a tuple; NumPy never writes it for a shape.
                    throw errorAt(
                            start,
                            "'(" + repr(items.get(0)) + ")' is a parenthesised value, not a tuple; "
                                    + "a one-element tuple is written '(" + repr(items.get(0)) + ",)'");
                }
                return items;
            }
            items.add(value(depth + 1));
            skipSpace();
            if (peek(',')) {
                pos++;
                sawComma = true;
                skipSpace();
            } else if (!peek(close)) {
                throw pos >= text.length()
                        ? errorAt(
                                start,
                                "the " + (tuple ? "tuple" : "list") + " starting here is never closed with '" + close
                                        + "'")
                        : error("expected ',' or '" + close + "', found " + describeHere());
            }
        }
    }

    private String string() {
        int start = pos;
        char quote = text.charAt(pos++);
        StringBuilder b = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == quote) {
                return b.toString();
            }
            if (c == '\n') {
                break;
            }
            if (c == '\\') {
                if (pos >= text.length()) {
                    break;
                }
                char e = text.charAt(pos++);
                if (e == '\\' || e == '\'' || e == '"') {
                    b.append(e);
                } else {
                    throw errorAt(pos - 2, "unsupported escape '\\" + e + "' in a string");
                }
            } else {
                b.append(c);
            }
        }
        throw errorAt(start, "the string starting here is never closed");
    }

    private Long integer() {
        int start = pos;
        boolean negative = false;
        if (text.charAt(pos) == '-' || text.charAt(pos) == '+') {
            negative = text.charAt(pos) == '-';
            pos++;
        }
        int digitsStart = pos;
        long value = 0;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            int d = text.charAt(pos) - '0';
            // Accumulate negatively so that Long.MIN_VALUE parses and overflow is exact.
            if (value < (Long.MIN_VALUE + d) / 10) {
                throw errorAt(start, "integer " + abbreviate(start) + " does not fit in 64 bits");
            }
            value = value * 10 - d;
            pos++;
        }
        if (pos == digitsStart) {
            throw errorAt(start, "a sign must be followed by digits");
        }
        if (pos < text.length() && (text.charAt(pos) == 'L' || text.charAt(pos) == 'l')) {
            pos++; // Python 2 long suffix, found in headers NumPy wrote under Python 2
        }
        if (pos < text.length()
                && (Character.isLetterOrDigit(text.charAt(pos))
                        || text.charAt(pos) == '.'
                        || text.charAt(pos) == '_')) {
            throw errorAt(start, "only plain decimal integers are supported, found " + abbreviate(start));
        }
        if (!negative) {
            if (value == Long.MIN_VALUE) {
                throw errorAt(start, "integer " + abbreviate(start) + " does not fit in 64 bits");
            }
            value = -value;
        }
        return value;
    }

    private Object name() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        String word = text.substring(start, pos);
        switch (word) {
            case "True":
                return Boolean.TRUE;
            case "False":
                return Boolean.FALSE;
            case "None":
                return NONE;
            default:
                throw errorAt(
                        start,
                        "'" + abbreviate(word) + "' is not a literal (expected True, False, None, "
                                + "a string, an integer, a tuple or a dict)");
        }
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
                return;
            }
            pos++;
        }
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c, String what) {
        if (!peek(c)) {
            throw error("expected " + what + ", found " + describeHere());
        }
        pos++;
    }

    private String describeHere() {
        if (pos >= text.length()) {
            return "the end of the text";
        }
        char c = text.charAt(pos);
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("character U+%04X", (int) c);
    }

    private String abbreviate(int start) {
        return abbreviate(
                text.substring(start, Math.min(text.length(), start + 40)).split("[\\s,)}\\]]", 2)[0]);
    }

    private static String abbreviate(String s) {
        return s.length() <= 30 ? s : s.substring(0, 30) + "...";
    }

    private SyntaxError error(String message) {
        return errorAt(pos, message);
    }

    private SyntaxError errorAt(int at, String message) {
        return new SyntaxError(message + " (at character " + at + ")");
    }
}
