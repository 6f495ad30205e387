package dev.nrt4j.conformance.contract;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Each expectation of the kit holds on a matching value and otherwise names what it expected and what it found. */
class ExpectTest {
    private static void holds(ThrowingCallable check) {
        assertThatCode(check).doesNotThrowAnyException();
    }

    /** {@code check} fails with an {@link AssertionError} whose message is exactly {@code message}. */
    private static void failsWith(ThrowingCallable check, String message) {
        assertThatThrownBy(check).isExactlyInstanceOf(AssertionError.class).hasMessage(message);
    }

    @Test
    void integralValuesOfAnyWidthCompareByValue() {
        holds(() -> Expect.equal(4096L, 4096));
        holds(() -> Expect.equal((byte) 3, 3));
        failsWith(() -> Expect.equal(4095L, 4096), "expected 4096, found 4095");
        failsWith(() -> Expect.equal(1, 2, "core ids of device 0"), "core ids of device 0: expected 2, found 1");
    }

    @Test
    void aFloatIsTheSameWhenItsBitsAreWithEveryNanAlike() {
        holds(() -> Expect.equal(1.5f, 1.5f));
        holds(() -> Expect.equal(Float.NaN, Float.NaN));
        holds(() -> Expect.equal(Float.intBitsToFloat(0x7fc00001), Float.NaN));
        failsWith(() -> Expect.equal(-0.0f, 0.0f, "element 3"), "element 3: expected 0.0, found -0.0");
        failsWith(() -> Expect.equal(Float.NaN, 1f), "expected 1.0, found NaN");
        failsWith(() -> Expect.equal(Math.nextUp(1f), 1f), "expected 1.0, found 1.0000001");
    }

    @Test
    void floatArraysCompareElementByElementAsArraysEqualsDoes() {
        holds(() -> Expect.equal(new float[] {1, Float.NaN, -0.0f}, new float[] {1, Float.NaN, -0.0f}));
        failsWith(
                () -> Expect.equal(new float[] {1, -0.0f}, new float[] {1, 0.0f}),
                "expected float[2] [1.0, 0.0], found float[2] [1.0, -0.0] differing first at index 1: expected 0.0, found -0.0");
        failsWith(
                () -> Expect.equal(new float[] {Float.NaN}, new float[] {2}),
                "expected float[1] [2.0], found float[1] [NaN] differing first at index 0: expected 2.0, found NaN");
        failsWith(
                () -> Expect.equal(new float[] {1}, new float[] {1, 2}),
                "expected float[2] [1.0, 2.0], found float[1] [1.0]; they agree up to index 1");
        failsWith(() -> Expect.equal((float[]) null, new float[] {1}), "expected float[1], found null");
    }

    @Test
    void byteArraysCompareByContentAndLongOnesShowTheirFirstDifference() {
        holds(() -> Expect.equal(new byte[] {1, 2}, new byte[] {1, 2}));
        failsWith(
                () -> Expect.equal(new byte[] {1, 5}, new byte[] {1, 2}),
                "expected byte[2] [1, 2], found byte[2] [1, 5] differing first at index 1: expected 2, found 5");
        byte[] found = new byte[4096];
        byte[] expected = new byte[4096];
        expected[4000] = 7;
        failsWith(
                () -> Expect.equal(found, expected),
                "expected byte[4096], found byte[4096] differing first at index 4000: expected 7, found 0");
    }

    @Test
    void objectsCompareByEqualsAndArraysInsideThemByContent() {
        holds(() -> Expect.equal(List.of(0, 1), List.of(0, 1)));
        holds(() -> Expect.equal(new int[] {1, 2}, new int[] {1, 2}));
        holds(() -> Expect.equal(new Object[] {new int[] {1}}, new Object[] {new int[] {1}}));
        failsWith(() -> Expect.equal(List.of(1, 0), List.of(0, 1)), "expected [0, 1], found [1, 0]");
        failsWith(
                () -> Expect.equal(new Object[] {new int[] {2}}, new Object[] {new int[] {1}}),
                "expected [[1]], found [[2]]");
        failsWith(
                () -> Expect.equal("CLAIMED", "RESOURCE", "what another process got"),
                "what another process got: expected RESOURCE, found CLAIMED");
        failsWith(() -> Expect.equal(Status.INVALID, Status.RESOURCE), "expected RESOURCE, found INVALID");
    }

    @Test
    void sameAsksForTheVeryInstance() {
        List<Integer> one = new ArrayList<>(List.of(1));
        holds(() -> Expect.same(one, one));
        failsWith(() -> Expect.same(new ArrayList<>(one), one), "expected the same instance as [1], found [1]");
    }

    @Test
    void truthChecksSayWhatTheyChecked() {
        holds(() -> Expect.isTrue(true, "isOpen()"));
        holds(() -> Expect.isFalse(false, "isOpen()"));
        failsWith(() -> Expect.isTrue(false, "isAvailable()"), "isAvailable(): expected true, found false");
        failsWith(
                () -> Expect.isFalse(true, "isOpen() of the closed tensor"),
                "isOpen() of the closed tensor: expected false, found true");
    }

    @Test
    void collectionChecksShowTheCollection() {
        holds(() -> Expect.empty(List.of()));
        holds(() -> Expect.notEmpty(List.of(1)));
        holds(() -> Expect.size(List.of(1, 2), 2));
        holds(() -> Expect.contains(List.of(1, 2), 2));
        holds(() -> Expect.doesNotContain(List.of(1, 2), 0));
        failsWith(() -> Expect.empty(List.of("tensor a")), "expected no elements, found 1 element(s): [tensor a]");
        failsWith(() -> Expect.notEmpty(List.of()), "expected at least one element, found none");
        failsWith(() -> Expect.size(List.of(1), 2), "expected 2 element(s), found 1: [1]");
        failsWith(
                () -> Expect.contains(List.of(1), 0, "links of device 1"),
                "links of device 1: expected to hold 0, found [1]");
        failsWith(() -> Expect.doesNotContain(List.of(0, 1), 0), "expected not to hold 0, found [0, 1]");
    }

    @Test
    void zerosAsksForAtLeastOneByteAndAllOfThemZero() {
        holds(() -> Expect.zeros(new byte[16]));
        byte[] dirty = new byte[16];
        dirty[9] = -3;
        failsWith(() -> Expect.zeros(dirty), "expected all 16 bytes zero, found -3 at index 9");
        failsWith(() -> Expect.zeros(new byte[0]), "expected zeros, found no bytes");
    }

    @Test
    void rangeChecksAreInclusive() {
        holds(() -> Expect.oneOf(Status.CLOSED, List.of(Status.TIMEOUT, Status.CLOSED)));
        holds(() -> Expect.between(0, 0, 3));
        holds(() -> Expect.between(3, 0, 3));
        holds(() -> Expect.atLeast(2, 2));
        holds(() -> Expect.notBlank("2.21", "version"));
        failsWith(
                () -> Expect.oneOf(Status.FAILURE, List.of(Status.TIMEOUT, Status.CLOSED), "how it ended"),
                "how it ended: expected one of [TIMEOUT, CLOSED], found FAILURE");
        failsWith(
                () -> Expect.between(4, 0, 3, "device of core 5"),
                "device of core 5: expected between 0 and 3, found 4");
        failsWith(() -> Expect.between(-1, 0, 3), "expected between 0 and 3, found -1");
        failsWith(() -> Expect.atLeast(1, 2), "expected at least 2, found 1");
        failsWith(() -> Expect.notBlank(" ", "version"), "version: expected some text, found \" \"");
        failsWith(() -> Expect.notBlank(null, "version"), "version: expected some text, found null");
    }

    @Test
    void anySatisfiesPassesOnOneMatchAndOtherwiseGivesEachFailure() {
        holds(() -> Expect.anySatisfies(List.of("java", "reference"), s -> Expect.equal(s, "reference", "name")));
        failsWith(
                () -> Expect.anySatisfies(List.of("java", "native"), s -> Expect.equal(s, "reference", "name")),
                "expected an element that satisfies the check, found none of 2 did; "
                        + "java: name: expected reference, found java; native: name: expected reference, found native");
        failsWith(
                () -> Expect.anySatisfies(List.of(), s -> {}),
                "expected an element that satisfies the check, found no elements");
    }

    @Test
    void statusAsksForANeuronExceptionWithTheStatus() {
        NeuronException resource = new NeuronException(Status.RESOURCE, "allocate", "no room");
        holds(() -> Expect.status(Status.RESOURCE, () -> {
            throw resource;
        }));
        holds(() -> Expect.statusIn(
                () -> {
                    throw resource;
                },
                Status.INVALID,
                Status.RESOURCE));
        failsWith(
                () -> Expect.status(Status.INVALID, () -> {
                    throw resource;
                }),
                "expected a NeuronException with status INVALID, found status RESOURCE: " + resource.getMessage());
        failsWith(
                () -> Expect.statusIn(
                        () -> {
                            throw resource;
                        },
                        Status.INVALID,
                        Status.CLOSED),
                "expected a NeuronException with status one of [INVALID, CLOSED], found status RESOURCE: "
                        + resource.getMessage());
        failsWith(
                () -> Expect.status(Status.INVALID, () -> {}),
                "expected a NeuronException with status INVALID, found the call returned normally");
        IllegalArgumentException other = new IllegalArgumentException("bad offset");
        assertThatThrownBy(() -> Expect.status(Status.INVALID, () -> {
                    throw other;
                }))
                .isExactlyInstanceOf(AssertionError.class)
                .hasMessage(
                        "expected a NeuronException with status INVALID, found java.lang.IllegalArgumentException: bad offset")
                .hasCause(other);
    }

    @Test
    void closedAsksForAnIllegalStateException() {
        holds(() -> Expect.closed(() -> {
            throw new IllegalStateException("tensor is closed");
        }));
        failsWith(
                () -> Expect.closed(() -> {}),
                "expected an IllegalStateException (the object is closed), found the call returned normally");
        failsWith(
                () -> Expect.closed(() -> {
                    throw new NeuronException(Status.CLOSED, "read", "gone");
                }),
                "expected an IllegalStateException (the object is closed), found status CLOSED: "
                        + new NeuronException(Status.CLOSED, "read", "gone").getMessage());
    }

    @Test
    void anErrorFromTheCallIsNoAnswerAndReachesTheRunner() {
        StackOverflowError error = new StackOverflowError();
        assertThatThrownBy(() -> Expect.status(Status.INVALID, () -> {
                    throw error;
                }))
                .isSameAs(error);
    }
}
