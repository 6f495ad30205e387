package dev.nrt4j.npy;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;

/** The exceptions this package throws, so that every message has the same shape. */
final class NpyFailure {
    private NpyFailure() {}

    /** A bad or unreadable input: {@code read <source> failed [INVALID]: <detail>}. */
    static NeuronException invalid(String source, String detail) {
        return new NeuronException(Status.INVALID, "read " + source, printable(detail));
    }

    static NeuronException invalid(String source, String detail, Throwable cause) {
        return new NeuronException(Status.INVALID, "read " + source, printable(detail), cause);
    }

    /**
     * Details quote bytes from the file; a damaged file must not put terminal escapes, NULs or line
     * breaks into a log line, so control characters are shown as escapes.
     */
    static String printable(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                if (b == null) {
                    b = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                b.append(String.format("\\x%02x", (int) c));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }
}
