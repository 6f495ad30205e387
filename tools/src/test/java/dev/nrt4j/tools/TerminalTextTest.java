package dev.nrt4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.DType;
import dev.nrt4j.Shape;
import dev.nrt4j.neff.NeffBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names from models and other processes reach the terminal as data, never as commands to it. */
class TerminalTextTest {
    @TempDir
    Path temp;

    private static final String CLEAR_SCREEN_AND_FORGE_A_LINE = "y\u001b[2J\nnrt4j: all good";

    @Test
    void controlFormatAndSeparatorCharactersAreShownAsEscapes() {
        assertThat(TerminalText.escape(CLEAR_SCREEN_AND_FORGE_A_LINE)).isEqualTo("y\\u001b[2J\\u000anrt4j: all good");
        // C1 CSI, DEL, carriage return, a right-to-left override, a zero-width joiner, the line separator.
        assertThat(TerminalText.escape("a\u009b2Jb\u007f\r\u202ec\u200dd\u2028"))
                .isEqualTo("a\\u009b2Jb\\u007f\\u000d\\u202ec\\u200dd\\u2028");
        // A format character outside the Basic Multilingual Plane (a tag character).
        assertThat(TerminalText.escape("x\uDB40\uDC01")).isEqualTo("x\\ue0001");
    }

    @Test
    void printableTextOfAnyScriptIsKeptAsItIs() {
        String plain = "output0 /a/../b ü 日本 \uD83D\uDE00 \\u001b";
        assertThat(TerminalText.escape(plain)).isSameAs(plain);
    }

    @Test
    void quotedNamesShowWhereTheyBeginAndEnd() {
        assertThat(TerminalText.quoted(" a\nb ")).isEqualTo("\" a\\u000ab \"");
        assertThat(TerminalText.quoted("")).isEqualTo("\"\"");
    }

    @Test
    void runPrintsAnOutputNameFromTheModelEscapedOnOneLine() {
        String line = RunCommand.outputLine(CLEAR_SCREEN_AND_FORGE_A_LINE, DType.FLOAT32, Shape.of(2), "[1.0, 2.0]");
        assertThat(line)
                .isEqualTo("y\\u001b[2J\\u000anrt4j: all good: f32[2] [1.0, 2.0]")
                .doesNotContain("\u001b", "\n");
    }

    @Test
    void inspectPrintsANeffsHostileNameEscaped() throws Exception {
        // The reader keeps the header's network name as data; def.json's names with control characters it refuses.
        byte[] neff = new NeffBuilder()
                .name("net\u001b[2J\nforged")
                .directory("sg00/")
                .file("sg00/def.json", NeffBuilder.defJson("input0", "input", 0, 16, "output0", "output", 1, 16))
                .build();
        CommandRun r = CommandRun.of(
                "inspect", Files.write(temp.resolve("hostile.neff"), neff).toString());
        // A bare NEFF runs on no backend of this machine (the reference device needs its HLO): the report
        // is printed, then inspect exits 1 saying so.
        assertThat(r.status()).as(r.err()).isEqualTo(Nrt4jCommand.EXIT_FAILURE);
        assertThat(r.err()).contains("no backend here can run").doesNotContain("\u001b");
        assertThat(r.out()).doesNotContain("\u001b").contains("net\\u001b[2J\\u000aforged");
        assertThat(r.out().lines()).as("no line forged by a newline in a name").noneMatch(l -> l.startsWith("forged"));

        byte[] badNames = new NeffBuilder()
                .directory("sg00/")
                .file(
                        "sg00/def.json",
                        NeffBuilder.defJson("in\\u001b[2J\\nput", "input", 0, 16, "output0", "output", 1, 16))
                .build();
        CommandRun refused = CommandRun.of(
                "inspect", Files.write(temp.resolve("names.neff"), badNames).toString());
        assertThat(refused.status()).isEqualTo(Nrt4jCommand.EXIT_FAILURE);
        assertThat(refused.err().lines())
                .singleElement()
                .satisfies(l -> assertThat(l).contains("[INVALID]").doesNotContain("\u001b"));
    }
}
