package dev.nrt4j.hlo.text;

import dev.nrt4j.BFloat16;
import dev.nrt4j.Float16;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloLiteral;
import dev.nrt4j.hlo.HloShape;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the literal of {@code constant(...)} against the instruction's shape: nested braces in
 * logical row-major order, scalars bare, complex numbers as {@code (re, im)}, tuples in parentheses.
 * Values are converted as XLA's parser does: integers must fit their type; floating values are read
 * as doubles, refused when finite but beyond the type's largest value, then narrowed (through
 * {@code float} for f16 and bf16, rounding to nearest even).
 */
final class LiteralReader {
    static final String ELIDED =
            "the text elides a large constant as {...}; load the .hlo_module.pb instead, which keeps every value";

    private static final double BF16_MAX = BFloat16.toFloat((short) 0x7F7F);
    private static final double F16_MAX = 65504.0;

    private final Cursor c;
    private final int maxDepth;

    LiteralReader(Cursor c, int maxDepth) {
        this.c = c;
        this.maxDepth = maxDepth;
    }

    HloLiteral read(HloShape shape, int depth) {
        if (depth > maxDepth) {
            throw c.error("the literal nests more than " + maxDepth + " tuples deep");
        }
        checkNotElided();
        if (shape.isTuple()) {
            c.expect('(');
            List<HloLiteral> elements = new ArrayList<>();
            for (HloShape element : shape.tupleShapes()) {
                if (!elements.isEmpty()) {
                    c.expect(',');
                }
                elements.add(read(element, depth + 1));
            }
            if (c.peek() == ',') {
                throw c.error("the tuple literal has more elements than its shape " + shape);
            }
            c.expect(')');
            return HloLiteral.tuple(elements);
        }
        if (!shape.isArray()) {
            throw c.error("a constant cannot have the shape " + shape);
        }
        return readArray(shape);
    }

    private void checkNotElided() {
        c.skipSpace();
        int p = c.pos;
        if (c.peek() == '{') {
            c.pos++;
            boolean dots = c.tryLiteral("...");
            c.pos = p;
            if (dots) {
                throw c.error(ELIDED);
            }
        }
        if (c.tryLiteral("...")) {
            c.pos = p;
            throw c.error(ELIDED);
        }
    }

    private HloLiteral readArray(HloShape shape) {
        ElementType type = shape.elementType();
        if (!(type == ElementType.PRED
                || type.isSignedInteger()
                || type.isUnsignedInteger()
                || type == ElementType.F16
                || type == ElementType.BF16
                || type == ElementType.F32
                || type == ElementType.F64
                || type.isComplex())) {
            throw c.error("constants of type " + type.textName()
                    + " are not supported in HLO text; load the .hlo_module.pb instead");
        }
        int start = c.pos;
        if (shape.byteSize() > Integer.MAX_VALUE - 16) {
            throw c.error("the constant's shape " + shape + " needs " + shape.byteSize()
                    + " bytes, more than a literal can hold");
        }
        // The buffer grows with the values actually read, so a shape that claims more elements than
        // the text holds costs no memory before the count check refuses it.
        ByteBuffer out =
                ByteBuffer.allocate((int) Math.min(shape.byteSize(), 4096)).order(ByteOrder.LITTLE_ENDIAN);
        Sink sink = new Sink(out, (int) shape.byteSize());
        int rank = shape.rank();
        if (rank == 0) {
            // XLA prints scalars bare; braces around a scalar are accepted as well.
            boolean braced = c.tryChar('{');
            readValue(type, sink);
            if (braced) {
                c.expect('}');
            }
        } else {
            readNested(shape, sink);
        }
        if (sink.buf.position() != shape.byteSize()) {
            throw c.errorAt(start, "the constant has fewer values than its shape " + shape);
        }
        return HloLiteral.array(shape, sink.buf.array());
    }

    /** Braces nested {@code rank} deep, walked with a counter per level instead of recursion. */
    private void readNested(HloShape shape, Sink out) {
        int rank = shape.rank();
        long[] dims = shape.dims();
        long[] seen = new long[rank];
        c.expect('{');
        int level = 0;
        while (level >= 0) {
            if (level == rank - 1) {
                long n = 0;
                if (c.peek() != '}') {
                    do {
                        checkNotElided();
                        if (n == dims[level]) {
                            throw c.error("dimension " + level + " of " + shape + " has " + dims[level]
                                    + " elements but the constant lists more");
                        }
                        readValue(shape.elementType(), out);
                        n++;
                    } while (c.tryChar(','));
                }
                if (n != dims[level]) {
                    throw c.error("dimension " + level + " of " + shape + " has " + dims[level]
                            + " elements but the constant lists " + n);
                }
                c.expect('}');
                level--;
                continue;
            }
            checkNotElided();
            if (c.tryChar('}')) {
                if (seen[level] != dims[level]) {
                    throw c.error("dimension " + level + " of " + shape + " has " + dims[level]
                            + " elements but the constant lists " + seen[level]);
                }
                level--;
                continue;
            }
            if (seen[level] > 0) {
                c.expect(',');
            }
            if (seen[level] == dims[level]) {
                throw c.error("dimension " + level + " of " + shape + " has " + dims[level]
                        + " elements but the constant lists more");
            }
            checkNotElided();
            c.expect('{');
            seen[level]++;
            level++;
            seen[level] = 0;
        }
    }

    /** A little-endian buffer that doubles as values arrive, up to the literal's size. */
    private static final class Sink {
        ByteBuffer buf;
        final int limit;

        Sink(ByteBuffer buf, int limit) {
            this.buf = buf;
            this.limit = limit;
        }

        ByteBuffer room(int n) {
            if (buf.remaining() < n) {
                int size = (int) Math.min(limit, Math.max((long) buf.capacity() * 2, buf.position() + (long) n));
                ByteBuffer bigger = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
            return buf;
        }
    }

    private void readValue(ElementType type, Sink sink) {
        ByteBuffer out = sink.room(type.byteSize());
        c.skipSpace();
        if (c.text().startsWith("...", c.pos)) {
            throw c.error(ELIDED);
        }
        if (type == ElementType.PRED) {
            if (c.tryWord("true")) {
                out.put((byte) 1);
            } else if (c.tryWord("false")) {
                out.put((byte) 0);
            } else {
                int at = c.pos;
                long v = c.integer("a pred value");
                if (v != 0 && v != 1) {
                    throw c.errorAt(at, "a pred value must be true, false, 0 or 1, not " + v);
                }
                out.put((byte) v);
            }
            return;
        }
        if (type.isSignedInteger() || type.isUnsignedInteger()) {
            readInteger(type, out);
            return;
        }
        if (type.isComplex()) {
            // Each part is read as a value of the component type, so that NaN payloads survive too.
            ElementType part = type == ElementType.C64 ? ElementType.F32 : ElementType.F64;
            c.expect('(');
            writeFloat(part, out);
            c.expect(',');
            writeFloat(part, out);
            c.expect(')');
            return;
        }
        writeFloat(type, out);
    }

    private void writeFloat(ElementType type, ByteBuffer out) {
        c.skipSpace();
        int at = c.pos;
        FloatToken f = readFloatToken();
        switch (type) {
            case F64:
                // Through the bits, not a double: the payload of a NaN must survive.
                out.putLong(f.nan ? nanF64(f, at) : Double.doubleToRawLongBits(f.value));
                break;
            case F32:
                out.putInt(
                        f.nan
                                ? nanBits(f, at, 0x7F80_0000, 23, 0x8000_0000)
                                : Float.floatToRawIntBits(narrow(f.value, Float.MAX_VALUE, type, at)));
                break;
            case F16:
                out.putShort(
                        f.nan
                                ? (short) nanBits(f, at, 0x7C00, 10, 0x8000)
                                : Float16.fromFloat(narrow(f.value, F16_MAX, type, at)));
                break;
            case BF16:
                out.putShort(
                        f.nan
                                ? (short) nanBits(f, at, 0x7F80, 7, 0x8000)
                                : BFloat16.fromFloat(narrow(f.value, BF16_MAX, type, at)));
                break;
            default:
                throw new AssertionError(type);
        }
    }

    private float narrow(double v, double max, ElementType type, int at) {
        if (Double.isFinite(v) && Math.abs(v) > max) {
            throw c.errorAt(at, "value " + v + " is out of range for " + type.textName() + " (largest " + max + ")");
        }
        return (float) v;
    }

    private static final class FloatToken {
        boolean negative;
        boolean nan;
        long payload;
        double value;
    }

    private FloatToken readFloatToken() {
        c.skipSpace();
        String t = c.text();
        int start = c.pos;
        FloatToken f = new FloatToken();
        int p = start;
        if (p < t.length() && t.charAt(p) == '-') {
            f.negative = true;
            p++;
        }
        if (t.startsWith("inf", p) && !Cursor.isNameChar(charAt(p + 3))) {
            c.pos = p + 3;
            f.value = f.negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            return f;
        }
        if (t.startsWith("nan", p) && !Cursor.isNameChar(charAt(p + 3))) {
            c.pos = p + 3;
            f.nan = true;
            if (charAt(c.pos) == '(') {
                if (!t.startsWith("(0x", c.pos)) {
                    throw c.error("a NaN payload is written nan(0x...)");
                }
                int q = c.pos + 3;
                int digitsStart = q;
                while (q < t.length() && Character.digit(t.charAt(q), 16) >= 0) {
                    q++;
                }
                if (q == digitsStart || q - digitsStart > 16 || charAt(q) != ')') {
                    throw c.error("a NaN payload is written nan(0x...) with 1 to 16 hexadecimal digits");
                }
                f.payload = Long.parseUnsignedLong(t.substring(digitsStart, q), 16);
                if (f.payload == 0) {
                    throw c.error("a NaN payload must not be zero");
                }
                c.pos = q + 1;
            }
            return f;
        }
        int digits = 0;
        while (Cursor.isDigit(charAt(p))) {
            p++;
            digits++;
        }
        if (charAt(p) == '.') {
            p++;
            while (Cursor.isDigit(charAt(p))) {
                p++;
                digits++;
            }
        }
        if (digits == 0) {
            throw c.error("expected a number but found " + c.describeNext());
        }
        if (charAt(p) == 'e' || charAt(p) == 'E') {
            int q = p + 1;
            if (charAt(q) == '+' || charAt(q) == '-') {
                q++;
            }
            if (!Cursor.isDigit(charAt(q))) {
                throw c.errorAt(p, "an exponent needs digits");
            }
            while (Cursor.isDigit(charAt(q))) {
                q++;
            }
            p = q;
        }
        if (Cursor.isNameChar(charAt(p))) {
            throw c.errorAt(p, "unexpected '" + Cursor.printable(String.valueOf(charAt(p))) + "' in a number");
        }
        // The text has been checked against the grammar above, so parseDouble sees only plain decimals.
        f.value = Double.parseDouble(t.substring(start, p));
        if (Double.isInfinite(f.value)) {
            throw c.errorAt(
                    start,
                    "value " + Cursor.printable(t.substring(start, Math.min(p, start + 40)))
                            + " is out of range even for a double; write inf for infinity");
        }
        c.pos = p;
        return f;
    }

    private char charAt(int i) {
        return i < c.text().length() ? c.text().charAt(i) : 0;
    }

    /** A NaN of a binary format with {@code mantissaBits}: quiet by default, or exactly the payload given. */
    private int nanBits(FloatToken f, int at, int exponentMask, int mantissaBits, int signBit) {
        long payload = f.payload == 0 ? 1L << (mantissaBits - 1) : f.payload;
        if (payload >= 1L << mantissaBits) {
            throw c.errorAt(
                    at,
                    "NaN payload 0x" + Long.toHexString(payload) + " does not fit in " + mantissaBits
                            + " mantissa bits");
        }
        return (f.negative ? signBit : 0) | exponentMask | (int) payload;
    }

    private long nanF64(FloatToken f, int at) {
        long payload = f.payload == 0 ? 1L << 51 : f.payload;
        if (payload >= 1L << 52) {
            throw c.errorAt(at, "NaN payload 0x" + Long.toHexString(payload) + " does not fit in 52 mantissa bits");
        }
        return (f.negative ? Long.MIN_VALUE : 0) | 0x7FF0_0000_0000_0000L | payload;
    }

    private void readInteger(ElementType type, ByteBuffer out) {
        // out has room for one value: readValue asked the sink for it.
        c.skipSpace();
        String t = c.text();
        int start = c.pos;
        int p = start;
        boolean negative = charAt(p) == '-';
        if (negative) {
            p++;
        }
        int digitsStart = p;
        while (Cursor.isDigit(charAt(p))) {
            p++;
        }
        if (p == digitsStart) {
            throw c.error("expected an integer for " + type.textName() + " but found " + c.describeNext());
        }
        if (Cursor.isNameChar(charAt(p))) {
            throw c.errorAt(
                    p,
                    "unexpected '" + Cursor.printable(String.valueOf(charAt(p))) + "' in an integer of type "
                            + type.textName());
        }
        int bits = type.byteSize() * 8;
        if (type == ElementType.S4 || type == ElementType.U4) {
            bits = 4;
        } else if (type == ElementType.S2 || type == ElementType.U2) {
            bits = 2;
        } else if (type == ElementType.S1 || type == ElementType.U1) {
            bits = 1;
        }
        long x;
        if (p - digitsStart <= 18) {
            // Fewer than 19 digits always fit in a long, and only u64 has a bound beyond a long.
            x = Long.parseLong(t.substring(start, p));
            long min = type.isSignedInteger() ? -(1L << (bits - 1)) : 0;
            long max = type.isSignedInteger() ? (1L << (bits - 1)) - 1 : bits == 64 ? Long.MAX_VALUE : (1L << bits) - 1;
            if (x < min || x > max) {
                throw c.error("integer " + x + " is out of range for " + type.textName() + " (" + min + ".."
                        + (bits == 64 && !type.isSignedInteger() ? "18446744073709551615" : String.valueOf(max)) + ")");
            }
        } else {
            if (p - digitsStart > 40) {
                throw c.error("integer " + Cursor.printable(t.substring(start, start + 30)) + "... is out of range for "
                        + type.textName());
            }
            BigInteger min =
                    type.isSignedInteger() ? BigInteger.ONE.shiftLeft(bits - 1).negate() : BigInteger.ZERO;
            BigInteger max = type.isSignedInteger()
                    ? BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE)
                    : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
            BigInteger v = new BigInteger(t.substring(start, p));
            if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
                throw c.error(
                        "integer " + v + " is out of range for " + type.textName() + " (" + min + ".." + max + ")");
            }
            x = v.longValue();
        }
        c.pos = p;
        switch (type.byteSize()) {
            case 1:
                out.put((byte) x);
                break;
            case 2:
                out.putShort((short) x);
                break;
            case 4:
                out.putInt((int) x);
                break;
            default:
                out.putLong(x);
                break;
        }
    }
}
