package dev.nrt4j.nativert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.testsupport.Needs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * build-double.sh on a machine without gcc (a PATH holding only the tools the script needs): the stand-in
 * compiler is still written, and strict mode turns the missing compiler from a notice into a failure that
 * says what to install.
 */
class BuildDoubleScriptTest {
    private static final Path SCRIPT = Path.of("src/test/c/build-double.sh");

    @TempDir
    Path dir;

    private Path bin;

    @BeforeEach
    void aPathWithoutGcc() throws IOException {
        Needs.optional(Files.isExecutable(Path.of("/bin/sh")), "a POSIX sh at /bin/sh");
        bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : List.of("sh", "dirname", "mkdir", "sed", "cat", "chmod", "mv", "printf")) {
            Path found = which(tool);
            if (found != null) {
                // A forwarding script rather than a symbolic link, which JUnit warns about when it cleans up.
                Path w = Files.writeString(bin.resolve(tool), "#!/bin/sh\nexec '" + found + "' \"$@\"\n");
                w.toFile().setExecutable(true);
            }
        }
    }

    private static Path which(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(d, tool);
            if (!d.isEmpty() && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private record Run(int exit, String output) {}

    private Run run(Map<String, String> env, String... args) throws Exception {
        List<String> cmd =
                new ArrayList<>(List.of("/bin/sh", SCRIPT.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", bin.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void withoutGccTheBuildPassesWithANotice() throws Exception {
        Run r = run(Map.of(), dir.resolve("out").toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).startsWith("NOTICE: gcc not found").contains("apt-get install gcc zlib1g-dev");
        assertThat(dir.resolve("out/libnrt.so.1")).doesNotExist();
    }

    @Test
    void strictModeFailsSayingWhatToInstall() throws Exception {
        for (Map<String, String> strict :
                List.of(Map.of("NRT4J_STRICT", "1"), Map.of("NRT4J_STRICT_PROPERTY", "true"))) {
            Run r = run(strict, dir.resolve("out").toString());
            assertThat(r.exit()).as(r.output()).isEqualTo(1);
            assertThat(r.output())
                    .startsWith("ERROR: gcc not found")
                    .contains("gcc")
                    .contains("zlib1g-dev")
                    .contains("NRT4J_STRICT=1")
                    .doesNotContain("NOTICE");
        }
        // The property wins over the variable, as in the tests' Needs.
        Run off = run(
                Map.of("NRT4J_STRICT", "1", "NRT4J_STRICT_PROPERTY", "false"),
                dir.resolve("out").toString());
        assertThat(off.exit()).as(off.output()).isZero();
    }

    @Test
    void theStandInIsWrittenWithoutGccAndQuotesItsPaths() throws Exception {
        Path odd = Files.createDirectories(dir.resolve("it's a dir"));
        Path cp = Files.writeString(odd.resolve("cp.txt"), "/x/a.jar:/y/b's.jar\n");
        Path java = odd.resolve("java");
        // A "java" that prints its arguments, one per line: what the generated script execs.
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        java.toFile().setExecutable(true);
        Path out = odd.resolve("out");
        Run r = run(
                Map.of(),
                out.toString(),
                java.toString(),
                odd.toString(),
                odd.resolve("classes").toString(),
                cp.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        Path script = out.resolve("neuronx-cc");
        assertThat(Files.isExecutable(script)).isTrue();
        Process p = new ProcessBuilder(script.toString(), "--version", "a b")
                .redirectErrorStream(true)
                .start();
        List<String> args = List.of(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(args)
                .containsSubsequence(
                        "-cp",
                        odd + ":" + odd.resolve("classes") + ":/x/a.jar:/y/b's.jar",
                        "dev.nrt4j.nativert.standin.NeuronxCcStandIn",
                        "--version",
                        "a b");
    }

    @Test
    void theStandInSaysSoWhenItsClassesAreGone() throws Exception {
        Path cp = Files.writeString(dir.resolve("cp.txt"), "/x/a.jar\n");
        Path out = dir.resolve("out");
        Run r = run(
                Map.of(),
                out.toString(),
                "/nonexistent/java",
                dir.resolve("gone").toString(),
                dir.resolve("classes").toString(),
                cp.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        Process p = new ProcessBuilder(out.resolve("neuronx-cc").toString(), "--version")
                .redirectErrorStream(true)
                .start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(said.trim())
                .startsWith("ERROR [nrt4j stand-in] its classes are gone")
                .doesNotContain("\n");
    }
}
