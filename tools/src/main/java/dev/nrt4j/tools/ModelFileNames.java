package dev.nrt4j.tools;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one place where a name that comes from a model (a tensor name in a NEFF, which may hold
 * {@code /}, {@code ..} or control characters, since readers keep names as data) becomes a file name
 * in a directory the user chose. Every writer of such files goes through {@link #inside}: the name is
 * made harmless and the resolved path is checked to be a direct child of the directory, so no model
 * can make a command write anywhere else. Stateless and thread-safe.
 */
final class ModelFileNames {
    /** Longest name kept, in characters: file systems allow 255 bytes, and a suffix and a counter follow. */
    static final int MAX_LENGTH = 120;
    /** Names Windows reserves for devices, whatever the extension. */
    private static final Pattern WINDOWS_DEVICE = Pattern.compile("(?i)(con|prn|aux|nul|com[0-9]|lpt[0-9])(\\..*)?");

    private ModelFileNames() {}

    /**
     * {@code name} as a single harmless file name: path separators ({@code /}, {@code \}), {@code :},
     * control characters and leading dots (so no {@code .}, {@code ..} or hidden file) become {@code _},
     * a Windows device name gets a {@code _} in front, an empty name is {@code _}, and a long one is cut.
     *
     * @param name a name taken from a model; not null
     * @return the file name, never empty, never containing a separator
     */
    static String sanitize(String name) {
        StringBuilder s = new StringBuilder(name.length());
        name.codePoints().limit(MAX_LENGTH).forEach(c -> {
            boolean harmful = c == '/'
                    || c == '\\'
                    || c == ':'
                    || Character.isISOControl(c)
                    || Character.getType(c) == Character.FORMAT
                    || (c == '.' && s.chars().allMatch(x -> x == '_'));
            s.appendCodePoint(harmful ? '_' : c);
        });
        String out = s.toString();
        if (out.isEmpty()) {
            return "_";
        }
        return WINDOWS_DEVICE.matcher(out).matches() ? "_" + out : out;
    }

    /**
     * The file for each name in {@code directory}: {@link #sanitize sanitized} name plus {@code suffix}, made
     * unique (names that sanitize alike get {@code ~2}, {@code ~3}, ... so no output overwrites another) and
     * checked to lie directly in {@code directory}.
     *
     * @param directory the directory the user chose
     * @param names the names from the model, in order
     * @param suffix the extension, e.g. {@code .npy}
     * @return each name's file, in the order of {@code names}
     * @throws NeuronException {@link Status#INVALID} if a file would lie outside {@code directory}, naming
     *     the tensor; nothing has been written then
     */
    static Map<String, Path> inside(Path directory, List<String> names, String suffix) {
        Path dir = directory.toAbsolutePath().normalize();
        Map<String, Path> out = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        for (String name : names) {
            String base = sanitize(name);
            String file = base + suffix;
            for (int n = 2; !taken.add(file.toLowerCase(Locale.ROOT)); n++) {
                // Compared without case: on macOS and Windows "A.npy" and "a.npy" are one file.
                file = base + "~" + n + suffix;
            }
            Path resolved = dir.resolve(file).normalize();
            if (!dir.equals(resolved.getParent())) {
                throw new NeuronException(
                        Status.INVALID,
                        "write output " + TerminalText.quoted(name),
                        "its file " + resolved + " would lie outside " + dir + "; rename the tensor in the model");
            }
            out.put(name, resolved);
        }
        return out;
    }
}
