package dev.nrt4j.spi;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Java 22+ version (see the base version's description): answers by calling the C library's
 * {@code strlen} through a downcall handle once, so a yes means downcalls really work here.
 */
// The probe is a restricted downcall by design: it asks whether this JVM lets the jar make one.
@SuppressWarnings("restricted")
public final class ForeignFunctionSupport {
    private static final String PROBE = "nrt4j";
    private static final String DETAIL;
    private static final boolean AVAILABLE;

    static {
        String detail;
        boolean available;
        try {
            Linker linker = Linker.nativeLinker();
            MemorySegment strlen = linker.defaultLookup()
                    .find("strlen")
                    .orElseThrow(() -> new IllegalStateException("the C library has no strlen"));
            MethodHandle h =
                    linker.downcallHandle(strlen, FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
            long length;
            try (Arena arena = Arena.ofConfined()) {
                length = (long) h.invokeExact(arena.allocateFrom(PROBE));
            }
            available = length == PROBE.length();
            detail = available
                    ? "Java " + Runtime.version().feature() + ": FFM downcalls work (checked with strlen)"
                    : "FFM downcall to strlen returned " + length + ", expected " + PROBE.length();
        } catch (Throwable t) {
            available = false;
            detail = "FFM downcalls fail here: " + t;
        }
        DETAIL = detail;
        AVAILABLE = available;
    }

    private ForeignFunctionSupport() {}

    /** Whether FFM downcalls work in this JVM. */
    public static boolean isAvailable() {
        return AVAILABLE;
    }

    /** Why FFM is or is not usable here, in one line. */
    public static String detail() {
        return DETAIL;
    }
}
