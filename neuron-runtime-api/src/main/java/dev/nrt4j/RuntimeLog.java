package dev.nrt4j;

import java.lang.System.Logger.Level;
import java.util.function.Supplier;

/**
 * nrt4j's log for one runtime: the {@code dev.nrt4j} {@link System.Logger}, which goes wherever the
 * application routes {@code System.Logger} (java.util.logging by default, SLF4J or Log4j with their
 * bridges), filtered first by the runtime's {@link RuntimeOptions#logLevel()} so that one setting quiets
 * nrt4j and libnrt alike. Immutable and thread-safe.
 */
final class RuntimeLog {
    private static final System.Logger LOG = System.getLogger("dev.nrt4j");

    private final Level threshold;

    private RuntimeLog(Level threshold) {
        this.threshold = threshold;
    }

    /** The log for a runtime opened with {@code options}: unfiltered unless a level is set. */
    static RuntimeLog of(RuntimeOptions options) {
        return new RuntimeLog(options.logLevel().orElse(Level.ALL));
    }

    boolean isLoggable(Level level) {
        return level.getSeverity() >= threshold.getSeverity() && level != Level.OFF && LOG.isLoggable(level);
    }

    /** Logs the message, built only when it will be logged. */
    void log(Level level, Supplier<String> message) {
        if (isLoggable(level)) {
            LOG.log(level, message.get());
        }
    }

    /** Logs the message with a throwable (a stack that allocated a leaked resource, a failure). */
    void log(Level level, String message, Throwable thrown) {
        if (isLoggable(level)) {
            LOG.log(level, message, thrown);
        }
    }
}
