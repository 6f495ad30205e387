package dev.nrt4j.hlo.proto;

import static org.assertj.core.api.Assertions.fail;

import dev.nrt4j.hlo.HloDiff;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.proto.schema.HloModuleProto;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every {@code model.hlo_module.pb} of the shared corpus (JAX-lowered and StableHLO-converted
 * programs) read, written and read again gives the same module ({@link HloDiff}: every computation
 * and instruction, operands by name, attributes, literals bit for bit); the written bytes break none
 * of {@link XlaLoadRules}, and writing the module read back gives the same bytes again. The corpus
 * lives outside the repository; without it this test is skipped.
 *
 * <p>The round trip is only as strong as the reader: what the reader does not keep (metadata,
 * sharding, precision config, frontend attributes, topk's k) is neither compared nor written.
 */
class HloProtoRoundTripCorpusTest {

    @Test
    void everyCorpusModuleRoundTrips() throws IOException {
        List<Path> modules = CorpusModules.all();
        List<String> problems = new ArrayList<>();
        long instructions = 0;
        for (Path file : modules) {
            String name = CorpusModules.name(file);
            try {
                HloModule original = HloProtoReader.read(file);
                Optional<String> problem = check(original, file);
                problem.ifPresent(p -> problems.add(name + ": " + p));
                instructions += original.instructionCount();
            } catch (RuntimeException | AssertionError e) {
                problems.add(name + ": " + e);
            }
        }
        int ok = modules.size() - problems.size();
        System.out.printf(
                "HLO proto round trip: %d of %d corpus modules (%d instructions) read, write and read back the same%n",
                ok, modules.size(), instructions);
        if (!problems.isEmpty()) {
            fail(problems.size() + " of " + modules.size() + " corpus modules do not round-trip:\n"
                    + String.join("\n", problems.subList(0, Math.min(30, problems.size()))));
        }
    }

    /** The first problem with one module, if any. */
    private static Optional<String> check(HloModule original, Path file) throws IOException {
        byte[] written = HloProtoWriter.write(original);
        List<String> violations = XlaLoadRules.violations(HloModuleProto.parseFrom(written));
        if (!violations.isEmpty()) {
            return Optional.of(
                    "XLA would refuse the written module: " + violations.subList(0, Math.min(5, violations.size())));
        }
        HloModule again = HloProtoReader.read(written, file + " (written)");
        Optional<String> difference = HloDiff.between(original, again);
        if (difference.isPresent()) {
            return Optional.of("read back differently: " + difference.get());
        }
        if (!Arrays.equals(HloProtoWriter.write(again), written)) {
            return Optional.of("writing the module read back gives other bytes");
        }
        return Optional.empty();
    }
}
