package dev.nrt4j.samples;

import dev.nrt4j.RuntimeOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** Runtime options for tests: the reference device in a test's own state directory, whatever the environment says. */
public final class TestRuntimes {
    private TestRuntimes() {}

    /** The reference device, imitating {@code instanceType}, claiming cores in {@code stateDir}. */
    public static RuntimeOptions.Builder reference(Path stateDir, String instanceType) {
        return RuntimeOptions.builder(Map.of(), new Properties())
                .backend("reference")
                .instanceType(instanceType)
                .stateDir(stateDir);
    }
}
