package dev.nrt4j.tools.monitor;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;

/**
 * A period of neuron-monitor's config ({@code "1s"}, {@code "500ms"}) or of {@code --period} ({@code 5},
 * {@code 0.5}, {@code 5s}): a decimal number with an optional unit {@code ms}, {@code s} (the default) or
 * {@code m}, in whole milliseconds from {@link #MIN_MILLIS} to {@link #MAX_MILLIS}. Stateless.
 */
final class MonitorPeriod {
    /** Below this, reading the machine takes longer than the period. */
    static final long MIN_MILLIS = 10;
    /** A day: longer is a typo, and keeps sums of periods far from overflow. */
    static final long MAX_MILLIS = 24L * 3600 * 1000;

    /** The accepted forms, for messages. */
    static final String FORMS =
            "a number of seconds from 0.01 to 86400 with an optional unit ms, s or m, like 5s," + " 500ms or 0.5";

    private MonitorPeriod() {}

    /** {@code text} in milliseconds, or empty if it is not a period this accepts. */
    static Optional<Long> millis(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        long scale = 1000;
        if (s.endsWith("ms")) {
            s = s.substring(0, s.length() - 2);
            scale = 1;
        } else if (s.endsWith("s")) {
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            s = s.substring(0, s.length() - 1);
            scale = 60_000;
        }
        // BigDecimal also takes exponents ("1e9"): a short plain number only, so no huge scale is parsed.
        if (s.isEmpty() || s.length() > 12 || !s.matches("[0-9]*\\.?[0-9]*")) {
            return Optional.empty();
        }
        try {
            BigDecimal ms = new BigDecimal(s).multiply(BigDecimal.valueOf(scale));
            if (ms.stripTrailingZeros().scale() > 0) {
                return Optional.empty();
            }
            long v = ms.longValueExact();
            return v >= MIN_MILLIS && v <= MAX_MILLIS ? Optional.of(v) : Optional.empty();
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }
}
