package dev.nrt4j.conformance;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.StringJoiner;

/**
 * How far a case's outputs are from their expected values at worst, in the measure each output's
 * matching rule counts in: ULPs for {@code expect_eq} and {@code expect_close}, absolute error for
 * {@code expect_almost_eq} and tolerances. A mismatch no finite distance describes (NaN against a number,
 * an infinity against anything else, a wrong shape or type) is infinitely far. Also the form of a known
 * failure's bound, written as {@code max_ulp=3} or {@code max_abs=2.5e-4}. Immutable.
 */
public final class WorstError {
    /** A measure of error, with the name the known-failures file and the report use. */
    public enum Measure {
        /** The largest ULP distance, in the element's own width (integers: the difference of the values). */
        MAX_ULP("max_ulp"),
        /** The largest absolute difference. */
        MAX_ABS("max_abs");

        private final String key;

        Measure(String key) {
            this.key = key;
        }

        /** The name in the known-failures file and the report, e.g. {@code max_ulp}. */
        public String key() {
            return key;
        }

        /** The measure a matching rule counts in. */
        public static Measure of(OutputCheck.Kind kind) {
            return kind == OutputCheck.Kind.EXPECT_EQ || kind == OutputCheck.Kind.EXPECT_CLOSE ? MAX_ULP : MAX_ABS;
        }

        /** The measure named {@code key}, or null. */
        static Measure named(String key) {
            for (Measure m : values()) {
                if (m.key.equals(key)) {
                    return m;
                }
            }
            return null;
        }
    }

    /** Nothing measured (no output was compared). */
    public static final WorstError NONE = new WorstError(new EnumMap<>(Measure.class));

    private final Map<Measure, Double> values;

    private WorstError(EnumMap<Measure, Double> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** A single measured value. */
    public static WorstError of(Measure measure, double value) {
        return NONE.with(measure, value);
    }

    /** This with {@code value} folded into {@code measure} (the larger one is kept). */
    public WorstError with(Measure measure, double value) {
        if (Double.isNaN(value) || value < 0) {
            throw new IllegalArgumentException(measure.key() + " must be a distance (>= 0), not " + value);
        }
        EnumMap<Measure, Double> m = values.isEmpty() ? new EnumMap<>(Measure.class) : new EnumMap<>(values);
        m.merge(measure, value, Math::max);
        return new WorstError(m);
    }

    /** The larger of this and {@code other} in each measure. */
    public WorstError merge(WorstError other) {
        WorstError r = this;
        for (Map.Entry<Measure, Double> e : other.values.entrySet()) {
            r = r.with(e.getKey(), e.getValue());
        }
        return r;
    }

    /** The value of a measure, if measured. */
    public OptionalDouble get(Measure measure) {
        Double v = values.get(measure);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** Whether nothing was measured. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * Whether this stays within {@code bound}: every measure measured here is bounded there, by at
     * least this value. Nothing measured (a case that errored before any comparison) is within no bound.
     */
    public boolean within(WorstError bound) {
        if (values.isEmpty()) {
            return false;
        }
        for (Map.Entry<Measure, Double> e : values.entrySet()) {
            Double limit = bound.values.get(e.getKey());
            if (limit == null || e.getValue() > limit) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads one {@code measure=value} token ({@code max_ulp=3}, {@code max_abs=2.5e-4}, or {@code inf}) into this.
     *
     * @return this with the token's value, or null when the token is not a measure
     * @throws IllegalArgumentException if it names a measure but its value is not a distance
     */
    WorstError withToken(String token) {
        int eq = token.indexOf('=');
        Measure m = eq < 0 ? null : Measure.named(token.substring(0, eq));
        if (m == null) {
            return null;
        }
        String v = token.substring(eq + 1);
        double value;
        try {
            value = v.equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(m.key() + " needs a number, not '" + v + "'", e);
        }
        if (values.containsKey(m)) {
            throw new IllegalArgumentException(m.key() + " is given twice");
        }
        return with(m, value);
    }

    /** The report's form: measure name to value (a number, or the string {@code inf}). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<Measure, Double> e : values.entrySet()) {
            double v = e.getValue();
            m.put(
                    e.getKey().key(),
                    Double.isInfinite(v) ? "inf" : e.getKey() == Measure.MAX_ULP ? (Object) (long) v : (Object) v);
        }
        return m;
    }

    /** The file's form, e.g. {@code max_ulp=3 max_abs=2.5E-4}; empty when nothing was measured. */
    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(" ");
        for (Map.Entry<Measure, Double> e : values.entrySet()) {
            j.add(e.getKey().key() + "=" + format(e.getKey(), e.getValue()));
        }
        return j.toString();
    }

    private static String format(Measure m, double v) {
        if (Double.isInfinite(v)) {
            return "inf";
        }
        return m == Measure.MAX_ULP
                ? Long.toString((long) v)
                : Double.toString(v).toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorstError && ((WorstError) o).values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }
}
