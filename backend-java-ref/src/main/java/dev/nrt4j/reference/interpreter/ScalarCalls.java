package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloComputation;
import java.util.ArrayList;
import java.util.List;

/**
 * Calling a scalar computation (a reducer, selector, combiner or mapped function) through the
 * evaluator, one element at a time: the slow path for computations {@link BinaryCombiner} does not
 * recognize.
 */
final class ScalarCalls {
    private ScalarCalls() {}

    /** Element {@code i} of {@code a} as a rank-0 array. */
    static Array scalarAt(Array a, int i) {
        Array s = Array.allocate(a.type());
        Array.copy(a, i, s, 0, 1);
        return s;
    }

    /**
     * The {@code n} scalar results of a call: the array itself when {@code n} is 1 (or a 1-tuple), the
     * tuple's elements otherwise.
     */
    static List<Array> results(Value v, int n, HloComputation c) {
        List<Array> out = new ArrayList<>(n);
        if (!v.isTuple()) {
            if (n != 1) {
                throw new IllegalArgumentException(
                        "computation " + c.name() + " returns one value, " + n + " expected");
            }
            out.add(checkScalar(v.asArray(), c));
            return out;
        }
        TupleValue t = v.asTuple();
        if (t.elements().size() != n) {
            throw new IllegalArgumentException(
                    "computation " + c.name() + " returns " + t.elements().size() + " values, " + n + " expected");
        }
        for (Value e : t.elements()) {
            out.add(checkScalar(e.asArray(), c));
        }
        return out;
    }

    private static Array checkScalar(Array a, HloComputation c) {
        if (a.size() != 1 || a.rank() != 0) {
            throw new IllegalArgumentException("computation " + c.name() + " returns " + a + ", not a scalar");
        }
        return a;
    }

    /** Stores a scalar into {@code out[j]}; its type must be the output's. */
    static void store(Array scalar, Array out, int j) {
        if (scalar.type() != out.type()) {
            throw new IllegalArgumentException("a " + scalar.type().textName() + " result cannot be stored in a "
                    + out.type().textName() + " output");
        }
        Array.copy(scalar, 0, out, j, 1);
    }

    /** Whether a scalar pred (or integer used as one) is true. */
    static boolean isTrue(Array a) {
        if (a.type() != ElementType.PRED) {
            throw new IllegalArgumentException(
                    "a select computation must return pred, not " + a.type().textName());
        }
        return a.bytes()[0] != 0;
    }
}
