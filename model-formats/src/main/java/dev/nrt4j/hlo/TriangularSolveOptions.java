package dev.nrt4j.hlo;

/**
 * Options of a {@code triangular-solve} (XLA's {@code TriangularSolveOptions}).
 *
 * @param leftSide solve {@code op(a) x = b} (true) or {@code x op(a) = b}
 * @param lower use the lower triangle of {@code a}
 * @param unitDiagonal assume the diagonal of {@code a} is all ones
 * @param transposeA NO_TRANSPOSE, TRANSPOSE or ADJOINT
 */
public record TriangularSolveOptions(boolean leftSide, boolean lower, boolean unitDiagonal, String transposeA) {}
