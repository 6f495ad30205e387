package dev.nrt4j.npy;

import static dev.nrt4j.npy.HandMadeNpy.file;
import static dev.nrt4j.npy.HandMadeNpy.floats;
import static dev.nrt4j.npy.HandMadeNpy.header;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class NpyBadInputTest {
    private static final byte[] VALID = file(header("<f4", false, "(2, 3)"), floats(LITTLE_ENDIAN, 1, 2, 3, 4, 5, 6));

    /** The exception {@code read} throws, checked to be INVALID from a read. */
    static NeuronException failure(Runnable read) {
        Throwable t = catchThrowable(read::run);
        assertThat(t).isInstanceOf(NeuronException.class);
        NeuronException e = (NeuronException) t;
        assertThat(e.status()).isEqualTo(Status.INVALID);
        assertThat(e.operation()).startsWith("read ");
        return e;
    }

    private static NeuronException failure(byte[] file) {
        NeuronException fromBytes = failure(() -> Npy.read(file));
        NeuronException fromStream = failure(() -> Npy.read(new ByteArrayInputStream(file), "s.npy"));
        assertThat(fromStream.operation()).isEqualTo("read s.npy");
        return fromBytes;
    }

    private static String withHeader(String header) {
        return failure(file(header, new byte[24])).getMessage();
    }

    @Test
    void truncatedAtEveryByteFailsNamingTheTruncation() {
        assertThat(Npy.read(VALID).toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
        for (int length = 0; length < VALID.length; length++) {
            byte[] cut = Arrays.copyOf(VALID, length);
            NeuronException e = failure(cut);
            NeuronException streamed = failure(() -> Npy.read(new ByteArrayInputStream(cut), "cut.npy"));
            assertThat(e.getMessage()).as("cut at %d", length).containsAnyOf("truncated", "not a .npy file");
            assertThat(streamed.getMessage())
                    .as("streamed, cut at %d", length)
                    .containsAnyOf("truncated", "not a .npy file");
        }
    }

    @Test
    void truncatedFileOnDiskFailsBeforeReadingData(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("cut.npy");
        Files.write(p, Arrays.copyOf(VALID, VALID.length - 1));

        assertThat(failure(() -> Npy.read(p)).getMessage())
                .startsWith("read " + p + " failed [INVALID]: ")
                .contains("needs 24 data bytes but only 23 follow the header", "truncated");
    }

    @Test
    void missingFileIsInvalidAndNamesThePath(@TempDir Path dir) {
        Path p = dir.resolve("nope.npy");

        assertThat(failure(() -> Npy.read(p)).getMessage()).contains(p.toString(), "no such file");
    }

    @Test
    void headerClaimingMoreDataThanPresent() {
        byte[] f = file(header("<f8", false, "(1000,)"), new byte[80]);

        assertThat(failure(f).getMessage()).contains("8000", "truncated");
        assertThat(failure(() -> Npy.read(f)).getMessage()).contains("needs 8000 data bytes but only 80 follow");
    }

    @Test
    void fileWithMoreDataThanTheHeaderDescribes() {
        byte[] f = file(header("<f4", false, "(2,)"), new byte[12]);

        assertThat(failure(() -> Npy.read(f)).getMessage()).contains("12 bytes follow the header", "needs 8");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "(1099511627776, 1099511627776)",
                "(4611686018427387904, 4)",
                "(2147483648,)",
                "(65536, 65536)",
                "(9223372036854775807,)",
                "(3037000500, 3037000500, 0)"
            })
    void absurdShapesFailFastWithoutAllocating(String shape) {
        byte[] f = file(header("<f4", false, shape), new byte[16]);
        long before = allocatedBytes();

        NeuronException fromBytes = failure(() -> Npy.read(f));
        NeuronException fromStream = failure(() -> Npy.read(new ByteArrayInputStream(f), "s.npy"));

        assertThat(allocatedBytes() - before)
                .as("bytes allocated while failing")
                .isLessThan(16L << 20);
        for (NeuronException e : new NeuronException[] {fromBytes, fromStream}) {
            assertThat(e.getMessage()).containsAnyOf("2^63 bytes", "at most 2147483647 bytes", "truncated");
        }
    }

    @Test
    void streamWithAHugeButHoldableClaimAllocatesOnlyWhatArrives() {
        // 2 GB - 4 claimed, 100 bytes present: a reader that trusts the header allocates 2 GB first.
        byte[] f = file(header("|u1", false, "(2147483643,)"), new byte[100]);
        long before = allocatedBytes();

        NeuronException e = failure(() -> Npy.read(new ByteArrayInputStream(f), "huge.npy"));

        assertThat(allocatedBytes() - before).isLessThan(16L << 20);
        assertThat(e.getMessage()).contains("ends after", "truncated");
    }

    @Test
    void dataTooLargeForAHostTensorNamesTheLimit() {
        assertThat(failure(file(header("<f4", false, "(536870912,)"), new byte[8]))
                        .getMessage())
                .contains("2147483648 bytes", "at most 2147483647");
    }

    @Test
    void negativeDimension() {
        assertThat(withHeader(header("<f4", false, "(2, -3)"))).contains("dimension 1", "negative");
    }

    @Test
    void tooManyDimensions() {
        String shape = "(" + "1, ".repeat(65) + ")";

        assertThat(withHeader(header("<f4", false, shape))).contains("65 dimensions", "at most 64");
    }

    @Test
    void integerBeyond64Bits() {
        assertThat(withHeader(header("<f4", false, "(99999999999999999999,)"))).contains("does not fit in 64 bits");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "NUMPY\u0001\u0000 | not a .npy file",
                "\u0093NUMPX | not a .npy file",
                "GIF89a | 47 49 46 38 39 61"
            })
    void badMagic(String start, String expected) {
        byte[] f = VALID.clone();
        byte[] s = start.strip().getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(s, 0, f, 0, s.length);

        assertThat(failure(f).getMessage()).contains(expected.strip());
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1, 1", "4, 0", "255, 0"})
    void badVersion(int major, int minor) {
        byte[] f = VALID.clone();
        f[6] = (byte) major;
        f[7] = (byte) minor;

        assertThat(failure(f).getMessage()).contains("format version " + major + "." + minor, "1.0, 2.0 and 3.0");
    }

    @Test
    void headerLengthPastEndOfFile() {
        byte[] f = Arrays.copyOf(VALID, 40);
        f[8] = (byte) 0xF0;
        f[9] = (byte) 0x7F;

        assertThat(failure(() -> Npy.read(f)).getMessage()).contains("32752 bytes long but only 30 bytes follow");
        assertThat(failure(() -> Npy.read(new ByteArrayInputStream(f), "s")).getMessage())
                .contains("truncated");
    }

    @Test
    void headerLengthBeyondTheLimitIsRefusedUnread() {
        byte[] f = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, '{'
        };
        long before = allocatedBytes();

        assertThat(failure(f).getMessage()).contains("4294967295 bytes long", "refused");
        assertThat(allocatedBytes() - before).isLessThan(16L << 20);
    }

    @ParameterizedTest
    @ValueSource(strings = {"['descr', '<f4']", "'<f4'", "(1, 2)", "None", "42"})
    void headerThatIsNotADict(String header) {
        assertThat(withHeader(header)).contains("the header must be a dict");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "{'descr': '<f4', 'fortran_order': False}                   | no 'shape' key",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1} | unexpected key 'x'",
                "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (6,)} | appears twice",
                "{'descr': '<f4', 'fortran_order': 0, 'shape': (6,)}          | 'fortran_order' must be True or False",
                "{'descr': '<f4', 'fortran_order': False, 'shape': [6]}       | 'shape' must be a tuple",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (6)}       | not a tuple",
                "{'descr': '<f4', 'fortran_order': False, 'shape': 6}         | 'shape' must be a tuple",
                "{'descr': '<f4', 'fortran_order': False, 'shape': ('6',)}    | not an integer",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (6.0,)}    | only plain decimal integers",
                "{'descr': 4, 'fortran_order': False, 'shape': (6,)}          | 'descr' must be a type string",
                "{'descr': '<f4', 'fortran_order': false, 'shape': (6,)}      | 'false' is not a literal",
                "{'descr': '<f4' 'fortran_order': False, 'shape': (6,)}       | expected ',' or '}'",
                "{'descr': '<f4, 'fortran_order': False, 'shape': (6,)}       | expected ',' or '}'",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (6,)}}     | after the literal",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (6,)       | never closed"
            })
    void malformedHeaderDict(String header, String expected) {
        assertThat(withHeader(header.strip())).contains(expected.strip());
    }

    @Test
    void controlCharactersFromTheFileAreEscapedInMessages() {
        String message = withHeader("{'descr': '\u001b[31m<f4\u0000', 'fortran_order': False, 'shape': (6,)}");

        assertThat(message).contains("'\\x1b[31m<f4\\x00'");
        assertThat(message.chars().filter(Character::isISOControl)).isEmpty();
    }

    @Test
    void unclosedStringAndDeepNesting() {
        assertThat(withHeader("{'descr': '<f4}")).contains("string starting here is never closed");
        assertThat(withHeader("(".repeat(5000))).contains("nesting deeper than 32");
    }

    @Test
    void invalidUtf8InVersion3Header() {
        byte[] f = file(3, header("<f4", false, "(6,)"), 64, new byte[24]);
        f[12 + 2] = (byte) 0xC3; // inside 'descr', a lead byte followed by an ASCII byte

        assertThat(failure(f).getMessage()).contains("not valid UTF-8");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            quoteCharacter = '"',
            value = {
                "<c8 ; complex numbers",
                "<c16 ; complex numbers",
                "O ; Python objects",
                "|O ; Python objects",
                "<U3 ; unicode strings",
                "|S5 ; byte strings",
                "|V8 ; raw void records",
                "<M8[ns] ; datetimes",
                "<m8[s] ; timedeltas",
                "<f16 ; 16-byte floats",
                "<i16 ; 16-byte integers",
                "b ; not supported",
                "|f4 ; '|' (byte order not applicable)",
                " ; not supported"
            })
    void unsupportedDescrNamesItAndWhatIsSupported(String descr, String kind) {
        String d = descr == null ? "" : descr.strip();

        String message = withHeader(header(d, false, "(6,)"));

        assertThat(message).contains("'" + d + "'", kind.strip());
        if (!d.equals("|f4")) {
            assertThat(message).contains("supported: '<f2' '<f4'");
        }
    }

    @Test
    void structuredDtypeIsNamedAsSuch() {
        assertThat(withHeader("{'descr': [('x', '<f4'), ('y', '<i2')], 'fortran_order': False, 'shape': (2,)}"))
                .contains("structured dtype", "[('x', '<f4'), ('y', '<i2')]", "supported: ");
    }

    @Test
    void streamThatFailsIsInvalidWithTheCause() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk on fire");
            }
        };

        NeuronException e = failure(() -> Npy.read(broken, "broken.npy"));

        assertThat(e.getMessage()).contains("disk on fire");
        assertThat(e.getCause()).isInstanceOf(IOException.class);
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
