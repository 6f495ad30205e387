package dev.nrt4j.nativert.binding;

import dev.nrt4j.spi.ForeignFunctionSupport;

/**
 * Entry to the FFM binding of libnrt. This is the Java 17 version, compiled into the jar's base:
 * it says FFM is not supported. The multi-release jar carries a Java 22 version under
 * {@code META-INF/versions/22} that binds through {@code java.lang.foreign}. Thread-safe.
 */
public final class FfmBinding {
    private FfmBinding() {}

    /** Whether this JVM and this jar can bind libnrt through FFM. */
    public static boolean isSupported() {
        return false;
    }

    /** Why FFM is or is not usable, in one line. */
    public static String detail() {
        return ForeignFunctionSupport.detail();
    }

    /**
     * Binds {@code library} through FFM.
     *
     * @throws UnsupportedOperationException always, in this Java 17 version
     */
    public static LibNrt bind(String library) {
        throw new UnsupportedOperationException("the FFM binding is not available: " + detail());
    }
}
