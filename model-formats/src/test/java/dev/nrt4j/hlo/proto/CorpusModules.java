package dev.nrt4j.hlo.proto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.testsupport.Needs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@code model.hlo_module.pb} files of the shared corpus (its JAX-lowered and StableHLO-converted
 * families), for the tests that read every one. Without the corpus the calling test is skipped
 * ({@link Needs#sharedCorpus}).
 */
final class CorpusModules {
    private CorpusModules() {}

    /** Every module, family by family, in name order; fails if the corpus looks incomplete. */
    static List<Path> all() throws IOException {
        Path corpus = Needs.sharedCorpus();
        List<Path> out = new ArrayList<>();
        for (String family : List.of("jax", "stablehlo")) {
            Path dir = corpus.resolve(family);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> cases = Files.list(dir)) {
                cases.map(c -> c.resolve("model.hlo_module.pb"))
                        .filter(Files::isRegularFile)
                        .sorted()
                        .forEach(out::add);
            }
        }
        assertThat(out).as("modules under %s", corpus).hasSizeGreaterThan(2000);
        return out;
    }

    /** {@return the module's case as {@code family/case}, for messages} */
    static String name(Path module) {
        return module.getParent().getParent().getFileName() + "/"
                + module.getParent().getFileName();
    }
}
