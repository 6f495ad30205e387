package dev.nrt4j.reference.interpreter;

import dev.nrt4j.BFloat16;
import dev.nrt4j.Float16;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.DoubleUnaryOperator;

/**
 * {@code custom-call}, dispatched on its target. Implemented targets:
 *
 * <ul>
 * <li>Annotations that leave values unchanged on one device: the Shardy ({@code xla.sdy.*}) and
 * GSPMD sharding markers, and Neuron's module/boundary markers and LNC sharding constraint. Their
 * result is their operand (a tuple of the operands when there are several); a result shape that
 * differs (a shard of a partitioned value) is refused.</li>
 * <li>Neuron's elementwise activations {@code AwsNeuronErf}, {@code AwsNeuronGelu} (exact, with
 * erf), {@code AwsNeuronGeluApprxTanh} and {@code AwsNeuronSilu}, on f16, bf16, f32 and f64, computed
 * in double and rounded once to the element type.</li>
 * </ul>
 *
 * {@link CustomCallTarget} lists them; any other target is refused with its name, when the module loads
 * ({@link Evaluator#unsupportedOperations}) and again here.
 */
final class CustomCallOps {
    private CustomCallOps() {}

    static void registerAll(OpRegistry r) {
        r.register(CustomCallOps::customCall, HloOpcode.CUSTOM_CALL);
    }

    /** The implemented targets, sorted (for messages and documentation). */
    static Set<String> supportedTargets() {
        Set<String> all = new TreeSet<>();
        for (CustomCallTarget t : CustomCallTarget.values()) {
            all.add(t.text());
        }
        return all;
    }

    private static Value customCall(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        String name = ins.customCallTarget().orElse("");
        CustomCallTarget target = CustomCallTarget.fromName(name)
                .orElseThrow(() -> new NeuronException(
                        Status.INVALID,
                        "execute " + ins.name() + " (custom-call)",
                        "the reference device does not implement custom-call target \"" + name + "\"; it implements "
                                + supportedTargets()));
        if (target.passesThrough()) {
            Value v = ops.size() == 1 ? ops.get(0) : new TupleValue(ops);
            if (!sameShape(ins.shape(), v)) {
                throw new IllegalArgumentException("custom-call " + target + " changes the shape to " + ins.shape()
                        + "; on one device it must pass its operand through unchanged (a partitioned program?)");
            }
            return v;
        }
        switch (target) {
            case NEURON_ERF:
                return elementwise(ins, ops, CustomCallOps::erf);
            case NEURON_GELU:
                return elementwise(ins, ops, x -> 0.5 * x * (1 + erf(x / Math.sqrt(2))));
            case NEURON_GELU_APPROX_TANH:
                return elementwise(
                        ins, ops, x -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))));
            case NEURON_SILU:
                return elementwise(ins, ops, x -> x / (1 + Math.exp(-x)));
            default:
                throw new IllegalStateException("custom-call target " + target + " has no kernel");
        }
    }

    private static boolean sameShape(HloShape s, Value v) {
        if (s.isTuple()) {
            if (!v.isTuple() || v.asTuple().elements().size() != s.tupleShapes().size()) {
                return false;
            }
            for (int i = 0; i < s.tupleShapes().size(); i++) {
                if (!sameShape(s.tupleShapes().get(i), v.asTuple().get(i))) {
                    return false;
                }
            }
            return true;
        }
        return !v.isTuple()
                && s.isArray()
                && s.elementType() == v.asArray().type()
                && Arrays.equals(s.dims(), v.asArray().dims());
    }

    /**
     * One float operand, a result of the same shape. Computed in double and rounded once; XLA would
     * compute f32 in float, so f32 results may differ from a float formula in the last bit.
     */
    private static Value elementwise(HloInstruction ins, List<Value> ops, DoubleUnaryOperator f) {
        if (ops.size() != 1) {
            throw new IllegalArgumentException(
                    ins.customCallTarget().orElse("") + " takes one operand, got " + ops.size());
        }
        Array in = ops.get(0).asArray();
        HloShape s = ins.shape();
        if (!s.isArray() || s.elementType() != in.type() || !Arrays.equals(s.dims(), in.dims())) {
            throw new IllegalArgumentException("the result " + s + " must have the operand's shape " + in.shape());
        }
        Array out = Array.allocate(s);
        int n = in.size();
        switch (in.type()) {
            case F32: {
                float[] a = in.floats();
                float[] o = out.floats();
                for (int i = 0; i < n; i++) {
                    o[i] = (float) f.applyAsDouble(a[i]);
                }
                break;
            }
            case F64: {
                double[] a = in.doubles();
                double[] o = out.doubles();
                for (int i = 0; i < n; i++) {
                    o[i] = f.applyAsDouble(a[i]);
                }
                break;
            }
            case BF16: {
                short[] a = in.shorts();
                short[] o = out.shorts();
                for (int i = 0; i < n; i++) {
                    // double -> f32 -> bf16, as XLA converts any wider type to bf16 through float
                    o[i] = BFloat16.fromFloat((float) f.applyAsDouble(BFloat16.toFloat(a[i])));
                }
                break;
            }
            case F16: {
                short[] a = in.shorts();
                short[] o = out.shorts();
                for (int i = 0; i < n; i++) {
                    o[i] = Float16.fromFloat((float) f.applyAsDouble(Float16.toFloat(a[i])));
                }
                break;
            }
            default:
                throw new IllegalArgumentException(ins.customCallTarget().orElse("")
                        + " needs a floating-point operand, not " + in.type().textName());
        }
        return out;
    }

    /**
     * The error function in double: its Maclaurin series below 3 (terms stay under 200, so about 14
     * correct digits), the continued fraction of erfc above (converging fast there), ±1 beyond 6.
     */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        if (a >= 6) {
            return Math.copySign(1, x);
        }
        if (a < 3) {
            double term = x;
            double sum = x;
            double x2 = x * x;
            for (int n = 1; n < 200; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            return 2 / Math.sqrt(Math.PI) * sum;
        }
        // erfc(a) = exp(-a^2)/sqrt(pi) * 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + 2/(a + ...))))), by modified Lentz.
        double tiny = 1e-300;
        double f = a;
        double c = a;
        double d = 0;
        for (int k = 1; k < 500; k++) {
            double coef = k / 2.0;
            d = a + coef * d;
            d = d == 0 ? tiny : d;
            c = a + coef / c;
            c = c == 0 ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        double erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
        return Math.copySign(1 - erfc, x);
    }
}
