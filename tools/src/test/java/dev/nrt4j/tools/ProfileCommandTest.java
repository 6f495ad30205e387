package dev.nrt4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.testsupport.ProfiledHlo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code run --profile} and {@code bench --profile} on the reference device: the trace and its summary. */
@Isolated("opens reference runtimes, which share simulated cores within the JVM")
class ProfileCommandTest {

    @TempDir
    Path dir;

    private static List<JsonNode> events(Path trace) {
        List<JsonNode> events = new ArrayList<>();
        JsonMapper.builder().build().readTree(trace.toFile()).get("traceEvents").forEach(events::add);
        return events;
    }

    @Test
    void runWritesOneCompleteEventPerExecutedInstructionAndSummarisesThem() throws Exception {
        Path model = Files.writeString(dir.resolve("small.hlo.txt"), ProfiledHlo.PROGRAM);
        Path trace = dir.resolve("trace.json");

        CommandRun r = CommandRun.of(
                "run", "--backend=reference", model.toString(), "--random-inputs", "--profile", trace.toString());

        assertThat(r.status()).as(r.err()).isZero();
        List<JsonNode> events = events(trace);
        assertThat(events).extracting(e -> e.get("name").asString()).containsExactlyElementsOf(ProfiledHlo.OPCODES);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("ph").asString()).isEqualTo("X");
            assertThat(e.get("dur").asDouble()).isGreaterThanOrEqualTo(0);
        });
        assertThat(r.out())
                .contains("profile: 6 events in " + trace)
                .contains("OP")
                .contains("TOTAL MS");
        for (String op : ProfiledHlo.OPCODES) {
            assertThat(r.out()).containsPattern("(?m)^" + op + " +" + (op.equals("parameter") ? 2 : 1) + " ");
        }
    }

    @Test
    void benchProfilesEveryExecutionWarmupIncluded() throws Exception {
        Path model = Files.writeString(dir.resolve("small.hlo.txt"), ProfiledHlo.PROGRAM);
        Path trace = dir.resolve("bench.json");

        CommandRun r = CommandRun.of(
                "bench",
                "--backend=reference",
                model.toString(),
                "--warmup",
                "1",
                "--iterations",
                "3",
                "--profile",
                trace.toString());

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(events(trace)).hasSize(ProfiledHlo.OPCODES.size() * 4);
        assertThat(r.out()).containsPattern("(?m)^dot +4 ");
    }

    @Test
    void withoutProfileNothingIsWrittenOrSummarised() throws Exception {
        Path model = Files.writeString(dir.resolve("small.hlo.txt"), ProfiledHlo.PROGRAM);

        CommandRun r = CommandRun.of("run", "--backend=reference", model.toString(), "--random-inputs");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("profile:");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(model);
        }
    }

    @Test
    void anUnwritableProfilePathIsOneLineWithItsStatus() throws Exception {
        Path model = Files.writeString(dir.resolve("small.hlo.txt"), ProfiledHlo.PROGRAM);
        Path trace = dir.resolve("no-such-dir").resolve("trace.json");

        CommandRun r = CommandRun.of(
                "run", "--backend=reference", model.toString(), "--random-inputs", "--profile", trace.toString());

        assertThat(r.status()).isEqualTo(Nrt4jCommand.EXIT_FAILURE);
        assertThat(r.err().strip()).doesNotContain("\n").contains("[INVALID]").contains(trace.toString());
        assertThat(r.out()).doesNotContain("profile:");
        assertThat(trace.getParent()).doesNotExist();
    }
}
