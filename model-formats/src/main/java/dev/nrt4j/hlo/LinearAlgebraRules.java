package dev.nrt4j.hlo;

import java.util.Map;
import java.util.function.BiConsumer;

/**
 * {@link HloTypeChecker} rules for the batched matrix ops {@code cholesky} and
 * {@code triangular-solve}: the minor two dimensions are the matrices, the others are batch
 * dimensions that must agree, and the result has the shape of the right-hand side (or of the
 * factored matrix).
 */
final class LinearAlgebraRules {
    private LinearAlgebraRules() {}

    static void register(Map<HloOpcode, BiConsumer<CheckSite, HloInstruction>> r) {
        r.put(HloOpcode.CHOLESKY, LinearAlgebraRules::cholesky);
        r.put(HloOpcode.TRIANGULAR_SOLVE, LinearAlgebraRules::triangularSolve);
    }

    /** A floating-point or complex array of rank 2 or more whose minor two dimensions are square. */
    private static HloShape squareMatrices(CheckSite x, int operand) {
        HloShape a = x.array(operand);
        ElementType t = a.elementType();
        if (a.rank() < 2 || a.dim(a.rank() - 1) != a.dim(a.rank() - 2) || !(t.isFloatingPoint() || t.isComplex())) {
            throw x.invalid("operand " + operand + " is " + a
                    + ", expected floating-point or complex square matrices in its minor two dimensions");
        }
        return a;
    }

    private static void cholesky(CheckSite x, HloInstruction i) {
        x.operands(1);
        x.result(squareMatrices(x, 0));
    }

    /**
     * {@code a} holds square matrices; {@code b} has the same type, rank and batch dimensions, and the
     * matrix dimension {@code a} multiplies: its rows when {@code a} is on the left, its columns on
     * the right.
     */
    private static void triangularSolve(CheckSite x, HloInstruction i) {
        x.operands(2);
        HloShape a = squareMatrices(x, 0);
        HloShape b = x.array(1);
        boolean left =
                i.triangularSolveOptions().map(TriangularSolveOptions::leftSide).orElse(false);
        int rank = a.rank();
        boolean ok = b.elementType() == a.elementType() && b.rank() == rank;
        for (int k = 0; ok && k < rank - 2; k++) {
            ok = a.dim(k) == b.dim(k);
        }
        if (!ok || b.dim(left ? rank - 2 : rank - 1) != a.dim(rank - 1)) {
            throw x.invalid(
                    "operand 1 is " + b + "; with left_side=" + left + " it must share the type and batch dimensions"
                            + " of operand 0 " + a + " and have " + a.dim(rank - 1) + (left ? " rows" : " columns"));
        }
        x.result(b);
    }
}
