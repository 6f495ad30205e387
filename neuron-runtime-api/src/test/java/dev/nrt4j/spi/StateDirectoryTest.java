package dev.nrt4j.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.nrt4j.NeuronException;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void defaultsToAPerUserDirectoryInTheTemporaryDirectory() {
        RuntimeOptions none = RuntimeOptions.builder(Map.of(), new Properties()).build();
        Path expected = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        assertThat(StateDirectory.resolve(none).getParent()).isEqualTo(expected);
        assertThat(StateDirectory.resolve(none).getFileName().toString()).startsWith("nrt4j-").doesNotContain("/", "\\\\", " ");
    }

    @Test
    void thePropertyBeatsTheVariableAndTheBuilderBeatsBoth() {
        Properties props = new Properties();
        props.setProperty("nrt4j.stateDir", temp.resolve("prop").toString());
        Map<String, String> env = Map.of("NRT4J_STATE_DIR", temp.resolve("env").toString());
        assertThat(StateDirectory.resolve(RuntimeOptions.builder(env, new Properties()).build())).isEqualTo(temp.resolve("env"));
        assertThat(StateDirectory.resolve(RuntimeOptions.builder(env, props).build())).isEqualTo(temp.resolve("prop"));
        assertThat(StateDirectory.resolve(RuntimeOptions.builder(env, props).stateDir(temp.resolve("set")).build()))
                .isEqualTo(temp.resolve("set"));
    }

    @Test
    void isCreatedPrivateToTheUser() throws Exception {
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
        Path dir = StateDirectory.ensure(temp.resolve("a/b"));
        assertThat(Files.isDirectory(dir)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    }

    @Test
    void anUncreatableDirectoryIsAFailureNamingIt() throws Exception {
        Path file = Files.writeString(temp.resolve("not-a-dir"), "x");
        Path dir = file.resolve("state");
        assertThatThrownBy(() -> StateDirectory.ensure(dir))
                .isInstanceOfSatisfying(NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.FAILURE))
                .hasMessageContaining(dir.toString());
    }
}
