package dev.nrt4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The launchers in {@code bin/} rebuild their jar exactly when a module's main sources or a pom changed
 * since it was built, and not for changes elsewhere (build output, tests, docs). Each runs here in a
 * copy of the checkout's layout whose {@code mvnw} and {@code java} only report that they ran.
 */
class LauncherStalenessTest {
    private static final Path BIN = Path.of("..", "bin").toAbsolutePath().normalize();
    private static final Instant BUILT = Instant.now().minusSeconds(3600);

    @TempDir
    Path root;

    private String launcher;
    private Path jar;

    @BeforeEach
    void aCheckoutWithABuiltJar() throws IOException {
        Files.createDirectories(root.resolve("bin"));
        for (String module : List.of("tools", "model-formats")) {
            Files.createDirectories(root.resolve(module + "/src/main/java/dev"));
            Files.createDirectories(root.resolve(module + "/src/test/java"));
            Files.createDirectories(root.resolve(module + "/target/classes"));
            Files.writeString(root.resolve(module + "/pom.xml"), "<project/>");
            Files.writeString(root.resolve(module + "/src/main/java/dev/A.java"), "class A {}");
        }
        Files.createDirectories(root.resolve("samples/target"));
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        script(root.resolve("mvnw"), "echo BUILT >&2\nexit 1\n");
        script(root.resolve("jdk/bin/java"), "echo RAN\n");
        Files.writeString(root.resolve("tools/target/nrt4j.jar"), "jar");
        Files.writeString(root.resolve("samples/target/nrt4j-samples.jar"), "jar");
        try (var files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.setLastModifiedTime(p, FileTime.from(BUILT.minusSeconds(60)));
            }
        }
    }

    private void use(String name) throws IOException {
        launcher = name;
        Files.copy(BIN.resolve(name), root.resolve("bin/" + name));
        jar = root.resolve(name.equals("nrt4j") ? "tools/target/nrt4j.jar" : "samples/target/nrt4j-samples.jar");
        Files.setLastModifiedTime(jar, FileTime.from(BUILT));
    }

    private static void script(Path p, String body) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n" + body, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** What the launcher did: "RAN" (the jar was used as it is) or "BUILT" (it tried to rebuild). */
    private String launch() throws IOException, InterruptedException {
        List<String> command = launcher.equals("nrt4j")
                ? List.of(root.resolve("bin/nrt4j").toString(), "--version")
                : List.of(root.resolve("bin/nrt4j-sample").toString(), "HelloTensor");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", root.resolve("jdk").toString());
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (out.contains("BUILT")) {
            return "BUILT";
        }
        assertThat(out).contains("RAN");
        return "RAN";
    }

    private void touch(String relative) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        if (!Files.exists(p)) {
            Files.writeString(p, "x");
        }
        Files.setLastModifiedTime(p, FileTime.from(Instant.now()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nrt4j", "nrt4j-sample"})
    void anUpToDateJarRunsAsItIsWhateverChangesOutsideMainSources(String name) throws Exception {
        use(name);
        assertThat(launch()).isEqualTo("RAN");
        touch("tools/target/classes/B.class");
        touch("model-formats/src/test/java/T.java");
        touch("README.md");
        assertThat(launch()).isEqualTo("RAN");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nrt4j", "nrt4j-sample"})
    void aChangedMainSourceRebuilds(String name) throws Exception {
        use(name);
        touch("model-formats/src/main/java/dev/A.java");
        assertThat(launch()).isEqualTo("BUILT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nrt4j", "nrt4j-sample"})
    void aDeletedMainSourceRebuilds(String name) throws Exception {
        use(name);
        Files.delete(root.resolve("tools/src/main/java/dev/A.java"));
        assertThat(launch()).isEqualTo("BUILT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nrt4j", "nrt4j-sample"})
    void aChangedPomRebuilds(String name) throws Exception {
        use(name);
        touch("pom.xml");
        assertThat(launch()).isEqualTo("BUILT");
        Files.setLastModifiedTime(root.resolve("pom.xml"), FileTime.from(BUILT.minusSeconds(60)));
        touch("tools/pom.xml");
        assertThat(launch()).isEqualTo("BUILT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nrt4j", "nrt4j-sample"})
    void aMissingJarIsBuilt(String name) throws Exception {
        use(name);
        Files.delete(jar);
        assertThat(launch()).isEqualTo("BUILT");
    }
}
