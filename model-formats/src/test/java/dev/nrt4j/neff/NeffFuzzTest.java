package dev.nrt4j.neff;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.TensorInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * Arbitrary bytes either read as a NEFF (or tar archive, or def.json) or fail with a
 * {@code NeuronException} of status INVALID (or UNSUPPORTED_NEFF_VERSION for the header); any other
 * exception, an OutOfMemoryError, a StackOverflowError or a hang is a finding. Without
 * {@code JAZZER_FUZZ} each method runs once per file in {@code NeffFuzzTestInputs/<method>/}.
 */
class NeffFuzzTest {
    /** Small enough that the fuzzer reaches every limit with inputs of a few kilobytes. */
    static final NeffLimits SMALL = new NeffLimits(64 * 1024, 16 * 1024, 32, 200, 8 * 1024, 32 * 1024, 16);

    @FuzzTest(maxDuration = "10m")
    @DictionaryEntries({
        "ustar  \u0000",
        "ustar\u000000",
        "././@LongLink",
        "path=",
        "size=",
        "sg00/def.json",
        "sg01/def.json",
        "neff.json",
        "kelp.json",
        "\"var\"",
        "\"type\"",
        "\"input\"",
        "\"output\"",
        "\"var_id\"",
        "\"size\"",
        "\"nodes\"",
        "\"attrs\"",
        "\"op\":\"null\"",
        "\"name\"",
        "list_shape",
        "list_str",
        "\"float32\"",
        "\"bfloat16\"",
        "node_row_ptr",
        "../",
        "./",
        "\\u0000"
    })
    void readAcceptsOrRejectsCleanly(byte[] input) {
        readOrNull(input, NeffLimits.DEFAULT);
        readOrNull(input, SMALL);
        // The header almost never matches random payloads; repair data_size and pkg/major/header_size so
        // that mutations reach the gzip, tar and JSON layers instead of stopping at the header.
        if (input.length >= NeffHeader.SIZE) {
            byte[] repaired = input.clone();
            ByteBuffer h = ByteBuffer.wrap(repaired).order(ByteOrder.LITTLE_ENDIAN);
            h.putLong(0x000, 2)
                    .putLong(0x008, 1024)
                    .putLong(0x010, input.length - 1024L)
                    .putLong(0x018, 2);
            readOrNull(repaired, NeffLimits.DEFAULT);
            readOrNull(repaired, SMALL);
        }
    }

    /** The tar layer alone, with no header or gzip in front. */
    @FuzzTest(maxDuration = "3m")
    @DictionaryEntries({"ustar  \u0000", "ustar\u000000", "././@LongLink", "path=", "size=", "../", "./"})
    void tarAcceptsOrRejectsCleanly(byte[] input) throws IOException {
        try {
            TarReader.Result r = TarReader.read(new ByteArrayInputStream(input), SMALL, "fuzz.tar");
            long kept = 0;
            for (TarEntry e : r.entries()) {
                assertThat(e.size()).isBetween(0L, SMALL.maxEntryBytes());
                assertThat(e.name())
                        .doesNotStartWith("/")
                        .doesNotContain("\\", "\0")
                        .isNotEmpty();
                // "a..b" is a legal segment; only whole "." and ".." segments (and empty ones) are tricks.
                assertThat(e.name().split("/", -1)).doesNotContain("..", ".", "");
                if (r.kept().containsKey(e.name())) {
                    assertThat(r.kept().get(e.name())).hasSize((int) e.size());
                    kept += e.size();
                }
            }
            assertThat(kept).isLessThanOrEqualTo(SMALL.maxKeptTotalBytes());
        } catch (NeuronException e) {
            checkFailure(e, false);
        }
    }

    /** The def.json interpretation alone, as if the bytes were the only member. */
    @FuzzTest(maxDuration = "3m")
    @DictionaryEntries({
        "\"var\"",
        "\"type\"",
        "\"input\"",
        "\"output\"",
        "\"var_id\"",
        "\"size\"",
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        "\"",
        "\\u",
        "1e9",
        "-0",
        "9223372036854775808"
    })
    void defJsonAcceptsOrRejectsCleanly(byte[] input) {
        try {
            var sig = DefJson.signature(
                    Map.of("sg00/def.json", input),
                    java.util.List.of(new TarEntry("sg00/def.json", input.length)),
                    SMALL,
                    "fuzz.neff");
            assertThat(sig.outputs()).isNotEmpty();
            for (TensorInfo t : sig.inputs()) {
                assertThat(t.byteSize()).isGreaterThanOrEqualTo(0);
            }
        } catch (NeuronException e) {
            checkFailure(e, false);
        }
    }

    static NeffFile readOrNull(byte[] input, NeffLimits limits) {
        try {
            NeffFile neff = NeffFile.read(input, "fuzz.neff", limits);
            assertThat(neff.signature().outputs()).isNotEmpty();
            assertThat(neff.header().dataSize()).isBetween(1L, input.length - 1024L);
            long kept = 0;
            for (TarEntry e : neff.entries()) {
                assertThat(e.size()).isLessThanOrEqualTo(limits.maxEntryBytes());
                kept += neff.entry(e.name()).map(d -> (long) d.length).orElse(0L);
            }
            assertThat(kept).isLessThanOrEqualTo(limits.maxKeptTotalBytes());
            return neff;
        } catch (NeuronException e) {
            checkFailure(e, true);
            return null;
        }
    }

    private static void checkFailure(NeuronException e, boolean versionAllowed) {
        if (versionAllowed) {
            assertThat(e.status()).isIn(Status.INVALID, Status.UNSUPPORTED_NEFF_VERSION);
        } else {
            assertThat(e.status()).isEqualTo(Status.INVALID);
        }
        assertThat(e.getMessage()).startsWith("read fuzz.");
        assertThat(e.getMessage().chars().filter(Character::isISOControl).count())
                .as(() -> "control characters in: " + e.getMessage().replaceAll("\\p{Cntrl}", "?"))
                .isZero();
    }
}
