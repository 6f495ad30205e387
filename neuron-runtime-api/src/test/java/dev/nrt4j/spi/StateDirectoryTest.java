package dev.nrt4j.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.nrt4j.NeuronException;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where backends keep their per-user state, and how that directory is made. */
class StateDirectoryTest {
    @TempDir
    Path temp;

    @Test
    void defaultsToTheDirectoryThisProcesssEnvironmentGives() {
        RuntimeOptions none = RuntimeOptions.builder(Map.of(), new Properties()).build();
        // CI may or may not set XDG_RUNTIME_DIR: the default follows the environment either way.
        Path expected = StateDirectory.defaultPath(System.getenv(), Path.of(System.getProperty("java.io.tmpdir")), "x");
        if (expected.getFileName().toString().equals("nrt4j")) {
            assertThat(StateDirectory.resolve(none))
                    .isEqualTo(expected.toAbsolutePath().normalize());
        } else {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"))
                    .toAbsolutePath()
                    .normalize();
            assertThat(StateDirectory.resolve(none).getParent()).isEqualTo(tmp);
            assertThat(StateDirectory.resolve(none).getFileName().toString())
                    .startsWith("nrt4j-")
                    .doesNotContain("/", "\\", " ");
        }
    }

    @Test
    void theDefaultIsInTheXdgRuntimeDirectoryWhenThatIsAnAbsolutePath() {
        Path tmp = Path.of("/var/tmp");
        assertThat(StateDirectory.defaultPath(Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), tmp, "1000"))
                .isEqualTo(Path.of("/run/user/1000/nrt4j"));
        // The XDG Base Directory Specification: a relative path in the variable is invalid and ignored.
        assertThat(StateDirectory.defaultPath(Map.of("XDG_RUNTIME_DIR", "run/user/1000"), tmp, "1000"))
                .isEqualTo(Path.of("/var/tmp/nrt4j-1000"));
        assertThat(StateDirectory.defaultPath(Map.of("XDG_RUNTIME_DIR", ""), tmp, "1000"))
                .isEqualTo(Path.of("/var/tmp/nrt4j-1000"));
        assertThat(StateDirectory.defaultPath(Map.of(), tmp, "1000")).isEqualTo(Path.of("/var/tmp/nrt4j-1000"));
    }

    @Test
    void aUserNameInTheDefaultKeepsToPortableCharacters() {
        assertThat(StateDirectory.defaultPath(Map.of(), Path.of("/tmp"), "CORP\\j doe/x"))
                .isEqualTo(Path.of("/tmp/nrt4j-CORP_j_doe_x"));
    }

    @Test
    void anExplicitDirectoryBeatsTheXdgDefault() {
        Map<String, String> env = Map.of(
                "XDG_RUNTIME_DIR",
                temp.toString(),
                "NRT4J_STATE_DIR",
                temp.resolve("env").toString());
        assertThat(StateDirectory.resolve(
                        RuntimeOptions.builder(env, new Properties()).build()))
                .isEqualTo(temp.resolve("env"));
    }

    @Test
    void thePropertyBeatsTheVariableAndTheBuilderBeatsBoth() {
        Properties props = new Properties();
        props.setProperty("nrt4j.stateDir", temp.resolve("prop").toString());
        Map<String, String> env = Map.of("NRT4J_STATE_DIR", temp.resolve("env").toString());
        assertThat(StateDirectory.resolve(
                        RuntimeOptions.builder(env, new Properties()).build()))
                .isEqualTo(temp.resolve("env"));
        assertThat(StateDirectory.resolve(RuntimeOptions.builder(env, props).build()))
                .isEqualTo(temp.resolve("prop"));
        assertThat(StateDirectory.resolve(RuntimeOptions.builder(env, props)
                        .stateDir(temp.resolve("set"))
                        .build()))
                .isEqualTo(temp.resolve("set"));
    }

    @Test
    void isCreatedPrivateToTheUser() throws Exception {
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
        Path dir = StateDirectory.ensure(temp.resolve("a/b"));
        assertThat(Files.isDirectory(dir)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                .isEqualTo("rwx------");
    }

    @Test
    void anUncreatableDirectoryIsAFailureNamingIt() throws Exception {
        Path file = Files.writeString(temp.resolve("not-a-dir"), "x");
        Path dir = file.resolve("state");
        assertThatThrownBy(() -> StateDirectory.ensure(dir))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.FAILURE))
                .hasMessageContaining(dir.toString());
    }

    @Test
    void aSymbolicLinkInsideTheTreeIsNotPassedThrough() throws Exception {
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
        Path state = StateDirectory.ensure(temp.resolve("state"));
        Path elsewhere = Files.createDirectory(temp.resolve("elsewhere"));
        Files.createSymbolicLink(state.resolve("trn1.2xlarge"), elsewhere);
        assertThatThrownBy(() -> StateDirectory.ensureWithin(state, state.resolve("trn1.2xlarge/locks")))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.FAILURE))
                .hasMessageContaining("trn1.2xlarge is a symbolic link");
        assertThat(elsewhere.resolve("locks")).doesNotExist();
    }

    @Test
    void filesAreNeverOpenedThroughALinkAndAreReplacedWholeAndPrivate() throws Exception {
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
        Path state = StateDirectory.ensure(temp.resolve("state"));
        Path victim = temp.resolve("victim");
        Files.createSymbolicLink(state.resolve("a.lock"), victim);
        assertThatThrownBy(() -> StateFiles.open(
                                state.resolve("a.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)
                        .close())
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> StateFiles.createNew(state.resolve("a.lock"), new byte[] {1}))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(victim).doesNotExist();

        Files.writeString(victim, "precious");
        Files.createSymbolicLink(state.resolve("record.json"), victim);
        StateFiles.replace(state.resolve("record.json"), "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(victim)).isEqualTo("precious");
        assertThat(Files.isSymbolicLink(state.resolve("record.json"))).isFalse();
        assertThat(Files.readString(state.resolve("record.json"))).isEqualTo("{}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("record.json"))))
                .isEqualTo("rw-------");

        Path t1 = StateFiles.temporaryFor(state.resolve("x"));
        Path t2 = StateFiles.temporaryFor(state.resolve("x"));
        assertThat(t1).isNotEqualTo(t2);
        assertThat(t1.getFileName().toString())
                .doesNotContain(Long.toString(ProcessHandle.current().pid()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(t1)))
                .isEqualTo("rw-------");
    }

    @Test
    void aSharedWritableStateDirectoryIsRefusedInOneLine() throws Exception {
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
        Path planted = Files.createDirectory(temp.resolve("planted"));
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwxrwx---"));
        assertThatThrownBy(() -> StateDirectory.ensure(planted)).isInstanceOfSatisfying(NeuronException.class, e -> {
            assertThat(e.status()).isEqualTo(Status.FAILURE);
            assertThat(e.getMessage()).doesNotContain("\n").contains("rwxrwx---", "chmod 700", "NRT4J_STATE_DIR");
        });
    }
}
