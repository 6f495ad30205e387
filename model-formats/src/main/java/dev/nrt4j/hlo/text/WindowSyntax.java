package dev.nrt4j.hlo.text;

import dev.nrt4j.hlo.PaddingDimension;
import dev.nrt4j.hlo.SliceDimension;
import dev.nrt4j.hlo.Window;
import dev.nrt4j.hlo.WindowDimension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-dimension attribute syntaxes of windowed, padded and sliced instructions: {@code window=},
 * {@code padding=} and {@code slice=}, whose compact forms ({@code 3x3}, {@code 0_1x0_1}) allow no
 * spaces. Not thread-safe; one per text.
 */
final class WindowSyntax {
    private final Cursor c;

    WindowSyntax(Cursor c) {
        this.c = c;
    }

    /** {@code {[0:3:1], [0:4]}}: a stride of 1 may be left out. */
    List<SliceDimension> slices() {
        List<SliceDimension> out = new ArrayList<>();
        c.expect('{');
        if (!c.tryChar('}')) {
            do {
                c.expect('[');
                long start = c.integer("a slice start");
                c.expect(':');
                long limit = c.integer("a slice limit");
                long stride = c.tryChar(':') ? c.integer("a slice stride") : 1;
                c.expect(']');
                out.add(new SliceDimension(start, limit, stride));
            } while (c.tryChar(','));
            c.expect('}');
        }
        return out;
    }

    /** {@code 0_0x1_1} or {@code 0_0_1x1_1_0}: low_high or low_high_interior per dimension, 'x' between. */
    List<PaddingDimension> padding() {
        List<PaddingDimension> out = new ArrayList<>();
        c.skipSpace();
        char first = c.peekRaw(0);
        if (!Cursor.isDigit(first) && first != '-') {
            return out;
        }
        do {
            long[] parts = underscored("padding", 2, 3);
            out.add(new PaddingDimension(parts[0], parts[1], parts.length == 3 ? parts[2] : 0));
        } while (c.peekRaw(0) == 'x' && advance());
        return out;
    }

    private boolean advance() {
        c.pos++;
        return true;
    }

    /** Integers joined by '_' with no spaces, e.g. {@code -1_2_0}. */
    private long[] underscored(String what, int min, int max) {
        int at = c.pos;
        List<Long> parts = new ArrayList<>();
        parts.add(rawInteger(what));
        while (c.peekRaw(0) == '_') {
            c.pos++;
            parts.add(rawInteger(what));
        }
        if (parts.size() < min || parts.size() > max) {
            throw c.errorAt(
                    at,
                    what + " needs " + (min == max ? min : min + " or " + max)
                            + " numbers joined by '_' per dimension");
        }
        return parts.stream().mapToLong(Long::longValue).toArray();
    }

    /** An integer that must start right here (these compact syntaxes allow no spaces). */
    private long rawInteger(String what) {
        char ch = c.peekRaw(0);
        if (!Cursor.isDigit(ch) && !(ch == '-' && Cursor.isDigit(c.peekRaw(1)))) {
            throw c.error("expected a number in " + what + " but found " + c.describeNext());
        }
        return c.integer(what);
    }

    /** {@code 2x3x1}: one integer per dimension, 'x' between. */
    private long[] xList(String what) {
        List<Long> out = new ArrayList<>();
        out.add(rawInteger(what));
        while (c.peekRaw(0) == 'x') {
            c.pos++;
            out.add(rawInteger(what));
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** {@code {size=3x3 stride=2x2 pad=0_1x0_1 lhs_dilate=1x1 rhs_dilate=1x1 rhs_reversal=0x0}}. */
    Window window() {
        int at = c.pos;
        c.expect('{');
        Map<String, long[]> fields = new HashMap<>();
        Map<String, long[][]> pads = new HashMap<>();
        while (!c.tryChar('}')) {
            if (c.atEnd()) {
                throw c.errorAt(at, "the window is not closed with '}'");
            }
            c.skipSpace();
            int fieldAt = c.pos;
            String key = c.attributeName();
            if (fields.containsKey(key) || pads.containsKey(key)) {
                throw c.errorAt(fieldAt, "window field '" + key + "' is given twice");
            }
            switch (key) {
                case "size":
                case "stride":
                case "lhs_dilate":
                case "rhs_dilate":
                case "rhs_reversal":
                    fields.put(key, xList(key));
                    break;
                case "pad": {
                    List<long[]> list = new ArrayList<>();
                    do {
                        list.add(underscored("pad", 2, 2));
                    } while (c.peekRaw(0) == 'x' && advance());
                    pads.put(key, list.toArray(new long[0][]));
                    break;
                }
                default:
                    throw c.errorAt(fieldAt, "unknown window field '" + Cursor.printable(key) + "'");
            }
        }
        if (fields.isEmpty() && pads.isEmpty()) {
            return new Window(List.of());
        }
        long[] size = fields.get("size");
        if (size == null) {
            throw c.errorAt(at, "the window needs size=");
        }
        int n = size.length;
        for (Map.Entry<String, long[]> e : fields.entrySet()) {
            if (e.getValue().length != n) {
                throw c.errorAt(
                        at, "window " + e.getKey() + " has " + e.getValue().length + " dimensions but size has " + n);
            }
        }
        long[][] pad = pads.get("pad");
        if (pad != null && pad.length != n) {
            throw c.errorAt(at, "window pad has " + pad.length + " dimensions but size has " + n);
        }
        List<WindowDimension> dims = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            dims.add(new WindowDimension(
                    size[i],
                    get(fields, "stride", i, 1),
                    pad == null ? 0 : pad[i][0],
                    pad == null ? 0 : pad[i][1],
                    get(fields, "rhs_dilate", i, 1),
                    get(fields, "lhs_dilate", i, 1),
                    get(fields, "rhs_reversal", i, 0) != 0));
        }
        return new Window(dims);
    }

    private static long get(Map<String, long[]> fields, String key, int i, long dflt) {
        long[] v = fields.get(key);
        return v == null ? dflt : v[i];
    }
}
