package dev.nrt4j.nativert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.NeuronException;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import dev.nrt4j.nativert.binding.LibNrt;
import dev.nrt4j.neff.NeffFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code nrt_load} accepts and where it puts it: NEFF headers judged exactly as model-formats'
 * {@code NeffHeader} judges them (the same crafted bytes to both), the header's {@code lnc_size}
 * against the runtime's LNC, {@code vnc = -1} as the first free core, and
 * {@code NEURON_RT_EXEC_TIMEOUT} read at load.
 */
class DoubleLoadIT {
    private static final Status OK = Status.SUCCESS;

    @AfterEach
    void nothingLeft() {
        LibnrtDouble.setenv("NEURON_RT_EXEC_TIMEOUT", null);
        LibnrtDouble.assertNothingLeaked();
    }

    private static void onBackend(RuntimeOptions.Builder options, Consumer<LibNrt> body) {
        LibnrtDouble.use();
        NativeRuntime rt = (NativeRuntime) new NativeBackendProvider().open(options.build());
        try {
            body.accept(rt.lib());
        } finally {
            rt.close();
        }
    }

    private static Status loadStatus(LibNrt lib, byte[] neff) {
        try {
            lib.unload(lib.load(neff, -1, -1));
            return OK;
        } catch (NeuronException e) {
            return e.status();
        }
    }

    private static Status readerStatus(byte[] neff, String name) {
        try {
            NeffFile.read(neff, name);
            return OK;
        } catch (NeuronException e) {
            return e.status();
        }
    }

    private static byte[] withLong(byte[] neff, int offset, long value) {
        byte[] b = neff.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(offset, value);
        return b;
    }

    private record Case(String name, byte[] bytes, Status expected) {}

    @Test
    void nrtLoadJudgesHeadersExactlyAsTheNeffReaderDoes() {
        byte[] base = TestNeffs.copy(2);
        long payload = base.length - 1024L;
        byte[] trailing = Arrays.copyOf(base, base.length + 300);
        Arrays.fill(trailing, base.length, trailing.length, (byte) 0x5A);
        Status inv = Status.INVALID;
        Status unsup = Status.UNSUPPORTED_NEFF_VERSION;
        List<Case> cases = new ArrayList<>(List.of(
                new Case("well formed", base, OK),
                new Case("empty file", new byte[0], inv),
                new Case("1023 bytes", Arrays.copyOf(base, 1023), inv),
                new Case("the header alone", Arrays.copyOf(base, 1024), inv),
                new Case("header_size 0", withLong(base, 0x08, 0), inv),
                new Case("header_size 512", withLong(base, 0x08, 512), inv),
                new Case("header_size 2048", withLong(base, 0x08, 2048), inv),
                new Case("header_size 2^32 + 1024", withLong(base, 0x08, (1L << 32) + 1024), inv),
                new Case("data_size one past the file", withLong(base, 0x10, payload + 1), inv),
                new Case("data_size 2^63 (negative as signed)", withLong(base, 0x10, Long.MIN_VALUE), inv),
                new Case("data_size all ones", withLong(base, 0x10, -1L), inv),
                new Case("data_size 0", withLong(base, 0x10, 0), inv),
                new Case("data_size cutting the gzip short", withLong(base, 0x10, payload / 2), inv),
                new Case("pkg_version 1", withLong(base, 0x00, 1), OK),
                new Case("pkg_version 0", withLong(base, 0x00, 0), unsup),
                new Case("pkg_version 3", withLong(base, 0x00, 3), unsup),
                new Case("pkg_version all ones", withLong(base, 0x00, -1L), unsup),
                new Case("major 0", withLong(base, 0x18, 0), OK),
                new Case("major 1", withLong(base, 0x18, 1), OK),
                new Case("major 3", withLong(base, 0x18, 3), unsup),
                new Case("major all ones", withLong(base, 0x18, -1L), unsup),
                new Case("trailing bytes after data_size", trailing, OK),
                // Structural damage is reported before an unknown format.
                new Case("pkg_version 3 and header_size 512", withLong(withLong(base, 0x00, 3), 0x08, 512), inv),
                new Case("pkg_version 3 and data_size 0", withLong(withLong(base, 0x00, 3), 0x10, 0), inv),
                new Case(
                        "major 3 and data_size past the file",
                        withLong(withLong(base, 0x18, 3), 0x10, payload + 1),
                        inv)));
        onBackend(RuntimeOptions.builder(), lib -> {
            for (Case c : cases) {
                Status reader = readerStatus(c.bytes(), c.name());
                Status libnrt = loadStatus(lib, c.bytes());
                assertThat(libnrt)
                        .as("%s: the double agrees with NeffHeader", c.name())
                        .isEqualTo(reader);
                assertThat(libnrt).as("%s", c.name()).isEqualTo(c.expected());
            }
        });
    }

    @Test
    void aNeffForAnotherLncDoesNotLoad() {
        byte[] copy = TestNeffs.copy(1);
        onBackend(RuntimeOptions.builder(), lib -> {
            assertThat(loadStatus(lib, TestNeffs.withLnc(copy, 2))).isEqualTo(OK);
            assertThat(loadStatus(lib, TestNeffs.withLnc(copy, 0)))
                    .as("0: no LNC recorded")
                    .isEqualTo(OK);
            assertThat(loadStatus(lib, TestNeffs.withLnc(copy, 1))).isEqualTo(Status.INVALID);
        });
        onBackend(RuntimeOptions.builder().lnc(1), lib -> {
            assertThat(loadStatus(lib, TestNeffs.withLnc(copy, 1))).isEqualTo(OK);
            assertThat(loadStatus(lib, TestNeffs.withLnc(copy, 2))).isEqualTo(Status.INVALID);
        });
    }

    @Test
    void vncMinusOneIsTheFirstCoreWithoutAModel() {
        byte[] copy = TestNeffs.copy(1);
        onBackend(RuntimeOptions.builder(), lib -> {
            long[] m = new long[4];
            for (int i = 0; i < 4; i++) {
                m[i] = lib.load(copy, -1, -1);
                assertThat(lib.modelVnc(m[i])).hasValue(i);
            }
            lib.unload(m[1]);
            m[1] = lib.load(copy, -1, -1);
            assertThat(lib.modelVnc(m[1])).as("the freed core").hasValue(1);
            long fifth = lib.load(copy, -1, -1);
            assertThat(lib.modelVnc(fifth)).as("every core has a model: core 0").hasValue(0);
            lib.unload(fifth);
            lib.unload(m[1]);
            lib.unload(m[2]);
            long wide = lib.load(TestNeffs.needingCores(2), -1, -1);
            assertThat(lib.modelVnc(wide))
                    .as("the first two neighbouring free cores")
                    .hasValue(1);
            assertThat(lib.modelCoreCount(wide)).isEqualTo(2);
            lib.unload(wide);
            lib.unload(m[0]);
            lib.unload(m[3]);
            long explicit = lib.load(copy, 3, -1);
            assertThat(lib.modelVnc(explicit)).hasValue(3);
            lib.unload(explicit);
            assertThatThrownBy(() -> lib.load(copy, 4, -1))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID));
            assertThatThrownBy(() -> lib.load(copy, -2, -1))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID));
        });
    }

    @Test
    void theExecutionTimeoutIsReadAtLoadAndMustBeWholeSeconds() {
        onBackend(RuntimeOptions.builder(), lib -> {
            for (String bad : new String[] {"abc", "0", "-5", "1.5"}) {
                lib.setenv("NEURON_RT_EXEC_TIMEOUT", bad);
                assertThatThrownBy(() -> lib.load(TestNeffs.copy(1), -1, -1))
                        .as(bad)
                        .isInstanceOfSatisfying(
                                NeuronException.class,
                                e -> assertThat(e.status()).isEqualTo(Status.INVALID));
            }
            lib.setenv("NEURON_RT_EXEC_TIMEOUT", "7");
            lib.unload(lib.load(TestNeffs.copy(1), -1, -1));
        });
    }
}
