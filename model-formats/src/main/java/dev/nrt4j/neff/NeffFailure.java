package dev.nrt4j.neff;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;

/** The exceptions this package throws, so that every message has the same shape. */
final class NeffFailure {
    private NeffFailure() {}

    /** A damaged or hostile file: {@code read <source> failed [INVALID]: <detail>}. */
    static NeuronException invalid(String source, String detail) {
        return new NeuronException(Status.INVALID, "read " + printable(source), printable(detail));
    }

    static NeuronException invalid(String source, String detail, Throwable cause) {
        return new NeuronException(Status.INVALID, "read " + printable(source), printable(detail), cause);
    }

    /** A well-formed header announcing a format this reader does not know. */
    static NeuronException unsupported(String source, String detail) {
        return new NeuronException(Status.UNSUPPORTED_NEFF_VERSION, "read " + printable(source), printable(detail));
    }

    /**
     * Details quote names and values taken from the file; control characters are shown as escapes so
     * that a hostile file cannot put line breaks or terminal escapes into a log line, and very long
     * quotes are cut so that a message stays one readable line.
     */
    static String printable(String s) {
        String cut = s.length() > 600 ? s.substring(0, 600) + "..." : s;
        StringBuilder b = null;
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (Character.isISOControl(c)) {
                if (b == null) {
                    b = new StringBuilder(cut.length() + 16).append(cut, 0, i);
                }
                b.append(String.format("\\x%02x", (int) c));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? cut : b.toString();
    }

    /** A name from the file, quoted for a message. */
    static String quote(String s) {
        return "'" + s + "'";
    }
}
