package dev.nrt4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.testbackend.MemoryBackend;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TensorTest extends OnTheMemoryBackend {
    private static final Pattern REGION = Pattern.compile("bytes \\[(-?\\d+), (-?\\d+)\\)");

    private static void assertInvalid(ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID));
    }

    @Test
    void aNewTensorIsZeroedAndDescribesItself() {
        try (Tensor t = rt.allocate("x", 12, 1);
                Tensor h = rt.allocateHost("h", 5)) {
            assertThat(t.readBytes()).containsOnly(0).hasSize(12);
            assertThat(t.name()).isEqualTo("x");
            assertThat(t.size()).isEqualTo(12);
            assertThat(t.core()).isEqualTo(1);
            assertThat(t.placement()).isEqualTo(TensorPlacement.DEVICE);
            assertThat(t.isOpen()).isTrue();
            assertThat(h.placement()).isEqualTo(TensorPlacement.HOST);
            assertThat(h.core()).isEqualTo(-1);
            assertThat(backend.usedBytes(1)).isEqualTo(12);
            assertThat(backend.hostUsedBytes()).isEqualTo(5);
        }
        assertThat(backend.totalUsedBytes()).isZero();
    }

    @Test
    void typedArraysRoundTripLittleEndian() {
        try (Tensor t = rt.allocate("t", 16, 0)) {
            byte[] bytes = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
            t.write(bytes);
            assertThat(t.readBytes()).containsExactly(bytes);
            assertThat(t.readInts()[0]).isEqualTo(0x04030201);

            float[] floats = {1.5f, -0f, Float.NaN, Float.MIN_VALUE};
            t.write(floats);
            assertThat(t.readFloats()).containsExactly(floats);
            assertThat(Float.floatToRawIntBits(t.readFloats()[1])).isEqualTo(Float.floatToRawIntBits(-0f));

            int[] ints = {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE};
            t.write(ints);
            assertThat(t.readInts()).containsExactly(ints);

            long[] longs = {Long.MIN_VALUE, 0x0102030405060708L};
            t.write(longs);
            assertThat(t.readLongs()).containsExactly(longs);
            assertThat(t.readBytes()[8]).isEqualTo((byte) 0x08);
        }
    }

    @Test
    void aShorterArrayOverwritesOnlyThePrefix() {
        try (Tensor t = rt.allocate("t", 16, 0)) {
            t.fill((byte) 7);
            t.write(new int[] {1});
            assertThat(t.readInts()).containsExactly(1, 0x07070707, 0x07070707, 0x07070707);
        }
    }

    @Test
    void hostTensorsRoundTripWithTypeAndShape() {
        HostTensor x = HostTensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        try (Tensor t = rt.allocate("t", 24, 0)) {
            t.write(x);
            HostTensor back = t.read(DType.FLOAT32, Shape.of(2, 3));
            assertThat(back).isEqualTo(x);
            assertThat(back.dtype()).isEqualTo(DType.FLOAT32);
            assertThat(t.read(DType.INT32, Shape.of(6)).toIntArray()[0]).isEqualTo(Float.floatToIntBits(1f));
        }
    }

    @Test
    void hostTensorAndTypedReadSizesMustMatchExactly() {
        try (Tensor t = rt.allocate("t", 24, 0)) {
            assertInvalid(() -> t.write(HostTensor.of(new float[] {1, 2}, 2)));
            assertInvalid(() -> t.write(HostTensor.of(new float[7], 7)));
            assertInvalid(() -> t.read(DType.FLOAT32, Shape.of(5)));
            assertInvalid(() -> t.read(DType.FLOAT64, Shape.of(4)));
            assertThatThrownBy(() -> t.read(DType.FLOAT32, Shape.of(2, 2)))
                    .hasMessageContaining("'t'")
                    .hasMessageContaining("24");
        }
    }

    @Test
    void typedReadsNeedAWholeNumberOfElements() {
        try (Tensor six = rt.allocate("six", 6, 0);
                Tensor twelve = rt.allocate("twelve", 12, 0)) {
            assertInvalid(six::readFloats);
            assertInvalid(six::readInts);
            assertInvalid(twelve::readLongs);
            assertThat(six.readBytes()).hasSize(6);
            assertThat(twelve.readFloats()).hasSize(3);
        }
    }

    @Test
    void byteBuffersUseTheirPositionAndLimitAndAdvance() {
        try (Tensor t = rt.allocate("t", 32, 0)) {
            for (boolean direct : new boolean[] {false, true}) {
                t.fill((byte) 0);
                ByteBuffer src = direct ? ByteBuffer.allocateDirect(20) : ByteBuffer.allocate(20);
                for (int i = 0; i < 20; i++) {
                    src.put(i, (byte) (100 + i));
                }
                src.position(3).limit(11);

                t.write(5, src);

                assertThat(src.position()).isEqualTo(11);
                byte[] all = t.readBytes();
                for (int i = 0; i < 32; i++) {
                    byte expected = i >= 5 && i < 13 ? (byte) (103 + i - 5) : 0;
                    assertThat(all[i]).as("byte %d, direct=%s", i, direct).isEqualTo(expected);
                }
                ByteBuffer dst = direct ? ByteBuffer.allocateDirect(16) : ByteBuffer.allocate(16);
                dst.position(2).limit(6);
                t.read(6, dst);
                assertThat(dst.position()).isEqualTo(6);
                assertThat(new byte[] {dst.get(2), dst.get(3), dst.get(4), dst.get(5)})
                        .containsExactly(104, 105, 106, 107);
                assertThat(dst.get(0)).isZero();
                assertThat(dst.limit(16).get(6))
                        .as("past the limit is untouched")
                        .isZero();
            }
        }
    }

    @Test
    void aReadOnlyBufferAndTheWholeTensorFromOffsetZero() {
        try (Tensor t = rt.allocate("t", 8, 0)) {
            t.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 42L));
            ByteBuffer whole = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            t.read(whole);
            assertThat(whole.getLong(0)).isEqualTo(42L);
            assertThatThrownBy(() -> t.read(ByteBuffer.allocate(8).asReadOnlyBuffer()))
                    .isInstanceOf(IllegalArgumentException.class);
            // Writing from a read-only buffer is fine: it is only read.
            t.write(ByteBuffer.wrap(new byte[8]).asReadOnlyBuffer());
            assertThat(t.readLongs()).containsExactly(0L);
        }
    }

    @ParameterizedTest(name = "[{0}, +{1}) of 16 bytes: ok={2}")
    @CsvSource({
        "0, 16, true",
        "16, 0, true",
        "0, 0, true",
        "15, 1, true",
        "15, 2, false",
        "16, 1, false",
        "17, 0, false",
        "-1, 1, false",
        "-1, 0, false",
        "0, -1, false",
        "1, 9223372036854775807, false",
        "8, 9223372036854775803, false",
        "9223372036854775807, 1, false",
        "9223372036854775807, 0, false",
        "-9223372036854775808, 16, false",
    })
    void everyRegionIsCheckedAgainstTheSize(long offset, long length, boolean ok) {
        try (Tensor t = rt.allocate("t", 16, 0);
                Tensor other = rt.allocate("other", 16, 0)) {
            t.fill((byte) 1);
            List<ThrowingCallable> calls = new ArrayList<>();
            calls.add(() -> t.fill(offset, length, (byte) 9));
            calls.add(() -> t.copyTo(offset, other, 0, length));
            calls.add(() -> other.copyTo(0, t, offset, length));
            if (length >= 0 && length <= 64) {
                calls.add(() -> t.read(offset, ByteBuffer.allocate((int) length)));
                calls.add(() -> t.write(offset, ByteBuffer.allocate((int) length)));
            }
            for (ThrowingCallable call : calls) {
                if (ok) {
                    assertThatCode(call).doesNotThrowAnyException();
                } else if (offset < 0 || length < 0) {
                    // A negative number is the calling code's mistake, whatever the tensor: not a status.
                    assertThatThrownBy(call)
                            .isInstanceOf(IllegalArgumentException.class)
                            .hasMessageContaining("0 or more");
                } else {
                    assertThatThrownBy(call).isInstanceOfSatisfying(NeuronException.class, e -> {
                        assertThat(e.status()).isEqualTo(Status.INVALID);
                        assertThat(e.getMessage()).contains("16 bytes");
                        // The region's end is its start plus the length, never wrapped past Long.MAX_VALUE.
                        Matcher region = REGION.matcher(e.getMessage());
                        assertThat(region.find()).as(e.getMessage()).isTrue();
                        assertThat(new BigInteger(region.group(2)).subtract(new BigInteger(region.group(1))))
                                .as(e.getMessage())
                                .isEqualTo(BigInteger.valueOf(length));
                    });
                }
            }
            if (!ok) {
                assertThat(t.readBytes())
                        .as("a rejected call must not touch the data")
                        .containsOnly(1);
            }
        }
    }

    @Test
    void fillSetsExactlyTheRegion() {
        try (Tensor t = rt.allocate("t", 8, 0)) {
            t.fill(2, 3, (byte) -1);
            assertThat(t.readBytes()).containsExactly(0, 0, -1, -1, -1, 0, 0, 0);
            t.fill((byte) 5);
            assertThat(t.readBytes()).containsOnly(5);
        }
    }

    @Test
    void copiesWithinACoreAndBetweenHostAndDevice() {
        try (Tensor a = rt.allocate("a", 16, 0);
                Tensor b = rt.allocate("b", 32, 0);
                Tensor host = rt.allocateHost("host", 16);
                Tensor c = rt.allocate("c", 16, 1)) {
            a.write(new int[] {1, 2, 3, 4});
            a.copyTo(b);
            assertThat(b.readInts()).containsExactly(1, 2, 3, 4, 0, 0, 0, 0);
            a.copyTo(4, b, 20, 8);
            assertThat(b.readInts()).containsExactly(1, 2, 3, 4, 0, 2, 3, 0);
            a.copyTo(host);
            host.copyTo(c);
            assertThat(c.readInts()).containsExactly(1, 2, 3, 4);
            a.copyTo(0, a, 4, 12);
            assertThat(a.readInts()).as("overlapping copy within one tensor").containsExactly(1, 1, 2, 3);
        }
    }

    @Test
    void copyRefusalsAreInvalid() {
        try (Tensor a = rt.allocate("a", 16, 0);
                Tensor small = rt.allocate("small", 8, 0);
                Tensor otherCore = rt.allocate("otherCore", 16, 1);
                NeuronRuntime rt2 = TestRuntimes.memory();
                Tensor foreign = rt2.allocate("foreign", 16, 0)) {
            assertInvalid(() -> a.copyTo(small));
            assertInvalid(() -> a.copyTo(otherCore));
            assertThatThrownBy(() -> a.copyTo(foreign))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                    .hasMessageContaining("another runtime");
            assertInvalid(() -> foreign.copyTo(a));
            assertThat(foreign.readBytes()).containsOnly(0);
        }
    }

    @Test
    void allocationPastACoresCapacityIsResourceAndFreeingGivesItBack() {
        Tensor full = rt.allocate("full", MemoryBackend.CORE_MEMORY, 0);
        assertThatThrownBy(() -> rt.allocate("one more", 1, 0))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.RESOURCE));
        try (Tensor elsewhere = rt.allocate("elsewhere", MemoryBackend.CORE_MEMORY, 1)) {
            assertThat(elsewhere.size()).isEqualTo(MemoryBackend.CORE_MEMORY);
        }
        full.close();
        assertThat(backend.usedBytes(0)).isZero();
        try (Tensor again = rt.allocate("again", MemoryBackend.CORE_MEMORY, 0)) {
            assertThat(again.readBytes()).as("fresh memory is zeroed").containsOnly(0);
        }
        assertThat(rt.openResources()).isEmpty();
    }

    @Test
    void aCoreTheRuntimeLacksIsInvalidAndANegativeSizeIllegal() {
        assertInvalid(() -> rt.allocate(16, 2));
        assertInvalid(() -> rt.allocate(16, -1));
        assertThatThrownBy(() -> rt.allocate(-1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> rt.allocateHost("h", -5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rt.allocate(16, 7)).hasMessageContaining("cores 0-1");
        try (Tensor empty = rt.allocate(0, 0)) {
            assertThat(empty.readBytes()).isEmpty();
            assertThat(empty.readFloats()).isEmpty();
            empty.fill((byte) 1);
        }
        assertThat(rt.openResources()).isEmpty();
    }

    @Test
    void everyCallAfterCloseIsIllegalStateAndCloseIsIdempotent() {
        Tensor t = rt.allocate("gone", 16, 0);
        Tensor other = rt.allocate("other", 16, 0);
        t.close();
        t.close();

        assertThat(t.isOpen()).isFalse();
        assertThat(t.toString()).contains("'gone'").endsWith("[closed]");
        assertThat(t.size()).isEqualTo(16);
        List<ThrowingCallable> calls = List.of(
                t::readBytes,
                t::readFloats,
                t::readInts,
                t::readLongs,
                () -> t.read(DType.INT32, Shape.of(4)),
                () -> t.read(ByteBuffer.allocate(4)),
                () -> t.write(new byte[4]),
                () -> t.write(new float[1]),
                () -> t.write(new int[1]),
                () -> t.write(new long[1]),
                () -> t.write(HostTensor.of(new int[4], 4)),
                () -> t.write(ByteBuffer.allocate(4)),
                () -> t.fill((byte) 1),
                () -> t.copyTo(other),
                () -> other.copyTo(t));
        for (ThrowingCallable call : calls) {
            assertThatThrownBy(call).isInstanceOf(IllegalStateException.class).hasMessageContaining("'gone'");
        }
        // A rejected copy must not leave the open tensor half-entered: it can still be closed.
        other.close();
        assertThat(backend.totalUsedBytes()).isZero();
    }

    @Test
    void closeFromManyThreadsFreesOnce() throws Exception {
        for (int round = 0; round < 20; round++) {
            Tensor t = rt.allocate("t" + round, 64, 0);
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                done.add(pool.submit(() -> {
                    start.await();
                    t.close();
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(10, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(t.isOpen()).isFalse();
        }
        // A double free would have been recorded by the backend (ContractCheck).
        assertThat(backend.liveTensorCount()).isZero();
    }

    @Test
    void readersRacingAcloseSeeWholeDataOrIllegalStateNothingElse() throws Exception {
        int readers = 8;
        int size = 64 * 1024;
        byte[] pattern = new byte[size];
        for (int i = 0; i < size; i++) {
            pattern[i] = (byte) (i * 31 + 7);
        }
        for (int round = 0; round < 5; round++) {
            Tensor t = rt.allocate("shared", size, round % 2);
            t.write(pattern);
            CountDownLatch eachReadOnce = new CountDownLatch(readers);
            ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
            AtomicLong goodReads = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(readers);
            List<Future<?>> done = new ArrayList<>();
            for (int r = 0; r < readers; r++) {
                boolean direct = r % 2 == 0;
                done.add(pool.submit(() -> {
                    ByteBuffer buf = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
                    byte[] seen = new byte[size];
                    boolean counted = false;
                    while (true) {
                        try {
                            buf.clear();
                            t.read(0, buf);
                            buf.flip().get(seen);
                            if (!Arrays.equals(seen, pattern)) {
                                unexpected.add(new AssertionError("corrupt read"));
                                return;
                            }
                            goodReads.incrementAndGet();
                        } catch (IllegalStateException closed) {
                            return;
                        } catch (Throwable other) {
                            unexpected.add(other);
                            return;
                        } finally {
                            if (!counted) {
                                counted = true;
                                eachReadOnce.countDown();
                            }
                        }
                    }
                }));
            }
            assertThat(eachReadOnce.await(10, TimeUnit.SECONDS)).isTrue();
            t.close();
            for (Future<?> f : done) {
                f.get(10, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(unexpected).isEmpty();
            assertThat(goodReads.get()).isGreaterThanOrEqualTo(readers);
            assertThat(backend.totalUsedBytes()).isZero();
        }
    }
}
