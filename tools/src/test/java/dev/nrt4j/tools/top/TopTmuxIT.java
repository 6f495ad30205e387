package dev.nrt4j.tools.top;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full-screen {@code nrt4j top} as a user meets it: the shaded jar, run the way bin/nrt4j runs it, in a
 * real terminal (a detached tmux session of a fixed size, on a tmux server of its own), driven by keys.
 * Skipped, saying why, where tmux is not installed.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TopTmuxIT {
    private static final String INSTANCE = "inf2.24xlarge";
    private static final long WAIT_MILLIS = 40_000;

    @TempDir
    Path dir;

    private final String socket = "nrt4j-top-it-" + ProcessHandle.current().pid();

    @AfterEach
    void stopServer() throws Exception {
        if (tmuxInstalled()) {
            tmux("kill-server");
        }
    }

    @Test
    void drawsTheTitleAndGridTogglesFlopsPagesThroughDevicesAndQuitsOnQ() throws Exception {
        dev.nrt4j.testsupport.Needs.that(
                tmuxInstalled(), "tmux, to drive the full-screen top (Debian: apt-get install tmux)");
        Path jar = Path.of(System.getProperty("basedir", "."))
                .resolve("target/nrt4j.jar")
                .toAbsolutePath();
        assertThat(jar).as("the shaded jar is built before integration tests").exists();
        Path err = dir.resolve("stderr.txt");
        Path exit = dir.resolve("exit.txt");
        String java = ProcessHandle.current().info().command().orElseThrow();
        String command = String.join(
                " ",
                quote(java),
                "--enable-native-access=ALL-UNNAMED",
                "-Dnrt4j.stateDir=" + quote(dir.resolve("state").toString()),
                "-jar",
                quote(jar.toString()),
                "top",
                "--backend",
                "reference",
                "--instance-type",
                INSTANCE,
                "--interval",
                "300",
                "2>" + quote(err.toString()) + ";",
                "echo $? >" + quote(exit.toString()) + ";",
                "sleep 60");

        tmux("new-session", "-d", "-s", "top", "-x", "100", "-y", "30", command);

        String screen = awaitScreen(s -> s.contains("[ND0-"), "the first page");
        List<String> lines = screen.lines().toList();
        assertThat(lines.get(0))
                .startsWith("nrt4j top ")
                .contains(" running on i-")
                .endsWith("(" + INSTANCE + ")");
        assertThat(screen)
                .contains("NeuronCore v2 Utilization (Avg: ")
                .contains("Memory Usage Summary")
                .contains("Memory Usage Details");
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("ND0\\s+\\[\\s*[0-9.]+%]\\s+\\[\\s*[0-9.]+%]"));
        String keys =
                lines.stream().filter(l -> l.contains("q: quit")).findFirst().orElseThrow();
        assertThat(keys).as("30 rows cannot hold 6 devices").matches("\\[ND0-ND[0-4] of 6]   q: quit.*");

        assertThat(screen).contains("Neuron Apps  >[1]:all<");
        tmux("send-keys", "-t", "top", "f");
        String flops = awaitScreen(s -> s.contains("NeuronCore v2 FLOPS (Avg: "), "the FLOPS grid after 'f'");
        assertThat(flops.lines().toList())
                .anySatisfy(l -> assertThat(l).matches("ND0\\s+\\[\\s*[0-9.]+[TGMK]F]\\s+\\[\\s*[0-9.]+[TGMK]F]"));
        tmux("send-keys", "-t", "top", "f");
        awaitScreen(s -> s.contains("NeuronCore v2 Utilization (Avg: "), "utilization again after a second 'f'");

        tmux("send-keys", "-t", "top", "NPage");
        String next = awaitScreen(s -> !s.contains("[ND0-"), "the next page after PgDn");
        assertThat(next).doesNotContain("\nND0 ");
        tmux("send-keys", "-t", "top", "End");
        assertThat(awaitScreen(s -> s.contains("ND5 of 6]"), "the last page after End"))
                .contains("\nND5 ");

        tmux("send-keys", "-t", "top", "q");
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!Files.exists(exit) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(exit).as("top exited after q").exists();
        assertThat(Files.readString(exit).strip())
                .as("exit status; stderr: " + read(err))
                .isEqualTo("0");
        assertThat(read(err))
                .as("nothing on stderr: no terminal-provider or native-access warnings")
                .isEmpty();
        assertThat(capture()).as("the screen is restored").doesNotContain("NeuronCore");
    }

    private String awaitScreen(Predicate<String> condition, String what) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        String screen = "";
        while (System.currentTimeMillis() < deadline) {
            screen = capture();
            if (condition.test(screen)) {
                return screen;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(
                "the screen did not show " + what + " within " + WAIT_MILLIS + " ms; it shows:\n" + screen);
    }

    private String capture() throws Exception {
        return tmux("capture-pane", "-p", "-t", "top");
    }

    private String tmux(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("tmux", "-L", socket));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private static boolean tmuxInstalled() {
        try {
            Process p =
                    new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
