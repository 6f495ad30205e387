package dev.nrt4j.npy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nrt4j.HostTensor;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;

import java.io.ByteArrayInputStream;

/**
 * Arbitrary bytes either read as a tensor or fail with {@code NeuronException(INVALID)}; any other
 * exception, an OutOfMemoryError or a hang is a finding. Without {@code JAZZER_FUZZ} this runs once
 * per file in {@code NpyFuzzTestInputs/readAcceptsOrRejectsCleanly/}.
 */
class NpyFuzzTest {

    @FuzzTest(maxDuration = "10m")
    // Header tokens, so mutations build dicts the parser gets past instead of failing at the first byte.
    @DictionaryEntries({"'descr'", "'fortran_order'", "'shape'", "True", "False", "None",
        "'<f4'", "'>f8'", "'|b1'", "'<u2'", "'>i2'", "'?'", "'<c8'", "(2, 3)", "(3,)", "()", ": ", ", ", "}", "L,",
        "9223372036854775807", "-1", "[('x', '<f4')]"})
    void readAcceptsOrRejectsCleanly(byte[] input) {
        HostTensor fromBytes = readOrNull(() -> Npy.read(input));
        // The stream path cannot know the size up front, so it is a separate way to go wrong.
        HostTensor fromStream = readOrNull(() -> Npy.read(new ByteArrayInputStream(input), "fuzz input"));
        if (fromBytes == null) {
            return;
        }
        assertThat(fromStream).isEqualTo(fromBytes);
        assertThat(fromBytes.byteSize()).isEqualTo(fromBytes.shape().byteSize(fromBytes.dtype()));
        // Whatever was read must survive being written and read again unchanged.
        assertThat(Npy.read(Npy.toBytes(fromBytes))).isEqualTo(fromBytes);
    }

    private interface Read {
        HostTensor run();
    }

    private static HostTensor readOrNull(Read read) {
        try {
            return read.run();
        } catch (NeuronException e) {
            assertThat(e.status()).isEqualTo(Status.INVALID);
            assertThat(e.getMessage()).startsWith("read ");
            assertThat(e.getMessage().chars().filter(Character::isISOControl).count())
                    .as(() -> "control characters in: " + e.getMessage().replaceAll("\\p{Cntrl}", "?"))
                    .isZero();
            return null;
        }
    }
}
