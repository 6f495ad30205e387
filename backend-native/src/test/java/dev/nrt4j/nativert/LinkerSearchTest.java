package dev.nrt4j.nativert;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The look-up that spares binding a libnrt the dynamic linker cannot find: never "no" for one it can. */
class LinkerSearchTest {
    private static final String SONAME = "libnrt.so.1";

    @TempDir
    Path dir;

    private Path cache(String content) throws IOException {
        return Files.write(
                dir.resolve("ld.so.cache"),
                ("glibc-ld.so.cache1.1\0libc.so.6\0/lib/libc.so.6\0" + content)
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void aLibraryNowhereTheLinkerLooksIsCertainlyAbsent() throws IOException {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        assertThat(LinkerSearch.mayFind(
                        SONAME, Map.of("LD_LIBRARY_PATH", lib.toString()), cache(""), List.of(lib.toString())))
                .isFalse();
        // A longer name that starts with the SONAME is another library.
        assertThat(LinkerSearch.mayFind(SONAME, Map.of(), cache("libnrt.so.1.0\0"), List.of()))
                .isFalse();
    }

    @Test
    void eachPlaceTheLinkerLooksIsLookedAt() throws IOException {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.writeString(lib.resolve(SONAME), "");
        assertThat(LinkerSearch.mayFind(SONAME, Map.of("LD_LIBRARY_PATH", "/nonexistent:" + lib), cache(""), List.of()))
                .isTrue();
        assertThat(LinkerSearch.mayFind(SONAME, Map.of(), cache(SONAME + "\0/opt/x/" + SONAME + "\0"), List.of()))
                .isTrue();
        assertThat(LinkerSearch.mayFind(SONAME, Map.of(), cache(""), List.of("/nonexistent", lib.toString())))
                .isTrue();
    }

    @Test
    void withoutAnLdSoCacheItCannotTellAndSaysMaybe() {
        assertThat(LinkerSearch.mayFind(SONAME, Map.of(), dir.resolve("no-such-cache"), List.of()))
                .isTrue();
    }
}
