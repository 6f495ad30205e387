package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloComputation;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloOpcode;
import java.util.Optional;

/**
 * A select computation of {@code select-and-scatter} recognized as {@code compare(p0, p1)} with an
 * ordering direction (GE, GT, LE, LT) under the default comparison of the element type (IEEE for
 * floats: any comparison with NaN is false), tested without evaluating the computation.
 */
final class SelectTest {
    private final String direction;
    private final ElementType type;

    private SelectTest(String direction, ElementType type) {
        this.direction = direction;
        this.type = type;
    }

    static Optional<SelectTest> recognize(HloComputation c, ElementType type) {
        if (c.parameters().size() != 2 || c.instructions().size() != 3) {
            return Optional.empty();
        }
        HloInstruction root = c.root();
        if (root.opcode() != HloOpcode.COMPARE
                || root.operands().size() != 2
                || root.operand(0) != c.parameters().get(0)
                || root.operand(1) != c.parameters().get(1)) {
            return Optional.empty();
        }
        for (HloInstruction p : c.parameters()) {
            if (!p.shape().isArray() || p.shape().rank() != 0 || p.shape().elementType() != type) {
                return Optional.empty();
            }
        }
        String dir = root.comparisonDirection().orElse("");
        if (!(dir.equals("GE") || dir.equals("GT") || dir.equals("LE") || dir.equals("LT"))) {
            return Optional.empty();
        }
        String kind = root.comparisonType().orElse("");
        switch (type) {
            case F32:
            case F64:
            case F16:
            case BF16:
                if (!kind.isEmpty() && !kind.equals("FLOAT")) {
                    return Optional.empty();
                }
                break;
            case S8:
            case S16:
            case S32:
            case S64:
                if (!kind.isEmpty() && !kind.equals("SIGNED")) {
                    return Optional.empty();
                }
                break;
            case PRED:
            case U8:
            case U16:
            case U32:
            case U64:
                if (!kind.isEmpty() && !kind.equals("UNSIGNED")) {
                    return Optional.empty();
                }
                break;
            default:
                return Optional.empty();
        }
        return Optional.of(new SelectTest(dir, type));
    }

    /** {@code compare(a[i], a[j])}. */
    boolean test(Array a, int i, int j) {
        int cmp;
        if (type.isFloatingPoint()) {
            double x = a.getDouble(i);
            double y = a.getDouble(j);
            if (x != x || y != y) {
                return false;
            }
            cmp = x < y ? -1 : x > y ? 1 : 0;
        } else if (type == ElementType.U64) {
            cmp = Long.compareUnsigned(a.getLong(i), a.getLong(j));
        } else {
            cmp = Long.compare(a.getLong(i), a.getLong(j));
        }
        switch (direction) {
            case "GE":
                return cmp >= 0;
            case "GT":
                return cmp > 0;
            case "LE":
                return cmp <= 0;
            default:
                return cmp < 0;
        }
    }
}
