package dev.nrt4j.hlo;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;

/**
 * The instruction an {@link HloTypeChecker} rule is checking, with where it sits (module and
 * computation) so that every refusal names them; the rules' shared assertions on operand and result
 * shapes live here.
 */
record CheckSite(HloModule module, HloComputation computation, HloInstruction instruction) {
    NeuronException invalid(String detail) {
        return new NeuronException(
                Status.INVALID,
                "type-check HLO module '" + module.name() + "'",
                "computation '" + computation.name() + "', " + instruction.opcode() + " " + instruction.name() + ": "
                        + detail);
    }

    void operands(int n) {
        if (instruction.operands().size() != n) {
            throw invalid("takes " + n + " operand" + (n == 1 ? "" : "s") + ", has "
                    + instruction.operands().size());
        }
    }

    HloShape array(int operand) {
        HloShape s = instruction.operand(operand).shape();
        if (!s.isArray()) {
            throw invalid("operand " + operand + " is " + s + ", expected an array");
        }
        return s;
    }

    HloShape resultArray() {
        HloShape s = instruction.shape();
        if (!s.isArray()) {
            throw invalid("declares " + s + ", expected an array");
        }
        return s;
    }

    void result(HloShape inferred) {
        if (!instruction.shape().sameDimensionsAndType(inferred)) {
            throw invalid("declares " + instruction.shape() + ", inferred " + inferred);
        }
    }

    void calledCount(int n) {
        if (instruction.calledComputations().size() != n) {
            throw invalid("calls " + instruction.calledComputations().size() + " computations, expected " + n);
        }
    }

    /** A called computation (reducer, comparator, mapper) takes {@code n} scalar array parameters. */
    void scalarParameters(String role, HloComputation f, int n) {
        if (f.parameters().size() != n) {
            throw invalid(role + " " + f.name() + " takes " + f.parameters().size() + " parameters, expected " + n);
        }
        for (HloInstruction p : f.parameters()) {
            if (!p.shape().isArray() || p.shape().rank() != 0) {
                throw invalid(role + " " + f.name() + " parameter " + p.parameterNumber() + " is " + p.shape()
                        + ", expected a scalar");
            }
        }
    }

    /**
     * The operands of a variadic reduction ({@code reduce}, {@code reduce-window}): N inputs of one set
     * of dimensions, then N scalar initial values. Returns N.
     */
    int inputsAndInitialValues() {
        int n = instruction.operands().size() / 2;
        if (n < 1 || instruction.operands().size() != 2 * n) {
            throw invalid("takes inputs and as many initial values, has "
                    + instruction.operands().size() + " operands");
        }
        HloShape in = array(0);
        for (int k = 0; k < n; k++) {
            HloShape o = array(k);
            if (!java.util.Arrays.equals(o.dims(), in.dims())) {
                throw invalid("operand " + k + " is " + o + ", expected the dimensions of operand 0 " + in);
            }
            HloShape init = array(n + k);
            if (init.rank() != 0) {
                throw invalid("operand " + (n + k) + " is " + init + ", expected a scalar initial value");
            }
        }
        return n;
    }

    /**
     * The declared result of a variadic reduction: one array for one input, a tuple of N arrays for
     * more, each of dimensions {@code dims}; {@code why} says where they come from.
     */
    void variadicResult(int n, long[] dims, String why) {
        HloShape r = instruction.shape();
        java.util.List<HloShape> outs = n == 1 ? java.util.List.of(r) : r.tupleShapes();
        if ((n == 1) == r.isTuple() || outs.size() != n) {
            throw invalid("declares " + r + ", expected " + (n == 1 ? "an array" : "a tuple of " + n + " arrays"));
        }
        for (HloShape o : outs) {
            if (!o.isArray() || !java.util.Arrays.equals(o.dims(), dims)) {
                throw invalid("declares " + r + ", expected dimensions " + java.util.Arrays.toString(dims) + " (" + why
                        + ")");
            }
        }
    }

    /** An operand is a scalar of an integer type (an index). */
    HloShape integerScalar(int operand) {
        HloShape s = array(operand);
        if (s.rank() != 0 || !isInteger(s.elementType())) {
            throw invalid("operand " + operand + " is " + s + ", expected an integer scalar");
        }
        return s;
    }

    static boolean isInteger(ElementType t) {
        return t.isSignedInteger() || t.isUnsignedInteger();
    }

    /** Refuses {@code d} unless it names a dimension of {@code s}; returns it as an index. */
    int dimensionOf(long d, HloShape s, String what) {
        if (d < 0 || d >= s.rank()) {
            throw invalid(what + " " + d + " is not a dimension of " + s);
        }
        return (int) d;
    }
}
