package dev.nrt4j.tools;

import java.util.Locale;

/**
 * The one place where text the user did not type becomes text on the user's terminal: names a model gives
 * its tensors, module and instructions, and the commands, tags and model names other processes publish in
 * runtime records. Such text may hold an escape sequence ({@code ESC [2J} clears the screen, others move
 * the cursor, retitle the window or forge earlier lines) or a newline that forges a line of output;
 * every command prints it through {@link #escape} so it shows as data. Stateless and thread-safe.
 */
public final class TerminalText {
    private TerminalText() {}

    /**
     * {@code text} with every character a terminal would act on instead of show written as {@code \}{@code uXXXX}:
     * the C0 and C1 control characters (newline, carriage return, tab and {@code ESC} among them),
     * {@code DEL}, format characters (bidirectional overrides, zero-width characters, which can make text
     * read other than it is) and the Unicode line and paragraph separators. Everything else, other
     * scripts included, is kept.
     *
     * @param text text from a model or another process; not null
     * @return the text, safe to print as part of one line
     */
    public static String escape(String text) {
        StringBuilder s = null;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int next = i + Character.charCount(c);
            if (actedOn(c)) {
                if (s == null) {
                    s = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                s.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else if (s != null) {
                s.append(text, i, next);
            }
            i = next;
        }
        return s == null ? text : s.toString();
    }

    /**
     * {@link #escape escaped} {@code text} in double quotes, for a name inside a sentence: an empty or
     * space-padded name still shows where it begins and ends.
     *
     * @param text text from a model or another process; not null
     * @return {@code "text"}, escaped
     */
    public static String quoted(String text) {
        return '"' + escape(text) + '"';
    }

    private static boolean actedOn(int c) {
        int type = Character.getType(c);
        return Character.isISOControl(c)
                || type == Character.FORMAT
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
