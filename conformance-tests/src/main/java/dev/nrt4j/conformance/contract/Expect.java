package dev.nrt4j.conformance.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** The expectation most rules share: an operation fails with a given {@link Status}. */
final class Expect {
    private Expect() {
    }

    /** {@code call} throws a {@link NeuronException} with {@code status}. */
    static void status(Status status, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(NeuronException.class,
                e -> assertThat(e.status()).as("status of: %s", e.getMessage()).isEqualTo(status));
    }

    /** {@code call} throws a {@link NeuronException} with one of {@code statuses}. */
    static void statusIn(ThrowingCallable call, Status... statuses) {
        assertThatThrownBy(call).isInstanceOfSatisfying(NeuronException.class,
                e -> assertThat(e.status()).as("status of: %s", e.getMessage()).isIn((Object[]) statuses));
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
            throw new AssertionError(what + " threw " + e + "; a Java argument no call could accept is an IllegalArgumentException", e);
        }
        throw new AssertionError(what + " was accepted; it must throw IllegalArgumentException");
    }

    /** {@code call} is refused because the object it uses was closed. */
    static void closed(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(IllegalStateException.class);
    }
}
