package dev.nrt4j;

/**
 * Where to load a model. Immutable and thread-safe.
 */
public final class LoadOptions {
    private static final LoadOptions ANY_CORE = new LoadOptions(-1);

    private final int core;

    private LoadOptions(int core) {
        this.core = core;
    }

    /** Load on this core (an index into {@link NeuronRuntime#cores()}). */
    public static LoadOptions onCore(int core) {
        if (core < 0) {
            throw new IllegalArgumentException("core index must be 0 or more, got " + core + "; use anyCore()");
        }
        return new LoadOptions(core);
    }

    /** Load on the first core the runtime picks (libnrt's -1). */
    public static LoadOptions anyCore() {
        return ANY_CORE;
    }

    /** The core index, or -1 for any. */
    public int core() {
        return core;
    }

    @Override
    public String toString() {
        return core < 0 ? "any core" : "core " + core;
    }
}
