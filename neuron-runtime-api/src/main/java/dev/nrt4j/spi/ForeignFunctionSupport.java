package dev.nrt4j.spi;

/**
 * Whether this JVM can call native code through the Foreign Function &amp; Memory API (final in Java 22),
 * which backends use to choose between an FFM binding and a JNA one.
 *
 * <p>This is the Java 17 version, compiled into the jar's base: it always answers no. The
 * multi-release jar carries a Java 22 version under {@code META-INF/versions/22} that answers by
 * making a real downcall. Thread-safe.
 */
public final class ForeignFunctionSupport {
    private ForeignFunctionSupport() {}

    /** {@return whether FFM downcalls work in this JVM; always false in this Java 17 build} */
    public static boolean isAvailable() {
        return false;
    }

    /** {@return why FFM is or is not usable here, in one line for diagnostics} */
    public static String detail() {
        int feature = Runtime.version().feature();
        return feature >= 22
                ? "Java " + feature + " has the FFM API, but this nrt4j class is the Java 17 build"
                        + " (run from a multi-release jar built with JDK 22 or newer to use it)"
                : "the Foreign Function & Memory API needs Java 22 or newer; this is Java " + feature;
    }
}
