package dev.nrt4j.conformance.contract;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The expectations the contract rules state, each throwing an {@link AssertionError} that says what was
 * expected and what was found. The kit runs inside users' processes ({@code nrt4j conformance}), so it
 * keeps this small vocabulary of its own rather than bringing a test library into the tools jar. An
 * optional {@code what} names the checked value and leads the message; the runner's report puts the
 * rule's id beside it. Stateless.
 *
 * <p>Floats are the same when their bits are, after folding every NaN into one (as {@link Float#equals}
 * and {@link Arrays#equals(float[], float[])} compare): a NaN where a NaN is expected holds, and
 * {@code -0.0} is not {@code 0.0}.
 */
final class Expect {
    /** Element lists longer than this are shown by their first differing element, not in full. */
    private static final int SHOWN_ELEMENTS = 16;

    private Expect() {}

    /** An operation a rule expects to fail; the lambda or method reference it hands to {@link #status}. */
    @FunctionalInterface
    interface Call {
        /**
         * Does the operation.
         *
         * @throws Exception what the operation throws, which the expectation then examines
         */
        void run() throws Exception;
    }

    /** {@code actual} is {@code expected}; integral values of any width compare by value. */
    static void equal(long actual, long expected) {
        equal(actual, expected, null);
    }

    /** {@code actual}, which {@code what} names, is {@code expected}. */
    static void equal(long actual, long expected, String what) {
        if (actual != expected) {
            throw fail(what, String.valueOf(expected), String.valueOf(actual));
        }
    }

    /** {@code actual} is the same float as {@code expected} (see the class comment). */
    static void equal(float actual, float expected) {
        equal(actual, expected, null);
    }

    /** {@code actual}, which {@code what} names, is the same float as {@code expected}. */
    static void equal(float actual, float expected, String what) {
        if (Float.floatToIntBits(actual) != Float.floatToIntBits(expected)) {
            throw fail(what, String.valueOf(expected), String.valueOf(actual));
        }
    }

    /** {@code actual} holds the same floats as {@code expected}, element by element (see the class comment). */
    static void equal(float[] actual, float[] expected) {
        if (actual == null || !Arrays.equals(actual, expected)) {
            throw differ("float", actual, expected, actual == null ? 0 : Arrays.mismatch(actual, expected));
        }
    }

    /** {@code actual} holds the same bytes as {@code expected}. */
    static void equal(byte[] actual, byte[] expected) {
        if (actual == null || !Arrays.equals(actual, expected)) {
            throw differ("byte", actual, expected, actual == null ? 0 : Arrays.mismatch(actual, expected));
        }
    }

    /**
     * {@code actual} equals {@code expected}: by {@link Object#equals}, and element by element for arrays
     * (so lists compare in order, as {@link List#equals} says).
     */
    static void equal(Object actual, Object expected) {
        equal(actual, expected, null);
    }

    /** {@code actual}, which {@code what} names, equals {@code expected} as {@link #equal(Object, Object)} says. */
    static void equal(Object actual, Object expected, String what) {
        if (!Objects.deepEquals(actual, expected)) {
            throw fail(what, show(expected), show(actual));
        }
    }

    /** {@code actual} is the very object {@code expected}, not merely an equal one. */
    static void same(Object actual, Object expected) {
        if (actual != expected) {
            throw fail(null, "the same instance as " + show(expected), show(actual));
        }
    }

    /** {@code actual}, which {@code what} names, is {@code true}. */
    static void isTrue(boolean actual, String what) {
        equal((Object) actual, (Object) true, Objects.requireNonNull(what, "what"));
    }

    /** {@code actual}, which {@code what} names, is {@code false}. */
    static void isFalse(boolean actual, String what) {
        equal((Object) actual, (Object) false, Objects.requireNonNull(what, "what"));
    }

    /** {@code actual} has no elements. */
    static void empty(Collection<?> actual) {
        if (!actual.isEmpty()) {
            throw fail(null, "no elements", actual.size() + " element(s): " + actual);
        }
    }

    /** {@code actual} has at least one element. */
    static void notEmpty(Collection<?> actual) {
        if (actual.isEmpty()) {
            throw fail(null, "at least one element", "none");
        }
    }

    /** {@code actual} has {@code size} elements. */
    static void size(Collection<?> actual, int size) {
        if (actual.size() != size) {
            throw fail(null, size + " element(s)", actual.size() + ": " + actual);
        }
    }

    /** {@code actual} holds {@code element}. */
    static void contains(Collection<?> actual, Object element) {
        contains(actual, element, null);
    }

    /** {@code actual}, which {@code what} names, holds {@code element}. */
    static void contains(Collection<?> actual, Object element, String what) {
        if (!actual.contains(element)) {
            throw fail(what, "to hold " + show(element), show(actual));
        }
    }

    /** {@code actual} does not hold {@code element}. */
    static void doesNotContain(Collection<?> actual, Object element) {
        if (actual.contains(element)) {
            throw fail(null, "not to hold " + show(element), show(actual));
        }
    }

    /** Every byte of {@code actual} is zero, and there is at least one. */
    static void zeros(byte[] actual) {
        if (actual.length == 0) {
            throw fail(null, "zeros", "no bytes");
        }
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] != 0) {
                throw fail(null, "all " + actual.length + " bytes zero", actual[i] + " at index " + i);
            }
        }
    }

    /** {@code actual} is one of {@code allowed}. */
    static void oneOf(Object actual, Collection<?> allowed) {
        oneOf(actual, allowed, null);
    }

    /** {@code actual}, which {@code what} names, is one of {@code allowed}. */
    static void oneOf(Object actual, Collection<?> allowed, String what) {
        if (!allowed.contains(actual)) {
            throw fail(what, "one of " + allowed, show(actual));
        }
    }

    /** {@code min <= actual <= max}. */
    static void between(long actual, long min, long max) {
        between(actual, min, max, null);
    }

    /** {@code min <= actual <= max}, where {@code what} names {@code actual}. */
    static void between(long actual, long min, long max, String what) {
        if (actual < min || actual > max) {
            throw fail(what, "between " + min + " and " + max, String.valueOf(actual));
        }
    }

    /** {@code actual >= min}. */
    static void atLeast(long actual, long min) {
        if (actual < min) {
            throw fail(null, "at least " + min, String.valueOf(actual));
        }
    }

    /** {@code actual}, which {@code what} names, has a character other than white space. */
    static void notBlank(String actual, String what) {
        if (actual == null || actual.isBlank()) {
            throw fail(what, "some text", actual == null ? "null" : '"' + actual + '"');
        }
    }

    /**
     * At least one element of {@code actual} passes {@code check}, which states its expectations with
     * this class; when none does, the message gives each element's failure.
     */
    static <T> void anySatisfies(Collection<T> actual, Consumer<? super T> check) {
        List<String> failures = new ArrayList<>();
        for (T element : actual) {
            try {
                check.accept(element);
                return;
            } catch (AssertionError e) {
                failures.add(show(element) + ": " + e.getMessage());
            }
        }
        throw fail(
                null,
                "an element that satisfies the check",
                actual.isEmpty() ? "no elements" : "none of " + actual.size() + " did; " + String.join("; ", failures));
    }

    /** {@code call} throws a {@link NeuronException} with {@code status}. */
    static void status(Status status, Call call) {
        statusIn(call, status);
    }

    /** {@code call} throws a {@link NeuronException} with one of {@code statuses}. */
    static void statusIn(Call call, Status... statuses) {
        List<Status> allowed = List.of(statuses);
        String expected =
                "a NeuronException with status " + (allowed.size() == 1 ? allowed.get(0) : "one of " + allowed);
        Exception thrown = thrownBy(call, expected);
        if (!(thrown instanceof NeuronException e) || !allowed.contains(e.status())) {
            throw failWithCause(expected, thrown);
        }
    }

    /**
     * {@code call} is refused as a programming error in its Java arguments ({@code dev.nrt4j}'s error rule).
     *
     * @param what the call, for the failure message
     */
    static void illegalArgument(String what, Runnable call) {
        try {
            call.run();
        } catch (IllegalArgumentException expected) {
            return;
        } catch (RuntimeException e) {
            throw new AssertionError(
                    what + " threw " + e + "; a Java argument no call could accept is an IllegalArgumentException", e);
        }
        throw new AssertionError(what + " was accepted; it must throw IllegalArgumentException");
    }

    /** {@code call} is refused with an {@link IllegalStateException} because the object it uses was closed. */
    static void closed(Call call) {
        String expected = "an IllegalStateException (the object is closed)";
        Exception thrown = thrownBy(call, expected);
        if (!(thrown instanceof IllegalStateException)) {
            throw failWithCause(expected, thrown);
        }
    }

    /** What {@code call} throws; an {@link Error} is no answer of the API and passes through to the runner. */
    private static Exception thrownBy(Call call, String expected) {
        try {
            call.run();
        } catch (Exception e) {
            return e;
        }
        throw fail(null, expected, "the call returned normally");
    }

    private static AssertionError failWithCause(String expected, Exception thrown) {
        String found = thrown instanceof NeuronException n
                ? "status " + n.status() + ": " + n.getMessage()
                : thrown.getClass().getName() + ": " + thrown.getMessage();
        AssertionError error = fail(null, expected, found);
        error.initCause(thrown);
        return error;
    }

    /** Says how the primitive array {@code actual} differs from {@code expected}, first at index {@code at}. */
    private static AssertionError differ(String type, Object actual, Object expected, int at) {
        int expectedLength = Array.getLength(Objects.requireNonNull(expected, "expected"));
        if (actual == null) {
            return fail(null, type + "[" + expectedLength + "]", "null");
        }
        int actualLength = Array.getLength(actual);
        String where = at < actualLength && at < expectedLength
                ? " differing first at index " + at + ": expected " + Array.get(expected, at) + ", found "
                        + Array.get(actual, at)
                : "; they agree up to index " + at;
        boolean shown = Math.max(actualLength, expectedLength) <= SHOWN_ELEMENTS;
        return fail(
                null,
                type + "[" + expectedLength + "]" + (shown ? " " + show(expected) : ""),
                type + "[" + actualLength + "]" + (shown ? " " + show(actual) : "") + where);
    }

    private static AssertionError fail(String what, String expected, String found) {
        return new AssertionError((what == null ? "" : what + ": ") + "expected " + expected + ", found " + found);
    }

    private static String show(Object value) {
        if (value != null && value.getClass().isArray()) {
            String all = Arrays.deepToString(new Object[] {value});
            return all.substring(1, all.length() - 1);
        }
        return String.valueOf(value);
    }
}
