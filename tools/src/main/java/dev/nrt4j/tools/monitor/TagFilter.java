package dev.nrt4j.tools.monitor;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.tools.TerminalText;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A {@code tag_filter} of neuron-monitor's config: a regular expression the whole runtime tag
 * ({@code NEURON_PROCESS_TAG}, else the pid) must match. The config is untrusted, and a pattern like
 * {@code (.*a){12}b} backtracks for hours on a tag of sixty {@code a}s, so each
 * match may read the tag's characters at most {@link #BUDGET} times; a pattern that needs more is refused
 * with one line rather than hanging the monitor. Answers are kept per tag, since tags stay. Thread-safe.
 */
final class TagFilter {
    /** Reads of the tag one match may make: milliseconds of work, thousands of times a simple pattern's need. */
    static final long BUDGET = 2_000_000;

    /** Longer than any sensible filter; keeps the compiled pattern small. */
    static final int MAX_LENGTH = 1024;

    /** Tags kept per filter, so that a host with churning pids cannot grow the cache without end. */
    private static final int MAX_CACHED = 4096;

    private final String source;
    private final Pattern pattern;
    private final String where;
    private final Map<String, Boolean> answers = new ConcurrentHashMap<>();

    /**
     * @param pattern compiled from {@code source}
     * @param where the file and entry it came from, for the message of a pattern too costly to run
     */
    TagFilter(String source, Pattern pattern, String where) {
        this.source = source;
        this.pattern = pattern;
        this.where = where;
    }

    /** {@return the pattern as written} */
    String source() {
        return source;
    }

    /**
     * Whether {@code tag} matches as a whole.
     *
     * @throws NeuronException {@link Status#INVALID} when the pattern needs more than {@link #BUDGET} reads
     */
    boolean matches(String tag) {
        Boolean known = answers.get(tag);
        if (known != null) {
            return known;
        }
        boolean answer;
        try {
            answer = pattern.matcher(new Budgeted(tag)).matches();
        } catch (OverBudget e) {
            throw new NeuronException(
                    Status.INVALID,
                    "match " + where,
                    "the pattern " + TerminalText.quoted(source) + " takes too long on the tag "
                            + TerminalText.quoted(tag) + " (it backtracks without end); remove repeated groups"
                            + " that hold .* such as (.*a){12}");
        } catch (StackOverflowError e) {
            throw new NeuronException(
                    Status.INVALID,
                    "match " + where,
                    "the pattern " + TerminalText.quoted(source) + " nests too deeply to run on the tag "
                            + TerminalText.quoted(tag) + "; simplify it");
        }
        if (answers.size() < MAX_CACHED) {
            answers.put(tag, answer);
        }
        return answer;
    }

    /** Thrown when a match has read its budget; carries no stack trace, being expected. */
    private static final class OverBudget extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OverBudget() {
            super(null, null, false, false);
        }
    }

    /** The tag, counting the reads the matcher makes of it. */
    private static final class Budgeted implements CharSequence {
        private final String text;
        private long left;

        Budgeted(String text) {
            this.text = text;
            this.left = BUDGET;
        }

        @Override
        public char charAt(int index) {
            if (--left < 0) {
                throw new OverBudget();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            // Only taken for a group's text once matching is over, never to match against.
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
