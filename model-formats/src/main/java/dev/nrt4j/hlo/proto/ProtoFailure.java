package dev.nrt4j.hlo.proto;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;

/** The one kind of failure the proto reader raises, worded like the rest of the HLO readers. */
final class ProtoFailure {
    /** Longest piece of input text (a name) quoted in a message. */
    private static final int QUOTE_LIMIT = 80;

    private ProtoFailure() {}

    static NeuronException invalid(String source, String detail) {
        return new NeuronException(Status.INVALID, "read HLO " + source, detail);
    }

    static NeuronException invalid(String source, String detail, Throwable cause) {
        return new NeuronException(Status.INVALID, "read HLO " + source, detail, cause);
    }

    /**
     * Input text made safe to print: names in a hostile file may be huge or hold control characters
     * that would garble a terminal or a log line.
     */
    static String quote(String text) {
        StringBuilder b = new StringBuilder("'");
        int n = Math.min(text.length(), QUOTE_LIMIT);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        if (text.length() > QUOTE_LIMIT) {
            b.append("...");
        }
        return b.append('\'').toString();
    }
}
