package dev.nrt4j.hlo.text;

import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloShape;
import java.util.ArrayList;
import java.util.List;

/**
 * Shapes in HLO text: {@code f32[2,3]{1,0}}, tuples {@code (f32[], s32[4])}, {@code token[]}.
 * Tuples nest at most {@link HloTextParser#MAX_DEPTH} deep; layouts keep their minor-to-major order
 * and skip tiling and memory-space details. Not thread-safe; one per text.
 */
final class ShapeReader {
    private static final int MAX_DEPTH = HloTextParser.MAX_DEPTH;

    private final Cursor c;

    ShapeReader(Cursor c) {
        this.c = c;
    }

    /** Whether a shape starts here: a tuple's parenthesis or an element type directly followed by '['. */
    boolean shapeAhead() {
        char first = c.peek();
        if (first == '(') {
            return true;
        }
        String t = c.text();
        int p = c.pos;
        while (p < t.length() && (Cursor.isNameStart(t.charAt(p)) || Cursor.isDigit(t.charAt(p)))) {
            p++;
        }
        return p > c.pos && p < t.length() && t.charAt(p) == '[' && elementType(t.substring(c.pos, p)) != null;
    }

    private static ElementType elementType(String word) {
        for (ElementType e : ElementType.values()) {
            if (e != ElementType.TUPLE && e.textName().equals(word)) {
                return e;
            }
        }
        return null;
    }

    HloShape shape(int depth) {
        if (depth > MAX_DEPTH) {
            throw c.error("shapes nest more than " + MAX_DEPTH + " tuples deep");
        }
        c.skipSpace();
        int at = c.pos;
        if (c.tryChar('(')) {
            List<HloShape> elements = new ArrayList<>();
            if (!c.tryChar(')')) {
                do {
                    elements.add(shape(depth + 1));
                } while (c.tryChar(','));
                c.expect(')');
            }
            return HloShape.tuple(elements);
        }
        String word = c.word("a shape");
        ElementType type = elementType(word);
        if (type == null) {
            boolean bracket = c.peekRaw(0) == '[';
            c.pos = at;
            throw c.error(
                    bracket
                            ? "unknown element type '" + Cursor.printable(word) + "'"
                            : "expected a shape such as f32[2,3] but found " + c.describeNext());
        }
        c.expect('[');
        List<Long> dims = new ArrayList<>();
        if (!c.tryChar(']')) {
            do {
                char next = c.peek();
                if (next == '?' || (next == '<' && c.peekRaw(1) == '=')) {
                    throw c.error("dynamic dimensions ('?' and '<=N') are not supported");
                }
                dims.add(c.integer("a dimension size", 0, Long.MAX_VALUE));
            } while (c.tryChar(','));
            c.expect(']');
        }
        int[] layout = layoutAhead() ? layout() : null;
        long[] d = dims.stream().mapToLong(Long::longValue).toArray();
        if (type == ElementType.TOKEN || type == ElementType.OPAQUE) {
            if (d.length != 0) {
                throw c.errorAt(at, type.textName() + " shapes have no dimensions: write " + type.textName() + "[]");
            }
            return type == ElementType.TOKEN ? HloShape.token() : HloShape.opaque();
        }
        try {
            return HloShape.array(type, d, layout);
        } catch (IllegalArgumentException e) {
            throw c.errorAt(at, e.getMessage());
        }
    }

    /**
     * A layout follows a shape only as {@code {digits...}}, {@code {}} or {@code {:...}}; a computation's
     * body after its result shape starts with an instruction name instead.
     */
    private boolean layoutAhead() {
        int save = c.pos;
        try {
            if (!c.tryChar('{')) {
                return false;
            }
            char next = c.peek();
            return Cursor.isDigit(next) || next == '}' || next == ':';
        } finally {
            c.pos = save;
        }
    }

    private int[] layout() {
        c.expect('{');
        List<Integer> minorToMajor = new ArrayList<>();
        if (Cursor.isDigit(c.peek())) {
            do {
                minorToMajor.add((int) c.integer("a layout dimension", 0, Integer.MAX_VALUE));
            } while (c.tryChar(','));
        }
        if (c.tryChar(':')) {
            // Tiling, element size, memory space and the like: physical details of no logical consequence.
            int depth = 0;
            String t = c.text();
            while (true) {
                if (c.pos >= t.length()) {
                    throw c.error("the layout is not closed with '}'");
                }
                char ch = t.charAt(c.pos);
                if (ch == '(' || ch == '{') {
                    depth++;
                } else if (ch == ')' || (ch == '}' && depth > 0)) {
                    depth--;
                } else if (ch == '}') {
                    break;
                }
                c.pos++;
            }
        }
        c.expect('}');
        return minorToMajor.stream().mapToInt(Integer::intValue).toArray();
    }
}
