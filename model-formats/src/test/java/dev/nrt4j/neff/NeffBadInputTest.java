package dev.nrt4j.neff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every class of bad input is refused with a NeuronException whose status and message name the problem. */
class NeffBadInputTest {

    private static NeuronException refuse(byte[] file, NeffLimits limits) {
        NeuronException e = catchThrowableOfType(NeuronException.class, () -> NeffFile.read(file, "bad.neff", limits));
        assertThat(e).as("expected a NeuronException").isNotNull();
        assertThat(e.getMessage()).startsWith("read bad.neff failed [");
        return e;
    }

    private static void invalid(byte[] file, String... parts) {
        invalid(file, NeffLimits.DEFAULT, parts);
    }

    private static void invalid(byte[] file, NeffLimits limits, String... parts) {
        NeuronException e = refuse(file, limits);
        assertThat(e.status()).as(e.getMessage()).isEqualTo(Status.INVALID);
        if (parts.length > 0) {
            assertThat(e.getMessage()).contains(parts);
        }
    }

    private static byte[] withHeaderLong(byte[] file, int offset, long value) {
        byte[] copy = file.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putLong(offset, value);
        return copy;
    }

    private static byte[] plainWith(NeffBuilder.Member... members) {
        NeffBuilder b = NeffBuilder.minimal();
        b.gzip = false;
        for (NeffBuilder.Member m : members) {
            b.member(m);
        }
        return b.build();
    }

    private static NeffBuilder.Member member(String name, char type) {
        return new NeffBuilder.Member(name, new byte[0], type, null, null);
    }

    // ---- header ----

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 8, 1023})
    void shorterThanTheHeader(int length) {
        invalid(new byte[length], "is " + length + " bytes, shorter than the 1024-byte NEFF header");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 512, 1023, 1025, 4096, -1})
    void headerSizeOtherThan1024(long headerSize) {
        byte[] file = withHeaderLong(NeffBuilder.minimal().build(), 0x008, headerSize);
        invalid(file, "header_size is " + Long.toUnsignedString(headerSize) + ", not 1024");
    }

    @Test
    void payloadLongerThanTheFile() {
        byte[] file = NeffBuilder.minimal().build();
        invalid(
                withHeaderLong(file, 0x010, file.length - 1023),
                "declares a payload of " + (file.length - 1023) + " bytes but only " + (file.length - 1024)
                        + " follow the header");
        invalid(withHeaderLong(file, 0x010, -1), "payload of 18446744073709551615 bytes");
        invalid(withHeaderLong(file, 0x010, Long.MAX_VALUE), "payload of 9223372036854775807 bytes");
    }

    @Test
    void emptyPayload() {
        invalid(withHeaderLong(NeffBuilder.minimal().build(), 0x010, 0), "empty payload");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 3, 255, -1})
    void unknownPkgVersionIsUnsupported(long pkg) {
        NeuronException e = refuse(withHeaderLong(NeffBuilder.minimal().build(), 0x000, pkg), NeffLimits.DEFAULT);
        assertThat(e.status()).isEqualTo(Status.UNSUPPORTED_NEFF_VERSION);
        assertThat(e.getMessage())
                .contains("pkg_version " + Long.toUnsignedString(pkg), "knows 1 (SHA-256) and 2 (MD5)");
    }

    @ParameterizedTest
    @ValueSource(longs = {3, 4, 100, -1})
    void newerMajorVersionIsUnsupported(long major) {
        NeffBuilder b = NeffBuilder.minimal();
        b.major = major;
        b.minor = 1;
        NeuronException e = refuse(b.build(), NeffLimits.DEFAULT);
        assertThat(e.status()).isEqualTo(Status.UNSUPPORTED_NEFF_VERSION);
        assertThat(e.getMessage()).contains("NEFF version " + Long.toUnsignedString(major) + ".1 is newer");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2})
    void knownMajorVersionsAreRead(long major) {
        NeffBuilder b = NeffBuilder.minimal();
        b.major = major;
        assertThat(NeffFile.read(b.build(), "m.neff").header().versionMajor()).isEqualTo(major);
    }

    @Test
    void randomBytesAreInvalid() {
        SplittableRandom random = new SplittableRandom(20260526);
        for (int i = 0; i < 500; i++) {
            byte[] bytes = new byte[random.nextInt(0, 5000)];
            random.nextBytes(bytes);
            invalid(bytes);
        }
    }

    // ---- truncation ----

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void truncatedAtEveryOffsetIsInvalid(boolean gzip) {
        NeffBuilder b = NeffBuilder.minimal();
        b.gzip = gzip;
        byte[] file = b.build();
        for (int cut = 0; cut < file.length; cut++) {
            NeuronException e = refuse(Arrays.copyOf(file, cut), NeffLimits.DEFAULT);
            assertThat(e.status()).isEqualTo(Status.INVALID);
            assertThat(e.getMessage())
                    .containsAnyOf(
                            "shorter than the 1024-byte NEFF header", "follow the header; the file is truncated");
        }
    }

    /** The header is rewritten to match each cut, so that the gzip and tar layers see the truncation. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void payloadTruncatedAtEveryOffsetWithAMatchingHeader(boolean gzip) {
        NeffBuilder b = NeffBuilder.minimal();
        b.gzip = gzip;
        byte[] payload = b.payload();
        for (int cut = 1; cut < payload.length; cut++) {
            byte[] file = b.build(Arrays.copyOf(payload, cut));
            if (!gzip && cut >= payload.length - 512) {
                // A plain tar cut inside its second end block still has its first; GNU tar reads it too.
                assertThat(NeffFile.read(file, "m.neff").signature().outputs()).hasSize(1);
            } else {
                NeuronException e = refuse(file, NeffLimits.DEFAULT);
                assertThat(e.status()).isEqualTo(Status.INVALID);
                // A cut inside the two gzip magic bytes leaves something that is read as a (short) tar.
                assertThat(e.getMessage()).as("cut at %d", cut).containsAnyOf("truncated", "gzip payload");
            }
        }
    }

    // ---- gzip ----

    @Test
    void corruptGzipIsInvalid() {
        byte[] gz = NeffBuilder.gzip(NeffBuilder.minimal().tar());
        byte[] badCrc = gz.clone();
        badCrc[badCrc.length - 8] ^= 1;
        invalid(NeffBuilder.minimal().build(badCrc), "the gzip payload is corrupt");

        byte[] badDeflate = gz.clone();
        Arrays.fill(badDeflate, 10, 30, (byte) 0xff);
        invalid(NeffBuilder.minimal().build(badDeflate), "the gzip payload is corrupt");

        byte[] badMethod = gz.clone();
        badMethod[2] = 7;
        invalid(NeffBuilder.minimal().build(badMethod), "the gzip payload is corrupt");
    }

    @Test
    void decompressionBombFailsFastWithoutAllocatingItsSize() throws IOException {
        // One 96 MiB member of zeros: about 100 KiB of gzip.
        long size = 96L << 20;
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(NeffBuilder.header("sg00/weights.bin", "", size, '0', "", NeffBuilder.Format.GNU));
            byte[] zeros = new byte[1 << 20];
            for (long written = 0; written < size + 1024; written += zeros.length) {
                out.write(zeros);
            }
        }
        byte[] file = NeffBuilder.minimal().build(gz.toByteArray());
        assertThat(file.length).isLessThan(1 << 20);
        NeffLimits limits = NeffLimits.DEFAULT.withMaxInflatedBytes(8L << 20);

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        invalid(file, limits, "inflates to more than 8388608 bytes (maxInflatedBytes)", "decompression bomb");
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(allocated).as("bytes allocated while refusing the bomb").isLessThan(4L << 20);
        assertThat(millis).as("milliseconds to refuse the bomb").isLessThan(5_000);
    }

    @Test
    void aMemberDeclaringMoreThanTheLimitIsRefusedOnItsHeader() {
        byte[] file = plainWith(new NeffBuilder.Member("sg00/huge.bin", new byte[0], '0', 1L << 40, null));
        invalid(
                file,
                "declares 1099511627776 bytes, more than the 8589934592-byte limit for one member (maxEntryBytes)");
    }

    @Test
    void aKeptMemberWhoseDataNeverArrivesIsNotAllocatedAtItsClaimedSize() {
        NeffBuilder b = NeffBuilder.minimal();
        b.gzip = false;
        b.endBlocks = false;
        b.member(new NeffBuilder.Member("sg00/claims.bin", new byte[0], '0', 15L << 20, null));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        invalid(b.build(), "ends inside member 'sg00/claims.bin'; the payload is truncated");
        assertThat(threads.getCurrentThreadAllocatedBytes() - before).isLessThan(2L << 20);
    }

    @Test
    void manySmallMembersPastTheInflatedCap() {
        NeffBuilder b = NeffBuilder.minimal();
        for (int i = 0; i < 100; i++) {
            b.file("sg00/part" + i + ".bin", new byte[10_000]);
        }
        invalid(b.build(), NeffLimits.DEFAULT.withMaxInflatedBytes(500_000), "maxInflatedBytes");
    }

    // ---- tar structure ----

    @Test
    void badChecksumNoMagicAndNonOctalSize() {
        byte[] tar = NeffBuilder.minimal().tar();
        byte[] checksum = tar.clone();
        checksum[5] ^= 0x20;
        invalid(NeffBuilder.minimal().build(checksum), "tar header 1 has a bad checksum");

        byte[] magic = tar.clone();
        magic[257] = 'X';
        NeffBuilder.fixChecksum(Arrays.copyOf(magic, 512));
        byte[] head = Arrays.copyOf(magic, 512);
        NeffBuilder.fixChecksum(head);
        System.arraycopy(head, 0, magic, 0, 512);
        invalid(NeffBuilder.minimal().build(magic), "has no ustar magic");

        byte[] size = tar.clone();
        size[124] = 'z';
        head = Arrays.copyOf(size, 512);
        NeffBuilder.fixChecksum(head);
        System.arraycopy(head, 0, size, 0, 512);
        invalid(NeffBuilder.minimal().build(size), "size field that is not an octal number");
    }

    @Test
    void negativeBase256Size() {
        invalid(plainWith(new NeffBuilder.Member("sg00/neg.bin", new byte[0], '0', -5L, null)), "negative size");
    }

    @Test
    void missingEndOfArchiveBlock() {
        NeffBuilder b = NeffBuilder.minimal();
        b.endBlocks = false;
        invalid(b.build(), "ends without its end-of-archive block");
    }

    @Test
    void tooManyHeaders() {
        NeffBuilder b = NeffBuilder.minimal();
        for (int i = 0; i < 40; i++) {
            b.file("sg00/f" + i, "x");
        }
        invalid(b.build(), NeffLimits.DEFAULT.withMaxEntries(30), "more than 30 headers (maxEntries)");
    }

    @Test
    void namesLongerThanTheLimit() {
        String name = "sg00/" + "n".repeat(300);
        NeffBuilder gnu = NeffBuilder.minimal().file(name, "x");
        invalid(
                gnu.build(),
                NeffLimits.DEFAULT.withMaxNameLength(200),
                "GNU long-name record of 306 bytes",
                "(maxNameLength)");
        NeffBuilder pax = NeffBuilder.minimal().file(name, "x");
        pax.format = NeffBuilder.Format.PAX;
        invalid(pax.build(), NeffLimits.DEFAULT.withMaxNameLength(200), "pax path of 305 bytes");
        NeffBuilder ustar = NeffBuilder.minimal().file("sg00/" + "d".repeat(80) + "/" + "n".repeat(90), "x");
        ustar.format = NeffBuilder.Format.USTAR;
        invalid(ustar.build(), NeffLimits.DEFAULT.withMaxNameLength(100), "is longer than 100 bytes (maxNameLength)");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/etc/passwd",
                "../evil.json",
                "sg00/../../evil",
                "sg00/./def.json",
                "sg00//def.json",
                "sg00\\..\\evil",
                "C:evil",
                "sg00/..",
                "a/b/../c"
            })
    void pathTricksAreRefused(String name) {
        NeffBuilder b = NeffBuilder.minimal().file(name, "x");
        NeuronException e = refuse(b.build(), NeffLimits.DEFAULT);
        assertThat(e.status()).isEqualTo(Status.INVALID);
        assertThat(e.getMessage())
                .containsAnyOf("absolute path", "'..' segment", "empty or '.' segment", "backslash", "drive letter");
    }

    @Test
    void pathTricksInDirectoriesAndPaxRecordsAreRefused() {
        invalid(plainWith(member("../up/", '5')), "'..' segment");
        NeffBuilder pax = NeffBuilder.minimal();
        pax.gzip = false;
        pax.member(new NeffBuilder.Member("PaxHeaders/x", NeffBuilder.paxRecord("path", "/abs/file"), 'x', null, null));
        pax.file("innocent", "x");
        invalid(pax.build(), "'/abs/file' is an absolute path");
    }

    @Test
    void controlCharactersAndNulInNames() {
        invalid(
                plainWith(new NeffBuilder.Member("sg00/a\nb", new byte[1], '0', null, null)),
                "'sg00/a\\x0ab' contains a control character");
        NeffBuilder pax = NeffBuilder.minimal();
        pax.member(new NeffBuilder.Member(
                "PaxHeaders/x", NeffBuilder.paxRecord("path", "sg00/a\0.json"), 'x', null, null));
        pax.file("innocent", "x");
        invalid(pax.build(), "pax path contains a NUL byte");
    }

    @Test
    void namesThatAreNotUtf8() {
        byte[] tar = NeffBuilder.minimal().tar();
        byte[] head = Arrays.copyOf(tar, 512);
        head[0] = (byte) 0xff;
        NeffBuilder.fixChecksum(head);
        System.arraycopy(head, 0, tar, 0, 512);
        invalid(NeffBuilder.minimal().build(tar), "is not UTF-8");
    }

    @Test
    void duplicateMembers() {
        invalid(NeffBuilder.minimal().file("./sg00/def.json", "{}").build(), "'sg00/def.json' appears twice");
    }

    @ParameterizedTest
    @ValueSource(chars = {'1', '2'})
    void linksAreRefused(char type) {
        invalid(
                plainWith(new NeffBuilder.Member("sg00/link", new byte[0], type, null, "/etc/passwd")),
                "'sg00/link' is a",
                "link; links are not allowed");
    }

    @ParameterizedTest
    @ValueSource(chars = {'3', '4', '6', 'S', 'V', 'Z'})
    void specialEntriesAreRefused(char type) {
        invalid(plainWith(member("sg00/dev", type)), "has tar type '" + type + "'");
    }

    @Test
    void metadataRecordsWithoutAnEntry() {
        NeffBuilder b = new NeffBuilder();
        for (int i = 0; i < 9; i++) {
            b.member(new NeffBuilder.Member(
                    "././@LongLink", "x\0".getBytes(StandardCharsets.US_ASCII), 'L', null, null));
        }
        b.file("sg00/def.json", "{}");
        invalid(b.build(), "more than 8 long-name or pax records in a row");

        NeffBuilder dangling = NeffBuilder.minimal();
        dangling.member(
                new NeffBuilder.Member("././@LongLink", "x\0".getBytes(StandardCharsets.US_ASCII), 'L', null, null));
        invalid(dangling.build(), "ends after a long-name or pax record with no entry");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5 a=b", "99 path=x\n", "x path=y\n", "4 =\n", "8 path\n\n", "12 size=-1\n\n"})
    void malformedPaxRecords(String record) {
        NeffBuilder b = NeffBuilder.minimal();
        b.member(new NeffBuilder.Member("PaxHeaders/x", record.getBytes(StandardCharsets.UTF_8), 'x', null, null));
        b.file("innocent", "x");
        NeuronException e = refuse(b.build(), NeffLimits.DEFAULT);
        assertThat(e.status()).isEqualTo(Status.INVALID);
        assertThat(e.getMessage()).containsAnyOf("pax record at offset 0", "pax size");
    }

    @Test
    void paxSizeOverridesTheHeaderAndIsChecked() {
        NeffBuilder b = NeffBuilder.minimal();
        b.member(new NeffBuilder.Member(
                "PaxHeaders/x", NeffBuilder.paxRecord("size", "99999999999999"), 'x', null, null));
        b.file("sg00/w.bin", "x");
        invalid(b.build(), NeffLimits.DEFAULT.withMaxEntryBytes(1 << 20), "declares 99999999999999 bytes");
    }

    // ---- def.json and neff.json ----

    private static byte[] withDef(String defJson) {
        return new NeffBuilder().file("sg00/def.json", defJson).build();
    }

    @Test
    void noDefJson() {
        invalid(new NeffBuilder().file("neff.json", "{}").build(), "no sgNN/def.json member");
    }

    @Test
    void deepNestingFailsWithoutAStackOverflow() {
        String deep = "[".repeat(200_000) + "]".repeat(200_000);
        invalid(
                withDef("{\"var\":{},\"x\":" + deep + "}"),
                "sg00/def.json exceeds the bounds",
                "nesting 64 levels from maxJsonDepth",
                "nesting depth (65)");
        invalid(
                new NeffBuilder()
                        .file("neff.json", deep)
                        .file("sg00/def.json", NeffBuilder.defJson("o", "output", 0, 1))
                        .build(),
                "neff.json exceeds the bounds");
        invalid(withDef("{\"var\":" + "{\"a\":".repeat(1_000_000)), "sg00/def.json exceeds the bounds");
    }

    @Test
    void maxJsonDepthIsTheLimitGiven() {
        // def.json's own nesting is 3: the root, "var" and the variable.
        byte[] file = withDef(NeffBuilder.defJson("o", "output", 0, 4));
        assertThat(NeffFile.read(file, "ok.neff", NeffLimits.DEFAULT.withMaxJsonDepth(3))
                        .signature()
                        .outputs())
                .hasSize(1);
        invalid(file, NeffLimits.DEFAULT.withMaxJsonDepth(2), "nesting 2 levels from maxJsonDepth");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{",
                "}",
                "[",
                "{\"var\":{}} x",
                "{'var':{}}",
                "{\"var\":{},}",
                "[1,]",
                "[,1]",
                "{\"a\"}",
                "{\"a\":}",
                "{\"a\" 1}",
                "{a:1}",
                "{\"a\":01}",
                "-",
                "1.",
                ".5",
                "1e",
                "+1",
                "NaN",
                "Infinity",
                "nul",
                "nulll",
                "\"abc",
                "\"\\x\"",
                "\"\\u12\"",
                "[1 2]",
                "{\"a\":1 \"b\":2}",
                "/* c */ {}",
                "{} // c",
                "[1]]",
                "\"\t\"",
                "{\"a\":\"\u0001\"}",
                "{\"var\":1e}",
                "\ufeff{}",
                "{}\u0000",
                "{}\u000b"
            })
    void notJson(String text) {
        invalid(withDef(text), "sg00/def.json is not valid JSON at offset");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\r\n\t"})
    void noJsonValue(String text) {
        invalid(withDef(text), "sg00/def.json is not valid JSON at offset " + text.length() + ": it holds no value");
    }

    @Test
    void onlyUtf8() {
        // Jackson on bytes would detect UTF-16 and read this as the valid def.json it encodes.
        byte[] utf16 = NeffBuilder.defJson("o", "output", 0, 4).getBytes(StandardCharsets.UTF_16LE);
        invalid(new NeffBuilder().file("sg00/def.json", utf16).build(), "sg00/def.json is not valid JSON at offset 1");
    }

    @Test
    void malformedUtf8() {
        byte[] json = "{\"var\":{\"\u00e9\":1}}".getBytes(StandardCharsets.UTF_8);
        json[9] = (byte) 0xc3;
        json[10] = (byte) 0x28;
        invalid(new NeffBuilder().file("sg00/def.json", json).build(), "sg00/def.json is not valid UTF-8");
    }

    @Test
    void overlongNumbers() {
        invalid(
                withDef("{\"var\":{\"o\":{\"type\":\"output\",\"var_id\":0,\"size\":1" + "0".repeat(200) + "}}}"),
                "sg00/def.json exceeds the bounds",
                "numbers 100 characters",
                "Number value length (201)");
        assertThat(NeffFile.read(withDef(NeffBuilder.defJson("o", "output", 0, "1".repeat(18))), "ok.neff")
                        .signature()
                        .outputs()
                        .get(0)
                        .byteSize())
                .isEqualTo(111_111_111_111_111_111L);
    }

    @Test
    void exponentsBigDecimalCannotHold() {
        invalid(
                withDef(NeffBuilder.defJson("o", "output", 0, "1e99999999999")),
                "sg00/def.json has a number this reader cannot hold",
                "1e99999999999");
        invalid(withDef(NeffBuilder.defJson("o", "output", 0, "1e999999999")), "\"size\" '1E+999999999'");
    }

    @Test
    void overlongStringsAndKeys() {
        invalid(
                withDef("{\"var\":{},\"x\":\"" + "s".repeat(JsonMembers.MAX_STRING_LENGTH + 1) + "\"}"),
                NeffLimits.DEFAULT.withKept(4 << 20, 8 << 20),
                "sg00/def.json exceeds the bounds",
                "String value length");
        invalid(
                withDef("{\"var\":{},\"" + "k".repeat(JsonMembers.MAX_NAME_LENGTH + 1) + "\":1}"),
                "sg00/def.json exceeds the bounds",
                "Name length");
    }

    @Test
    void duplicateKeys() {
        invalid(
                withDef("{\"var\":{\"o\":{\"type\":\"output\",\"var_id\":0,\"size\":4,\"size\":8}}}"),
                "sg00/def.json is not valid JSON at offset 55",
                "Duplicate Object property \"size\"");
        invalid(
                withDef("{\"var\":{\"o\":{\"type\":\"output\",\"var_id\":0,\"size\":4}},\"var\":{}}"),
                "Duplicate Object property \"var\"");
    }

    @Test
    void structuralProblemsInDefJson() {
        invalid(withDef("[]"), "sg00/def.json is not a JSON object");
        invalid(withDef("{}"), "has no \"var\" object");
        invalid(withDef("{\"var\":{\"o\":3}}"), "variable 'o' in sg00/def.json is not a JSON object");
        invalid(withDef("{\"var\":{\"o\":{\"var_id\":0}}}"), "has no string \"type\"");
        invalid(withDef("{\"var\":{\"o\":{\"type\":\"output\",\"size\":1}}}"), "has no \"var_id\"");
        invalid(withDef(NeffBuilder.defJson("o", "output", 0, -4)), "\"size\" '-4'", "non-negative integer");
        invalid(withDef(NeffBuilder.defJson("o", "output", 0, "1e400")), "\"size\" '1E+400'");
        invalid(withDef(NeffBuilder.defJson("o", "output", 0, "4.0")), "\"size\" '4.0'");
        invalid(withDef(NeffBuilder.defJson("o", "output", 0, "\"4\"")), "\"size\" '4'");
        invalid(withDef(NeffBuilder.defJson("o", "output", 0, "[4]")), "\"size\" '[4]'");
        invalid(withDef(NeffBuilder.defJson("o", "output", 0, "9223372036854775808")), "below 2^63");
        invalid(withDef(NeffBuilder.defJson("o", "output", 0, 4, "p", "output", 0, 4)), "repeats var_id 0");
        invalid(
                withDef(NeffBuilder.defJson("i", "input", 0, 4, "w", "file", 1, 4)),
                "declare no variable of type output");
        invalid(withDef(NeffBuilder.defJson("", "output", 0, 4)), "has a name the runtime cannot report");
        // 128 two-byte characters: 256 bytes, one more than nrt_tensor_info_t holds.
        invalid(withDef(NeffBuilder.defJson("\u00e9".repeat(128), "output", 0, 4)), "longer than 255 bytes");
        assertThat(NeffFile.read(withDef(NeffBuilder.defJson("\u00e9".repeat(127) + "x", "output", 0, 4)), "ok.neff")
                        .signature()
                        .outputs())
                .hasSize(1);
    }

    @Test
    void defJsonTooLargeToKeep() {
        NeffBuilder b =
                new NeffBuilder().file("sg00/def.json", NeffBuilder.defJson("o", "output", 0, 4) + " ".repeat(5000));
        invalid(b.build(), NeffLimits.DEFAULT.withKept(4096, 1 << 20), "sg00/def.json is 5", "maxKeptEntryBytes 4096");
    }

    @Test
    void subgraphsThatDisagree() {
        NeffBuilder b = new NeffBuilder()
                .file("sg00/def.json", NeffBuilder.defJson("x", "output", 0, 4))
                .file("sg01/def.json", NeffBuilder.defJson("x", "output", 0, 8));
        invalid(
                b.build(),
                "variable 'x' is declared as an output of 4 bytes in sg00/def.json but as an output of 8 bytes in sg01/def.json");
    }

    @Test
    void neffJsonDescriptionsMustFitTheDeclaredSize() {
        NeffBuilder b = new NeffBuilder()
                .file(
                        "neff.json",
                        NeffBuilder.neffJson(new String[] {"o"}, new String[] {"[100]"}, new String[] {"float32"}))
                .file("sg00/def.json", NeffBuilder.defJson("o", "output", 0, 4));
        invalid(
                b.build(),
                "an output 'o' is 4 bytes in sg00/def.json but neff.json gives it f32[100], which needs more");

        NeffBuilder huge = new NeffBuilder()
                .file(
                        "neff.json",
                        NeffBuilder.neffJson(
                                new String[] {"o"}, new String[] {"[4294967296, 4294967296]"}, new String[] {"float32"
                                }))
                .file("sg00/def.json", NeffBuilder.defJson("o", "output", 0, 4));
        invalid(huge.build(), "has an impossible shape");

        NeffBuilder dtype = new NeffBuilder()
                .file(
                        "neff.json",
                        NeffBuilder.neffJson(new String[] {"o"}, new String[] {"[1]"}, new String[] {"complex64"}))
                .file("sg00/def.json", NeffBuilder.defJson("o", "output", 0, 4));
        invalid(dtype.build(), "dltype 'complex64', which is not an element type nrt4j knows");

        NeffBuilder negative = new NeffBuilder()
                .file("neff.json", NeffBuilder.neffJson(new String[] {"o"}, new String[] {"[-1]"}, new String[] {"int8"
                }))
                .file("sg00/def.json", NeffBuilder.defJson("o", "output", 0, 4));
        invalid(negative.build(), "\"dimension 0\" '-1'");
    }

    @Test
    void messagesEscapeControlCharactersFromTheFile() {
        NeuronException e = refuse(withDef(NeffBuilder.defJson("o\\u001b[31m", "output", 0, -1)), NeffLimits.DEFAULT);
        assertThat(e.getMessage()).contains("o\\x1b[31m").doesNotContain("\u001b");
    }

    // ---- files ----

    @Test
    void unreadablePathsAreInvalid(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> NeffFile.read(dir.resolve("missing.neff")))
                .isInstanceOfSatisfying(NeuronException.class, e -> {
                    assertThat(e.status()).isEqualTo(Status.INVALID);
                    assertThat(e.getMessage()).contains("missing.neff", "cannot read the file");
                });
        assertThatThrownBy(() -> NeffFile.read(dir)).isInstanceOf(NeuronException.class);
        Path truncated = dir.resolve("t.neff");
        byte[] file = NeffBuilder.minimal().build();
        Files.write(truncated, Arrays.copyOf(file, file.length - 1));
        assertThatThrownBy(() -> NeffFile.read(truncated))
                .isInstanceOfSatisfying(
                        NeuronException.class,
                        e -> assertThat(e.getMessage()).contains("t.neff", "follow the header; the file is truncated"));
    }
}
