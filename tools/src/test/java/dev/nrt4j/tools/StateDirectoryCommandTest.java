package dev.nrt4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.testsupport.Needs;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A planted state directory (issue 12, item 1) as a user of the command line meets it: each command
 * that would write there stops with one line saying what is wrong and what to do, and writes nothing.
 */
class StateDirectoryCommandTest {
    @TempDir
    Path temp;

    private static void assertRefusedInOneLine(CommandRun r, Path stateDir, String problem) {
        assertThat(r.status()).as(r.err()).isEqualTo(Nrt4jCommand.EXIT_FAILURE);
        assertThat(r.err().lines())
                .as(r.err())
                .singleElement()
                .satisfies(l -> assertThat(l)
                        .startsWith("nrt4j: ")
                        .contains("[FAILURE]", stateDir.toString(), problem, "NRT4J_STATE_DIR"));
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void aWorldWritableOrLinkedStateDirectoryStopsEveryCommandThatWouldWriteThere() throws IOException {
        Needs.optional(
                FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "the attack and the defence rely on POSIX modes and symbolic links");
        Path planted = Files.createDirectory(temp.resolve("planted"));
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path elsewhere = Files.createDirectory(temp.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(temp.resolve("link"), elsewhere);
        Path model = Files.writeString(
                temp.resolve("m.hlo.txt"), "HloModule m\n\nENTRY e {\n  ROOT p = f32[2] parameter(0)\n}\n");
        for (Path state : List.of(planted, link)) {
            String problem = state.equals(planted) ? "writable by group or others" : "is a symbolic link";
            String dir = state.toString();
            assertRefusedInOneLine(
                    CommandRun.of("top", "--once", "--backend=reference", "--state-dir", dir, "--interval", "10"),
                    state,
                    problem);
            assertRefusedInOneLine(
                    CommandRun.of("monitor", "--backend=reference", "--state-dir", dir, "--count", "1"),
                    state,
                    problem);
            assertRefusedInOneLine(CommandRun.of("ls", "--backend=reference", "--state-dir", dir), state, problem);
            assertRefusedInOneLine(
                    CommandRun.of(
                            "run", model.toString(), "--backend=reference", "--state-dir", dir, "--random-inputs"),
                    state,
                    problem);
        }
        try (Stream<Path> written = Stream.concat(Files.list(planted), Files.list(elsewhere))) {
            assertThat(written).isEmpty();
        }
    }
}
