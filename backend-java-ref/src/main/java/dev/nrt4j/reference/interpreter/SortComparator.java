package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloComputation;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloOpcode;
import java.util.List;

/**
 * A sort comparator recognized as one comparison of one operand's pair of parameters:
 * {@code ROOT compare(x, y), direction=LT|GT} where x and y are parameters {@code 2k} and
 * {@code 2k+1} (either order), or JAX's canonicalized form of them,
 * {@code select(p != p, nan, select(p == 0, 0, p))}, which maps every NaN to +NaN and -0 to +0
 * before a total-order comparison.
 *
 * @param operand which sort operand is the key
 * @param descending whether larger keys come first
 * @param canonical whether NaNs and zeros are canonicalized first
 * @param totalOrder whether floats compare in IEEE total order (else as IEEE floats, NaN unordered)
 */
record SortComparator(int operand, boolean descending, boolean canonical, boolean totalOrder) {

    /** The comparator's meaning, or null when it is something else (then it is evaluated). */
    static SortComparator recognize(HloComputation c, List<ElementType> types) {
        if (c.parameters().size() != 2 * types.size()) {
            return null;
        }
        for (int i = 0; i < c.parameters().size(); i++) {
            HloInstruction p = c.parameters().get(i);
            if (!p.shape().isArray() || p.shape().rank() != 0 || p.shape().elementType() != types.get(i / 2)) {
                return null;
            }
        }
        HloInstruction root = c.root();
        if (root.opcode() != HloOpcode.COMPARE || root.operands().size() != 2) {
            return null;
        }
        String dir = root.comparisonDirection().orElse("");
        if (!dir.equals("LT") && !dir.equals("GT")) {
            return null;
        }
        Object[] x = key(root.operand(0));
        Object[] y = key(root.operand(1));
        if (x == null || y == null || x[1] != y[1]) {
            return null;
        }
        int px = (Integer) x[0];
        int py = (Integer) y[0];
        if (px / 2 != py / 2 || px == py) {
            return null;
        }
        int operand = px / 2;
        ElementType t = types.get(operand);
        String type = root.comparisonType().orElse("");
        boolean total = type.equals("TOTALORDER") || type.equals("TOTAL");
        if (t.isFloatingPoint()) {
            if (!total && !type.isEmpty() && !type.equals("FLOAT")) {
                return null;
            }
        } else if (t.isSignedInteger()) {
            if (!type.isEmpty() && !type.equals("SIGNED")) {
                return null;
            }
        } else if (t.isUnsignedInteger() || t == ElementType.PRED) {
            if (!type.isEmpty() && !type.equals("UNSIGNED")) {
                return null;
            }
        } else {
            return null;
        }
        boolean canonical = (Boolean) x[1];
        if (canonical && !t.isFloatingPoint()) {
            return null;
        }
        // less(a, b) = a OP b when x is the first element's parameter, b OP a when swapped.
        boolean descending = dir.equals("GT") == (px % 2 == 0);
        return new SortComparator(operand, descending, canonical, total);
    }

    /** {parameter number, canonicalized?} for a parameter or its canonicalized form, else null. */
    private static Object[] key(HloInstruction v) {
        if (v.opcode() == HloOpcode.PARAMETER) {
            return new Object[] {(int) v.parameterNumber(), false};
        }
        // select(compare(p, p, NE), nan, select(compare(p, 0, EQ), 0, p))
        if (v.opcode() != HloOpcode.SELECT || v.operands().size() != 3) {
            return null;
        }
        HloInstruction ne = v.operand(0);
        HloInstruction inner = v.operand(2);
        if (!isConstant(v.operand(1), true)
                || inner.opcode() != HloOpcode.SELECT
                || inner.operands().size() != 3) {
            return null;
        }
        HloInstruction p = inner.operand(2);
        HloInstruction eq = inner.operand(0);
        if (p.opcode() != HloOpcode.PARAMETER || !isConstant(inner.operand(1), false)) {
            return null;
        }
        if (!isCompare(ne, "NE") || ne.operand(0) != p || ne.operand(1) != p) {
            return null;
        }
        if (!isCompare(eq, "EQ") || eq.operand(0) != p || !isConstant(eq.operand(1), false)) {
            return null;
        }
        return new Object[] {(int) p.parameterNumber(), true};
    }

    private static boolean isCompare(HloInstruction i, String direction) {
        return i.opcode() == HloOpcode.COMPARE
                && i.operands().size() == 2
                && direction.equals(i.comparisonDirection().orElse(""))
                && !i.comparisonType().map(t -> t.startsWith("TOTAL")).orElse(false);
    }

    /** Whether it is a scalar constant positive NaN ({@code nan}) or zero (either sign). */
    private static boolean isConstant(HloInstruction i, boolean nan) {
        if (i.opcode() != HloOpcode.CONSTANT
                || i.literal().isEmpty()
                || i.literal().get().isTuple()) {
            return false;
        }
        Array a = Array.fromLiteral(i.literal().get());
        if (a.size() != 1 || !a.type().isFloatingPoint()) {
            return false;
        }
        double d = a.getDouble(0);
        // A negative NaN would send NaNs to the front; only JAX's positive one is recognized.
        return nan ? Double.isNaN(d) && Double.doubleToRawLongBits(d) >= 0 : d == 0;
    }
}
