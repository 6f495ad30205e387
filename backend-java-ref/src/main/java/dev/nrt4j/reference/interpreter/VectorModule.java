package dev.nrt4j.reference.interpreter;

import java.util.Optional;

/**
 * The one place that loads the interpreter's vector kernels: the classes under {@code src/main/vector}, compiled
 * with the incubator module {@value #NAME} and loaded by name, so that no other class links to the module and the
 * scalar kernels run on a JVM that did not resolve it (one started without {@code --add-modules} {@value #NAME}),
 * or whose incubating API no longer has the calls a kernel was compiled against. Each kernel family
 * ({@link GemmKernels}, {@link ExpKernels}, {@link MinMaxKernels}, ...) asks once, in its class initialiser, and
 * keeps the answer. Stateless and thread-safe.
 */
final class VectorModule {
    /** The module the vector kernels need at run time. */
    static final String NAME = "jdk.incubator.vector";

    private VectorModule() {}

    /**
     * A loaded vector kernel, or why there is none: one phrase that says how to get it where the user can
     * ({@link #kernel()} empty, {@link #whyNot()} set), else the kernel ({@link #whyNot()} null).
     *
     * @param kernel the kernel, if it loaded
     * @param whyNot why it did not, as a phrase for the backend's description; null when it did
     * @param <T> the kernel's interface
     */
    record Loaded<T>(Optional<T> kernel, String whyNot) {}

    /** Whether this JVM resolved the module (it was started with {@code --add-modules} {@value #NAME}). */
    static boolean resolved() {
        return ModuleLayer.boot().findModule(NAME).isPresent();
    }

    /**
     * The vector kernel {@code simpleName} (a class of this package under {@code src/main/vector} with a no-argument
     * constructor) as a {@code type}, when this JVM can run it.
     *
     * @param what the kernel in words, for {@link Loaded#whyNot()} ("the vector kernel")
     */
    static <T> Loaded<T> load(Class<T> type, String simpleName, String what) {
        if (!resolved()) {
            return new Loaded<>(Optional.empty(), "start the JVM with --add-modules " + NAME + " for " + what);
        }
        try {
            Object k = Class.forName(VectorModule.class.getPackageName() + "." + simpleName)
                    .getDeclaredConstructor()
                    .newInstance();
            return new Loaded<>(Optional.of(type.cast(k)), null);
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            // A JDK whose incubating API no longer has the calls the kernel was compiled against.
            return new Loaded<>(Optional.empty(), what + " does not link on this JDK (" + e + ")");
        }
    }
}
