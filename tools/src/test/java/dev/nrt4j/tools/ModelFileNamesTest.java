package dev.nrt4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.HostTensor;
import dev.nrt4j.npy.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names a hostile NEFF can give its tensors (the reader keeps them as data) become files inside the
 * chosen directory and nowhere else (issue 12, item 2).
 */
class ModelFileNamesTest {
    @TempDir
    Path temp;

    @Test
    void traversalAbsoluteControlAndReservedNamesAllLandInsideTheDirectory() throws IOException {
        Path dir = temp.resolve("a/b/out");
        List<String> hostile = List.of(
                "../../x",
                "/abs/x",
                "..",
                ".",
                "",
                "a\u0000b\n\u001b[2J",
                "CON",
                "nul.txt",
                "C:\\\\windows\\\\x",
                "a/b",
                "a_b",
                "A_B",
                "\u202eexe.npy",
                "x".repeat(1000),
                "output0");
        Map<String, Path> files = ModelFileNames.inside(dir, hostile, ".npy");
        Files.createDirectories(dir);
        for (Path f : files.values()) {
            Npy.write(HostTensor.of(new float[] {1, 2}, 2), f);
        }
        assertThat(files).hasSize(hostile.size());
        assertThat(files.values())
                .allSatisfy(f ->
                        assertThat(f.getParent()).isEqualTo(dir.toAbsolutePath().normalize()));
        assertThat(files.values().stream()
                        .map(Path::getFileName)
                        .map(Path::toString)
                        .collect(Collectors.toSet()))
                .as("no two outputs share a file")
                .hasSize(hostile.size())
                .allSatisfy(n ->
                        assertThat(n).doesNotStartWith(".").doesNotContain("/", "\\\\", ":", "\u0000", "\n", "\u202e"));
        try (Stream<Path> all = Files.walk(temp)) {
            assertThat(all.filter(Files::isRegularFile)
                            .filter(f -> !f.getParent().equals(dir)))
                    .as("nothing outside")
                    .isEmpty();
        }
        assertThat(Path.of("/abs/x.npy")).doesNotExist();
        assertThat(files.get("output0").getFileName().toString()).isEqualTo("output0.npy");
        assertThat(files.get("CON").getFileName().toString()).isEqualTo("_CON.npy");
        assertThat(files.get("../../x").getFileName().toString()).isEqualTo("______x.npy");
    }
}
