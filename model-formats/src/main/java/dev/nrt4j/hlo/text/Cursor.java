package dev.nrt4j.hlo.text;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * A position in HLO text plus the lexical rules of the format (names, numbers, strings, comments).
 * The grammar has several context-dependent value syntaxes ({@code 3x3}, {@code 0_0x1_1},
 * {@code b01f_01io->b01f}), so the parser reads characters through this cursor instead of a
 * context-free token stream. Every error carries the line and column of the current position.
 */
final class Cursor {
    private final String text;
    private final String operation;
    int pos;

    Cursor(String text, String source) {
        this.text = text;
        this.operation = "read HLO " + source;
    }

    String text() {
        return text;
    }

    boolean atEnd() {
        skipSpace();
        return pos >= text.length();
    }

    /** The next character after whitespace and comments, or 0 at the end. */
    char peek() {
        skipSpace();
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    /** The character {@code offset} places after the current position, without skipping anything. */
    char peekRaw(int offset) {
        int i = pos + offset;
        return i >= 0 && i < text.length() ? text.charAt(i) : 0;
    }

    void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                pos++;
            } else if (c == '/' && pos + 1 < text.length() && text.charAt(pos + 1) == '/') {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == '/' && pos + 1 < text.length() && text.charAt(pos + 1) == '*') {
                int end = text.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw error("a /* comment is not closed");
                }
                pos = end + 2;
            } else {
                return;
            }
        }
    }

    boolean tryChar(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    void expect(char c) {
        if (!tryChar(c)) {
            throw error("expected '" + c + "' but found " + describeNext());
        }
    }

    /** Whether the text continues with {@code s} (after whitespace); consumes it if so. */
    boolean tryLiteral(String s) {
        skipSpace();
        if (text.startsWith(s, pos)) {
            pos += s.length();
            return true;
        }
        return false;
    }

    /** Consumes the word {@code w} only when it is a whole word (not the prefix of a longer name). */
    boolean tryWord(String w) {
        skipSpace();
        if (text.startsWith(w, pos) && !isNameChar(peekRaw(w.length()))) {
            pos += w.length();
            return true;
        }
        return false;
    }

    static boolean isNameStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    static boolean isNameChar(char c) {
        return isNameStart(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** A name {@code [a-zA-Z_][a-zA-Z0-9_.-]*}, optionally preceded by {@code %} (not returned). */
    String name(String what) {
        skipSpace();
        int start = pos;
        if (pos < text.length() && text.charAt(pos) == '%') {
            pos++;
        }
        if (pos >= text.length() || !isNameStart(text.charAt(pos))) {
            pos = start;
            throw error("expected " + what + " but found " + describeNext());
        }
        int begin = pos;
        while (pos < text.length() && isNameChar(text.charAt(pos))) {
            // "->" ends a name: it separates a computation's parameters from its result.
            if (text.charAt(pos) == '-' && pos + 1 < text.length() && text.charAt(pos + 1) == '>') {
                break;
            }
            pos++;
        }
        return text.substring(begin, pos);
    }

    /** An identifier of letters, digits and underscores (attribute values such as {@code GT}, {@code kLoop}). */
    String word(String what) {
        skipSpace();
        int begin = pos;
        while (pos < text.length() && (isNameStart(text.charAt(pos)) || isDigit(text.charAt(pos)))) {
            pos++;
        }
        if (begin == pos) {
            throw error("expected " + what + " but found " + describeNext());
        }
        return text.substring(begin, pos);
    }

    /** A decimal integer with an optional minus sign that fits in a long. */
    long integer(String what) {
        skipSpace();
        int start = pos;
        boolean negative = pos < text.length() && text.charAt(pos) == '-';
        if (negative) {
            pos++;
        }
        if (pos >= text.length() || !isDigit(text.charAt(pos))) {
            pos = start;
            throw error("expected " + what + " (an integer) but found " + describeNext());
        }
        long magnitude = 0;
        while (pos < text.length() && isDigit(text.charAt(pos))) {
            int d = text.charAt(pos) - '0';
            // Accumulate negatively so that Long.MIN_VALUE is representable.
            if (magnitude < (Long.MIN_VALUE + d) / 10) {
                pos = start;
                throw error(what + " does not fit in 64 bits");
            }
            magnitude = magnitude * 10 - d;
            pos++;
        }
        if (!negative && magnitude == Long.MIN_VALUE) {
            pos = start;
            throw error(what + " does not fit in 64 bits");
        }
        return negative ? magnitude : -magnitude;
    }

    /** An integer that must lie in {@code [min, max]}. */
    long integer(String what, long min, long max) {
        int start = pos;
        long v = integer(what);
        if (v < min || v > max) {
            pos = start;
            skipSpace();
            throw error(what + " " + v + " is outside " + min + ".." + max);
        }
        return v;
    }

    boolean bool(String what) {
        if (tryWord("true")) {
            return true;
        }
        if (tryWord("false")) {
            return false;
        }
        throw error("expected " + what + " (true or false) but found " + describeNext());
    }

    /** A double-quoted string with C escapes, decoded. */
    String quoted(String what) {
        skipSpace();
        if (pos >= text.length() || text.charAt(pos) != '"') {
            throw error("expected " + what + " (a quoted string) but found " + describeNext());
        }
        int start = pos;
        pos++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                pos = start;
                throw error(what + ": the string is not closed");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                continue;
            }
            char e = text.charAt(pos++);
            switch (e) {
                case 'n':
                    out.append('\n');
                    break;
                case 't':
                    out.append('\t');
                    break;
                case 'r':
                    out.append('\r');
                    break;
                case '0':
                case '1':
                case '2':
                case '3':
                case '4':
                case '5':
                case '6':
                case '7': {
                    // Octal escapes are how XLA's printer writes bytes that are not printable.
                    int v = e - '0';
                    for (int k = 0;
                            k < 2 && pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '7';
                            k++) {
                        v = v * 8 + (text.charAt(pos++) - '0');
                    }
                    out.append((char) (v & 0xFF));
                    break;
                }
                case 'x': {
                    int v = 0;
                    int digits = 0;
                    while (digits < 2 && pos < text.length() && Character.digit(text.charAt(pos), 16) >= 0) {
                        v = v * 16 + Character.digit(text.charAt(pos++), 16);
                        digits++;
                    }
                    if (digits == 0) {
                        pos -= 2;
                        throw error("\\x needs hexadecimal digits");
                    }
                    out.append((char) v);
                    break;
                }
                default:
                    out.append(e);
            }
        }
    }

    /**
     * Skips a value this reader does not interpret (metadata, sharding, frontend attributes, layouts'
     * tiling): a quoted string, or text up to the next top-level {@code ,} or end of line, with
     * brackets of every kind balanced and strings skipped whole. Iterative, so nesting costs no stack.
     */
    void skipValue() {
        skipSpace();
        int depth = 0;
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"') {
                quoted("a string");
                continue;
            }
            if (c == '{' || c == '(' || c == '[') {
                depth++;
            } else if (c == '}' || c == ')' || c == ']') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (depth == 0 && (c == ',' || c == '\n')) {
                break;
            }
            pos++;
        }
        if (depth != 0) {
            pos = start;
            throw error("a bracket opened here is not closed");
        }
        if (pos == start) {
            throw error("expected a value but found " + describeNext());
        }
    }

    /** What comes next, for messages. */
    String describeNext() {
        skipSpace();
        if (pos >= text.length()) {
            return "the end of the text";
        }
        int end = pos;
        while (end < text.length() && end - pos < 20 && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        if (end == pos) {
            end = pos + 1;
        }
        return "'" + printable(text.substring(pos, end)) + "'";
    }

    /** Control and non-ASCII characters escaped, so messages stay one readable line. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                b.append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }

    /** {@code name=} of an attribute; the name as written (without the {@code =}). */
    String attributeName() {
        skipSpace();
        int at = pos;
        int p = at;
        if (p >= text.length() || !isNameStart(text.charAt(p))) {
            throw error("expected an attribute name but found " + describeNext());
        }
        while (p < text.length() && isNameChar(text.charAt(p))) {
            p++;
        }
        String name = text.substring(at, p);
        pos = p;
        expect('=');
        return name;
    }

    /** {@code {1,-2,3}}: the brace list of integers that many attributes and replica groups use. */
    List<Long> longList() {
        List<Long> out = new ArrayList<>();
        expect('{');
        if (!tryChar('}')) {
            do {
                out.add(integer("a list element"));
            } while (tryChar(','));
            expect('}');
        }
        return out;
    }

    /** {@code {0,2}}: a brace list of dimension numbers. */
    List<Integer> intList() {
        List<Integer> out = new ArrayList<>();
        expect('{');
        if (!tryChar('}')) {
            do {
                out.add((int) integer("a dimension number", 0, Integer.MAX_VALUE));
            } while (tryChar(','));
            expect('}');
        }
        return out;
    }

    NeuronException error(String detail) {
        return errorAt(pos, detail);
    }

    NeuronException errorAt(int offset, String detail) {
        int line = 1;
        int lineStart = 0;
        int end = Math.min(offset, text.length());
        for (int i = 0; i < end; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new NeuronException(Status.INVALID, operation, line + ":" + (end - lineStart + 1) + ": " + detail);
    }
}
