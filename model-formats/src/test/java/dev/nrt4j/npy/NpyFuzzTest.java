package dev.nrt4j.npy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
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
    @DictionaryEntries({
        "'descr'",
        "'fortran_order'",
        "'shape'",
        "True",
        "False",
        "None",
        "'<f4'",
        "'>f8'",
        "'|b1'",
        "'<u2'",
        "'>i2'",
        "'?'",
        "'<c8'",
        "(2, 3)",
        "(3,)",
        "()",
        ": ",
        ", ",
        "}",
        "L,",
        "9223372036854775807",
        "-1",
        "[('x', '<f4')]"
    })
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

    /**
     * Well-formed headers of every kind with fuzzed dimensions and payload, checked against a plain
     * element-by-element model of byte swapping and Fortran-to-C reordering: a payload of exactly the
     * described size must read to the modelled bytes, any other size must be refused.
     */
    @FuzzTest(maxDuration = "10m")
    void wellFormedHeadersReadAsTheFormatSays(FuzzedDataProvider data) {
        String[] bodies = {"f2", "f4", "f8", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "b1"};
        String body = data.pickValue(bodies);
        int size = body.equals("b1") ? 1 : body.charAt(1) - '0';
        boolean big = data.consumeBoolean();
        boolean fortran = data.consumeBoolean();
        int major = data.consumeInt(1, 3);
        long[] dims = new long[data.consumeInt(0, 5)];
        long n = 1;
        StringBuilder shape = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            dims[i] = data.consumeInt(0, 6);
            n *= dims[i];
            shape.append(dims[i]).append(dims.length == 1 ? "," : i + 1 < dims.length ? ", " : "");
        }
        shape.append(')');
        byte[] payload = data.consumeRemainingAsBytes();
        String descr = (big ? ">" : "<") + body;
        byte[] file = HandMadeNpy.file(major, HandMadeNpy.header(descr, fortran, shape.toString()), 64, payload);

        if (payload.length != n * size) {
            assertThat(readOrNull(() -> Npy.read(file)))
                    .as("%s%s with %d bytes", descr, shape, payload.length)
                    .isNull();
            return;
        }
        HostTensor t = Npy.read(file);
        byte[] expected = new byte[payload.length];
        int[] index = new int[dims.length];
        for (int c = 0; c < n; c++) {
            // Where element c (in C order) sits in the file: the same place, or its column-major offset.
            long from = c;
            if (fortran) {
                from = 0;
                long stride = 1;
                for (int k = 0; k < dims.length; k++) {
                    from += index[k] * stride;
                    stride *= dims[k];
                }
            }
            for (int b = 0; b < size; b++) {
                byte v = payload[(int) from * size + (big ? size - 1 - b : b)];
                expected[c * size + b] = body.equals("b1") && v != 0 ? 1 : v;
            }
            for (int k = dims.length - 1; k >= 0 && ++index[k] == dims[k]; k--) {
                index[k] = 0;
            }
        }
        assertThat(t.toByteArray()).as("%s%s", descr, shape).isEqualTo(expected);
        assertThat(t.shape().dims()).containsExactly(dims);
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
