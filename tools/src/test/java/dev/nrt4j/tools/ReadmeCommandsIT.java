package dev.nrt4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code bin/nrt4j} command the README shows in a code block runs on a bare clone: each line
 * that starts with {@code bin/nrt4j } or {@code $ bin/nrt4j } is run through the packaged jar, as the
 * launcher runs it, from the repository root (so {@code examples/…} resolves as it does for a user),
 * and must exit 0 without a stack trace.
 *
 * <p>What is not a command: rows of a usage synopsis, told by their placeholders ({@code [OPTIONS]},
 * {@code ...}, upper-case metavariables such as {@code MODEL} or {@code NAME=FILE.npy}); a row's
 * description column (after two or more spaces) and a shell comment are cut off first, so a synopsis
 * row without placeholders ({@code bin/nrt4j backends}) runs. Lines that cannot run here are listed in
 * {@link #EXCLUDED}, each with its reason, and the test fails when one of them is no longer in the
 * README, so the list cannot rot. An argument naming a path outside the checkout (such as
 * {@code ../shared/corpus}, which this build's machine may have) fails the line. Arguments under
 * {@code /tmp/} are moved into the test's own directory, and the reference device keeps its state
 * there too.
 */
class ReadmeCommandsIT {
    /** README lines (as written, without a leading {@code $ }) that are not run, and why. */
    static final Map<String, String> EXCLUDED = Map.of(
            "bin/nrt4j conformance --backend native --report native.json",
            "needs a Neuron host (libnrt and neuronx-cc); the same kit through the libnrt double is "
                    + "ToolsJarIT.theWholeKitRunsOnTheNativeBackendWithOnlyLibnrtAndTheCompilerNamed",
            "bin/nrt4j serve --port 8000 --model-repository models/           # every models/<name>/",
            "serves until stopped, from a repository the reader makes; ServeSigtermIT starts serve from the jar "
                    + "on a repository and stops it with SIGTERM",
            "bin/nrt4j serve --port 8000 mlp=examples/mlp/model.hlo_module.pb    # or NAME=MODEL pairs",
            "serves until stopped; ServeSigtermIT starts serve from the jar and stops it with SIGTERM",
            "bin/nrt4j serve --instance-type trn1.2xlarge --host 127.0.0.1 --port 18732 --model-repository /tmp/repo &",
            "the serving measurement: a server in the background for the load generator; ServeSigtermIT starts "
                    + "serve on a repository from the jar and stops it with SIGTERM");

    private static final Pattern DESCRIPTION = Pattern.compile("\\s{2,}\\S.*$");
    private static final Pattern COMMENT = Pattern.compile("\\s+#.*$");
    private static final Pattern METAVARIABLE = Pattern.compile("(^|[\\s=|,\\[])[A-Z][A-Z0-9_]*(?=$|[\\s=|,.\\]])");
    private static final Pattern SHELL_SYNTAX = Pattern.compile("[&|;<>`]|\\$[({A-Za-z]");

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> everyReadmeCommandRunsOnABareClone() throws IOException {
        List<String> commands = commands();
        assertThat(commands)
                .as("commands found in README.md")
                .hasSizeGreaterThanOrEqualTo(5)
                .anyMatch(c -> c.startsWith("bin/nrt4j run "))
                .anyMatch(c -> c.startsWith("bin/nrt4j bench "))
                .anyMatch(c -> c.startsWith("bin/nrt4j inspect "))
                .anyMatch(c -> c.startsWith("bin/nrt4j conformance "));
        return commands.stream().map(c -> DynamicTest.dynamicTest(c, () -> runs(c)));
    }

    @Test
    void everyExcludedLineIsStillInTheReadme() throws IOException {
        List<String> lines = codeBlockLines();
        for (String excluded : EXCLUDED.keySet()) {
            assertThat(lines)
                    .as("README.md no longer has the excluded line; drop it from ReadmeCommandsIT.EXCLUDED")
                    .contains(excluded);
        }
    }

    private void runs(String command) throws IOException, InterruptedException {
        assertThat(SHELL_SYNTAX.matcher(command).find())
                .as("'%s' uses shell syntax this test does not run; add it to EXCLUDED with the reason", command)
                .isFalse();
        List<String> args = new ArrayList<>();
        for (String word : words(command.substring("bin/nrt4j ".length()))) {
            // This build's machine may have ../shared beside the checkout; a user's fresh clone has not.
            String path = word.substring(word.indexOf('=') + 1);
            assertThat(path.startsWith("/tmp/")
                            || !path.contains("/")
                            || repositoryRoot().resolve(path).normalize().startsWith(repositoryRoot()))
                    .as("'%s' names %s, outside the checkout, which a fresh clone does not have", command, path)
                    .isTrue();
            args.add(
                    word.startsWith("/tmp/")
                            ? dir.resolve("tmp")
                                    .resolve(word.substring("/tmp/".length()))
                                    .toString()
                            : word);
        }
        Files.createDirectories(dir.resolve("tmp"));
        JarProcess p = JarProcess.run(repositoryRoot(), dir, jvmOptions(), Map.of(), args.toArray(String[]::new));
        String all = p.out() + p.err();
        assertThat(p.status()).as("exit status of %s%n%s", command, all).isZero();
        assertThat(all)
                .as("output of %s", command)
                .doesNotContainPattern("(?m)^\\s+at [\\w.$/]+\\(")
                .doesNotContain("Exception in thread");
    }

    /**
     * The launcher's options for the commands that run models: the vector module when this JDK has it
     * (the launcher leaves it out of the quick commands only to start them faster; their output is the
     * same but for the kernel named in {@code info}).
     */
    private List<String> jvmOptions() {
        List<String> options = new ArrayList<>(List.of("-Dnrt4j.stateDir=" + dir.resolve("state")));
        if (ModuleFinder.ofSystem().find("jdk.incubator.vector").isPresent()) {
            options.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        return options;
    }

    /** The README's runnable command lines, in order: synopsis rows and excluded lines left out. */
    static List<String> commands() throws IOException {
        List<String> commands = new ArrayList<>();
        for (String line : codeBlockLines()) {
            if (!line.startsWith("bin/nrt4j ") || EXCLUDED.containsKey(line)) {
                continue;
            }
            String command = DESCRIPTION
                    .matcher(COMMENT.matcher(line).replaceFirst(""))
                    .replaceFirst("")
                    .strip();
            boolean synopsis = command.contains("[")
                    || command.contains("...")
                    || METAVARIABLE.matcher(command).find();
            if (!synopsis) {
                commands.add(command);
            }
        }
        return commands;
    }

    /** Every line inside a fenced code block of README.md, with a leading {@code $ } prompt removed. */
    static List<String> codeBlockLines() throws IOException {
        List<String> lines = new ArrayList<>();
        boolean inBlock = false;
        for (String line : Files.readAllLines(repositoryRoot().resolve("README.md"))) {
            if (line.startsWith("```")) {
                inBlock = !inBlock;
            } else if (inBlock) {
                lines.add(line.startsWith("$ ") ? line.substring(2) : line);
            }
        }
        return lines;
    }

    /** Words of a command line as a POSIX shell splits them, for the quoting the README uses ('…' and "…"). */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (char ch : line.toCharArray()) {
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else {
                    word.append(ch);
                }
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(ch)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(ch);
            }
        }
        assertThat(quote == 0).as("unterminated quote in %s", line).isTrue();
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    private static Path repositoryRoot() {
        return Path.of(System.getProperty("basedir", "."))
                .resolve("..")
                .toAbsolutePath()
                .normalize();
    }
}
