package dev.nrt4j.nativert.binding;

import java.util.Locale;

/**
 * Chooses and binds a {@link LibNrt}: FFM on Java 22+ (from the multi-release jar), JNA otherwise,
 * or the one {@value #PROPERTY} names ({@code ffm} or {@code jna}). Thread-safe.
 */
public final class Bindings {
    /** The system property that forces a binding. */
    public static final String PROPERTY = "nrt4j.native.binding";

    private Bindings() {}

    /**
     * The binding to use: the forced one, else {@code ffm} when supported, else {@code jna}.
     *
     * @throws IllegalArgumentException when the property names neither
     */
    public static String chosen() {
        String forced = forced();
        if (forced == null) {
            return FfmBinding.isSupported() ? "ffm" : "jna";
        }
        return forced;
    }

    /**
     * The binding the property forces, or null when it forces none. Cheap, unlike {@link #chosen()},
     * which checks that FFM downcalls work.
     *
     * @throws IllegalArgumentException when the property names neither
     */
    public static String forced() {
        String forced = System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        if (forced.isEmpty()) {
            return null;
        }
        if (!forced.equals("ffm") && !forced.equals("jna")) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + forced + " names no binding; use ffm or jna");
        }
        return forced;
    }

    /**
     * Binds {@code library} (a path, or a name the dynamic linker resolves) through the named binding.
     *
     * @throws UnsupportedOperationException when FFM is asked for but not supported here
     * @throws UnsatisfiedLinkError when the library cannot be loaded or lacks a required function
     * @throws IllegalStateException when this JVM already bound a different libnrt through that binding
     */
    public static LibNrt bind(String binding, String library) {
        switch (binding) {
            case "ffm":
                return FfmBinding.bind(library);
            case "jna":
                return JnaLibNrt.bind(library);
            default:
                throw new IllegalArgumentException("no binding named " + binding + "; use ffm or jna");
        }
    }
}
