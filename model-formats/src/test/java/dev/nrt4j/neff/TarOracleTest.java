package dev.nrt4j.neff;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tar reader against commons-compress over generated archives: archives that commons-compress
 * writes (GNU long names, pax paths with non-ASCII text, ustar) must list the same members with the
 * same data, and archives that {@link NeffBuilder} writes must read the same in commons-compress as
 * here, which also checks the test helper itself. Seeds are fixed; a failure names its seed.
 */
class TarOracleTest {
    private static final String[] WORDS = {
        "sg00",
        "sg01",
        "def.json",
        "PE.bin",
        "neff.json",
        "kelf-0.json",
        "debug_info",
        "Activation0.bin",
        "weights",
        "\u00e9t\u00e9",
        "\u65e5\u672c",
        "x"
    };

    static LongStream seeds() {
        return LongStream.range(0, 40);
    }

    private record Member(String name, byte[] data, boolean directory) {}

    private static List<Member> randomMembers(SplittableRandom r, boolean asciiOnly, int maxNameBytes) {
        List<Member> out = new ArrayList<>();
        Map<String, Boolean> seen = new LinkedHashMap<>();
        int n = r.nextInt(1, 12);
        while (out.size() < n) {
            StringBuilder name = new StringBuilder();
            int depth = r.nextInt(1, 5);
            for (int d = 0; d < depth; d++) {
                String w = WORDS[r.nextInt(WORDS.length)];
                if (asciiOnly && w.chars().anyMatch(c -> c > 0x7f)) {
                    w = "a" + d;
                }
                name.append(d == 0 ? "" : "/").append(w);
                if (r.nextInt(4) == 0) {
                    name.append("_").append("long".repeat(r.nextInt(1, 30)));
                }
            }
            String s = name.toString();
            if (s.getBytes(StandardCharsets.UTF_8).length > maxNameBytes || seen.put(s, true) != null) {
                continue;
            }
            boolean dir = r.nextInt(6) == 0;
            byte[] data = new byte[dir ? 0 : r.nextInt(0, 3000)];
            r.nextBytes(data);
            out.add(new Member(s, data, dir));
        }
        return out;
    }

    private static Map<String, byte[]> readOurs(byte[] tar) throws IOException {
        TarReader.Result r = TarReader.read(new ByteArrayInputStream(tar), NeffLimits.DEFAULT, "oracle.tar");
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (TarEntry e : r.entries()) {
            assertThat(r.kept().get(e.name())).hasSize((int) e.size());
            out.put(e.name(), r.kept().get(e.name()));
        }
        return out;
    }

    private static Map<String, byte[]> readTheirs(byte[] tar) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar), "UTF-8")) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (!e.isDirectory()) {
                    String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
                    out.put(name, in.readAllBytes());
                }
            }
        }
        return out;
    }

    private static Map<String, byte[]> expected(List<Member> members) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Member m : members) {
            if (!m.directory) {
                out.put(m.name, m.data);
            }
        }
        return out;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void archivesWrittenByCommonsCompressReadTheSame(long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        int mode = (int) (seed % 3);
        // ustar without extensions holds 100 bytes, and a directory takes one more for its slash.
        List<Member> members = randomMembers(r, mode != 1, mode == 2 ? 99 : 1000);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes, "UTF-8")) {
            out.setLongFileMode(
                    mode == 0
                            ? TarArchiveOutputStream.LONGFILE_GNU
                            : mode == 1
                                    ? TarArchiveOutputStream.LONGFILE_POSIX
                                    : TarArchiveOutputStream.LONGFILE_ERROR);
            out.setAddPaxHeadersForNonAsciiNames(mode == 1);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Member m : members) {
                TarArchiveEntry e = new TarArchiveEntry(m.directory ? m.name + "/" : m.name);
                e.setSize(m.data.length);
                out.putArchiveEntry(e);
                out.write(m.data);
                out.closeArchiveEntry();
            }
        }
        byte[] tar = bytes.toByteArray();

        Map<String, byte[]> ours = readOurs(tar);
        Map<String, byte[]> theirs = readTheirs(tar);

        assertThat(ours.keySet())
                .as("seed %d", seed)
                .containsExactlyElementsOf(expected(members).keySet());
        assertThat(ours.keySet()).containsExactlyElementsOf(theirs.keySet());
        ours.forEach(
                (name, data) -> assertThat(data).as("%s (seed %d)", name, seed).isEqualTo(theirs.get(name)));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void archivesWrittenByTheBuilderReadTheSameInCommonsCompress(long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5eed);
        NeffBuilder.Format format = NeffBuilder.Format.values()[(int) (seed % 3)];
        List<Member> members =
                randomMembers(r, format != NeffBuilder.Format.PAX, format == NeffBuilder.Format.USTAR ? 100 : 1000);
        NeffBuilder b = new NeffBuilder();
        b.format = format;
        for (Member m : members) {
            if (m.directory) {
                b.directory(m.name + "/");
            } else {
                b.file((r.nextBoolean() && m.name.length() < 90 ? "./" : "") + m.name, m.data);
            }
        }
        byte[] tar = b.tar();

        Map<String, byte[]> ours = readOurs(tar);
        Map<String, byte[]> theirs = readTheirs(tar);

        assertThat(ours.keySet())
                .as("seed %d", seed)
                .containsExactlyElementsOf(expected(members).keySet());
        assertThat(theirs.keySet()).containsExactlyElementsOf(ours.keySet());
        ours.forEach(
                (name, data) -> assertThat(data).as("%s (seed %d)", name, seed).isEqualTo(theirs.get(name)));
    }
}
