package dev.nrt4j.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import dev.nrt4j.testsupport.Needs;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The attacks of a local user on another user's state directory (issue 12, item 1), each through
 * {@link NeuronRuntime#open}: a planted directory that is shared-writable, a symbolic link, or someone
 * else's; planted links at lock, record and temporary file names. Each must end in one line with
 * {@link Status#FAILURE} or in nothing written through the link.
 */
@Isolated("claims simulated cores, which are shared by every runtime of the JVM")
class StateDirectoryAttackTest {
    @TempDir
    Path temp;
    /** What the attacker wants the victim to overwrite. */
    private Path victim;

    @BeforeEach
    void posixOnly() {
        Needs.optional(
                FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "the attacks and the defence rely on POSIX owners, modes and symbolic links");
        victim = temp.resolve("victim.txt");
    }

    private static RuntimeOptions options(Path stateDir) {
        return ReferenceRuntimeTest.options().stateDir(stateDir).build();
    }

    private static void assertRefused(Path stateDir, String problem) {
        assertThatThrownBy(() -> NeuronRuntime.open(options(stateDir)).close())
                .isInstanceOfSatisfying(NeuronException.class, e -> {
                    assertThat(e.status()).isEqualTo(Status.FAILURE);
                    assertThat(e.getMessage())
                            .doesNotContain("\n")
                            .contains(stateDir.toString(), problem, "NRT4J_STATE_DIR");
                });
    }

    @Test
    void aPlantedWorldWritableDirectoryIsRefusedAndLeftEmpty() throws IOException {
        Path planted = Files.createDirectory(temp.resolve("nrt4j-victim"));
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertRefused(planted, "writable by group or others");
        assertThat(listAll(planted)).isEmpty();
    }

    @Test
    void aSymbolicLinkAtTheStatePathIsRefusedAndNothingIsWrittenThroughIt() throws IOException {
        Path elsewhere = Files.createDirectory(temp.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(temp.resolve("nrt4j-victim"), elsewhere);
        assertRefused(link, "is a symbolic link");
        assertThat(listAll(elsewhere)).isEmpty();
    }

    @Test
    void aDirectoryOwnedByAnotherUserIsRefused() throws IOException {
        Needs.that(isRoot(), "root, to give a directory to another user (uid 65534) as an attacker would own it");
        Path planted = Files.createDirectory(temp.resolve("nrt4j-victim"));
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwx------"));
        UserPrincipal nobody =
                planted.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("65534");
        Files.setOwner(planted, nobody);
        assertRefused(planted, "not by you");
        assertThat(listAll(planted)).isEmpty();
    }

    @Test
    void aSymbolicLinkAtALockFileIsNotFollowed() throws IOException {
        Path state = Files.createDirectory(temp.resolve("state"));
        Path locks = Files.createDirectories(state.resolve("trn1.2xlarge/locks"));
        Files.createSymbolicLink(locks.resolve("nd0-nc0.lock"), victim);
        assertThatThrownBy(() -> NeuronRuntime.open(options(state)).close())
                .isInstanceOfSatisfying(NeuronException.class, e -> {
                    assertThat(e.status()).isEqualTo(Status.FAILURE);
                    assertThat(e.getMessage()).doesNotContain("\n").contains("nd0-nc0.lock", "symbolic link");
                });
        assertThat(victim).doesNotExist();
    }

    @Test
    void linksAtRecordOwnerAndOldTemporaryNamesAreReplacedNotFollowed() throws IOException {
        Path state = Files.createDirectory(temp.resolve("state"));
        Path type = state.resolve("trn1.2xlarge");
        Path records = Files.createDirectories(type.resolve("runtimes"));
        Path locks = Files.createDirectories(type.resolve("locks"));
        Files.writeString(victim, "precious\n");
        long pid = ProcessHandle.current().pid();
        // Every name the old code would have written: records and their predictable temporaries.
        for (int n = 1; n <= 64; n++) {
            String record = pid + "-" + n + ".json";
            Files.createSymbolicLink(records.resolve(record), victim);
            for (int seq = 1; seq <= 64; seq++) {
                Files.createSymbolicLink(records.resolve("." + record + "." + pid + "." + seq + ".tmp"), victim);
            }
        }
        Files.createSymbolicLink(locks.resolve("nd0-nc1.owner"), victim);
        try (NeuronRuntime rt = NeuronRuntime.open(
                ReferenceRuntimeTest.options().stateDir(state).visibleCores("1").build())) {
            assertThat(rt.cores()).hasSize(1);
        }
        assertThat(Files.readString(victim)).isEqualTo("precious\n");
    }

    @Test
    void everyDirectoryIsCreated0700AndEveryFile0600() throws IOException {
        Path state = temp.resolve("fresh/state");
        try (NeuronRuntime rt = NeuronRuntime.open(options(state))) {
            assertThat(rt.cores()).isNotEmpty();
        }
        List<String> wrong;
        try (Stream<Path> all = Stream.concat(Stream.of(state), Files.walk(state))) {
            wrong = all.filter(p -> !Files.isSymbolicLink(p))
                    .filter(p -> {
                        String mode = mode(p);
                        return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                                ? !mode.equals("rwx------")
                                : !mode.equals("rw-------");
                    })
                    .map(p -> p + " " + mode(p))
                    .collect(Collectors.toList());
        }
        assertThat(wrong).isEmpty();
        assertThat(Files.walk(state).filter(p -> p.getFileName().toString().endsWith(".tmp")))
                .isEmpty();
    }

    private static String mode(Path p) {
        try {
            return PosixFilePermissions.toString(
                    Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                            .permissions());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Path> listAll(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).collect(Collectors.toList());
        }
    }

    private static boolean isRoot() {
        try {
            return Files.getOwner(Path.of("/proc/self")).getName().equals("root");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
