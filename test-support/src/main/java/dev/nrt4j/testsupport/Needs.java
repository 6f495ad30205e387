package dev.nrt4j.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.opentest4j.AssertionFailedError;

/**
 * How a test says that something it needs from its environment is absent: a compiler, a package, the
 * shared corpus beside the checkout, a terminal multiplexer. Normally the test is skipped with that
 * reason; under {@code NRT4J_STRICT=1} (or {@code -Dnrt4j.strict=true}), which CI sets, it fails
 * instead, so a green build never hides a group of tests that did not run.
 *
 * <p>Only for the environment: a behaviour that differs by JDK version or operating system feature
 * the project does not require (such as an API added in a later JDK) is {@link #optional optional}
 * and skips even under strict mode. Stateless and thread-safe.
 */
public final class Needs {
    /** The environment variable that turns environment skips into failures. */
    public static final String STRICT_ENVIRONMENT = "NRT4J_STRICT";
    /** The system property that does the same (wins over the variable). */
    public static final String STRICT_PROPERTY = "nrt4j.strict";

    private Needs() {}

    /** Whether environment skips are failures in this run. */
    public static boolean strict() {
        String p = System.getProperty(STRICT_PROPERTY);
        String v = p != null ? p : System.getenv(STRICT_ENVIRONMENT);
        if (v == null) {
            return false;
        }
        String s = v.trim().toLowerCase(Locale.ROOT);
        return s.equals("1") || s.equals("true") || s.equals("yes");
    }

    /**
     * Continues if {@code present}; otherwise skips the test saying {@code what} is missing, or fails
     * with that message under strict mode.
     *
     * @param what what is missing and how to get it, e.g. {@code "tmux (apt-get install tmux)"}
     */
    public static void that(boolean present, String what) {
        if (present) {
            return;
        }
        if (strict()) {
            throw new AssertionFailedError("missing from this environment: " + what + " (" + STRICT_ENVIRONMENT
                    + "=1 turns this skip into a failure)");
        }
        Assumptions.abort("skipped, missing from this environment: " + what);
    }

    /**
     * Skips when {@code present} is false, even under strict mode: for variations the project supports on
     * purpose (a JDK without an API the test compares with, a file system without POSIX permissions).
     */
    public static void optional(boolean present, String why) {
        Assumptions.assumeTrue(present, why);
    }

    /**
     * The shared conformance corpus ({@code -Dnrt4j.shared.dir}, default {@code ../../shared} from a
     * module, i.e. {@code shared/} beside the checkout) resolved to {@code parts}; skips (fails under
     * strict mode) when that directory is absent, as on a fresh clone.
     */
    public static Path sharedCorpus(String... parts) {
        Path dir = sharedDir().resolve("corpus");
        for (String p : parts) {
            dir = dir.resolve(p);
        }
        that(
                Files.isDirectory(dir),
                "the shared corpus at " + dir.toAbsolutePath().normalize()
                        + " (a checkout beside shared/, or -Dnrt4j.shared.dir=DIR)");
        return dir;
    }

    /** Where {@code shared/} is expected: {@code -Dnrt4j.shared.dir}, else {@code ../../shared}. */
    public static Path sharedDir() {
        return Path.of(System.getProperty("nrt4j.shared.dir", "../../shared"));
    }

    /** Whether {@code command} is an executable on the {@code PATH}. */
    public static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
