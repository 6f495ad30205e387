package dev.nrt4j.nativert;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.NativeLibrary;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.testsupport.Needs;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The libnrt test double built from src/test/c (see the pom): where it is, how to open a runtime on
 * it, and its test hooks (live object counts, misuse count), read through JNA whatever binding the
 * backend uses. Tests that need it are skipped, with the reason, when gcc could not build it.
 */
final class LibnrtDouble {
    static final int TENSORS = 0;
    static final int SETS = 1;
    static final int MODELS = 2;
    static final int INFOS = 3;

    private LibnrtDouble() {}

    /** The double's path; skips the calling test (fails it under NRT4J_STRICT=1) when it was not built. */
    static Path path() {
        String p = System.getProperty("nrt4j.test.libnrtDouble", "");
        Needs.that(
                !p.isEmpty() && Files.isRegularFile(Path.of(p)),
                "the libnrt test double, built by the test build with"
                        + " gcc and the zlib headers (Debian: apt-get install gcc zlib1g-dev); see the build log NOTICE");
        return Path.of(p);
    }

    /** The double's variable naming the instance type it poses as (default trn2.3xlarge). */
    static final String INSTANCE = "NRT4J_DOUBLE_INSTANCE";
    /** The double's variable naming the directory of its per-core lock files. */
    static final String STATE_DIR = "NRT4J_DOUBLE_STATE_DIR";
    /** The double's variable naming the runtime version it poses as (default 2.34.10.0). */
    static final String RT_VERSION = "NRT4J_DOUBLE_RT_VERSION";
    /** The double's variable bounding its nrta requests in flight per core (default 4), read at nrt_init. */
    static final String NRTA_QUEUE_DEPTH = "NRT4J_DOUBLE_NRTA_QUEUE_DEPTH";

    /**
     * Points the native backend's library discovery at the double, and the double's core locks at this
     * build's own state directory (never the user's {@code /tmp} default, which other builds share).
     */
    static void use() {
        System.setProperty(LibraryLocator.PROPERTY, path().toString());
        setenv(STATE_DIR, stateDir().toString());
    }

    /** Where the double of this build keeps its core lock files (its parent exists; the double makes it). */
    static Path stateDir() {
        Path base = Path.of(
                System.getProperty("nrt4j.stateDir", System.getProperty("java.io.tmpdir") + "/nrt4j-test-state"));
        try {
            Files.createDirectories(base);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return base.toAbsolutePath().resolve("libnrt-double");
    }

    /**
     * Makes the double pose as {@code instanceType} (e.g. {@code trn1.2xlarge}) for runtimes opened until
     * the returned handle is closed, which puts the default (trn2.3xlarge) back.
     */
    static AutoCloseableInstance posingAs(String instanceType) {
        setenv(INSTANCE, instanceType);
        return () -> setenv(INSTANCE, null);
    }

    /** What {@link #posingAs} returns: closing it never throws. */
    interface AutoCloseableInstance extends AutoCloseable {
        @Override
        void close();
    }

    /** A native runtime on the double with these options. */
    static NeuronRuntime open(RuntimeOptions.Builder options) {
        use();
        return NeuronRuntime.open(options.backend(NativeBackendProvider.NAME).build());
    }

    /** A native runtime on the double with default options. */
    static NeuronRuntime open() {
        return open(RuntimeOptions.builder());
    }

    private static NativeLibrary lib() {
        return NativeLibrary.getInstance(path().toString());
    }

    /**
     * Sets an environment variable of this process through libc, where the double reads its settings
     * ({@code null} removes it). The JVM's own copy of the environment does not change.
     */
    static void setenv(String name, String value) {
        NativeLibrary c = NativeLibrary.getInstance(com.sun.jna.Platform.C_LIBRARY_NAME);
        if (value == null) {
            c.getFunction("unsetenv").invokeInt(new Object[] {name});
        } else {
            c.getFunction("setenv").invokeInt(new Object[] {name, value, 1});
        }
    }

    /** Live objects of a kind ({@link #TENSORS}, {@link #SETS}, {@link #MODELS}, {@link #INFOS}) in the double. */
    static int live(int kind) {
        return lib().getFunction("nrt4j_double_live").invokeInt(new Object[] {kind});
    }

    /** Fails unless every tensor, set, model and tensor-info array was freed in libnrt and no dead handle reached it. */
    static void assertNothingLeaked() {
        assertThat(live(TENSORS)).as("live tensors in libnrt").isZero();
        assertThat(live(SETS)).as("live tensor sets in libnrt").isZero();
        assertThat(live(MODELS)).as("live models in libnrt").isZero();
        assertThat(live(INFOS)).as("unfreed tensor-info arrays").isZero();
        assertThat(misuse()).as("dead handles passed to libnrt").isZero();
    }

    /** How often a dead or foreign handle reached the double. */
    static int misuse() {
        return lib().getFunction("nrt4j_double_misuse").invokeInt(new Object[0]);
    }

    /** How many requests {@code nrta_execute_schedule} scheduled in the double, ever. */
    static int nrtaScheduled() {
        return lib().getFunction("nrt4j_double_nrta_scheduled").invokeInt(new Object[0]);
    }

    /** How often {@code nrta_execute_schedule} answered {@code NRT_QUEUE_FULL}, ever. */
    static int nrtaQueueFull() {
        return lib().getFunction("nrt4j_double_nrta_queue_full").invokeInt(new Object[0]);
    }

    /** 0 uninitialised, 1 initialised, 2 closed. */
    static int state() {
        return lib().getFunction("nrt4j_double_state").invokeInt(new Object[0]);
    }
}
