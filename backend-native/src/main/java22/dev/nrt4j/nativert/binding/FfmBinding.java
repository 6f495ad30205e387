package dev.nrt4j.nativert.binding;

import dev.nrt4j.spi.ForeignFunctionSupport;

/**
 * Java 22+ version (see the base version's description): binds libnrt through
 * {@code java.lang.foreign} when FFM downcalls work in this JVM.
 */
public final class FfmBinding {
    private FfmBinding() {}

    /** Whether this JVM and this jar can bind libnrt through FFM. */
    public static boolean isSupported() {
        return ForeignFunctionSupport.isAvailable();
    }

    /** Why FFM is or is not usable, in one line. */
    public static String detail() {
        return ForeignFunctionSupport.detail();
    }

    /**
     * Binds {@code library} through FFM.
     *
     * @throws UnsupportedOperationException when FFM downcalls do not work here
     * @throws UnsatisfiedLinkError when the library cannot be loaded or lacks a required function
     * @throws IllegalStateException when this JVM already bound a different libnrt through FFM
     */
    public static LibNrt bind(String library) {
        if (!isSupported()) {
            throw new UnsupportedOperationException("the FFM binding is not available: " + detail());
        }
        return FfmLibNrt.bind(library);
    }
}
