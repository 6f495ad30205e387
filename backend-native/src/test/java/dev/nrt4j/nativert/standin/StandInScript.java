package dev.nrt4j.nativert.standin;

import dev.nrt4j.testsupport.Needs;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The stand-in {@code neuronx-cc} script the test build writes beside the libnrt double (system property
 * {@code nrt4j.test.neuronxCc}, set by the pom). Tests that need it are skipped when it is absent, and
 * fail under NRT4J_STRICT=1. Stateless.
 */
public final class StandInScript {
    private StandInScript() {}

    /** The script; skips the calling test (fails it under strict mode) when the build did not write it. */
    public static Path path() {
        String p = System.getProperty("nrt4j.test.neuronxCc", "");
        Needs.that(
                !p.isEmpty() && Files.isExecutable(Path.of(p)),
                "the stand-in neuronx-cc (target/libnrt-double/neuronx-cc),"
                        + " which the test build writes at process-test-classes (run the tests through Maven)");
        return Path.of(p);
    }
}
