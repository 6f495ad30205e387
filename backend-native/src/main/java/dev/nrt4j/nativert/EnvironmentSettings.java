package dev.nrt4j.nativert;

import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.nativert.binding.LibNrt;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code NEURON_RT_*} variables a {@link RuntimeOptions} stands for. libnrt reads its
 * configuration from the process environment at {@code nrt_init} and {@code nrt_load}, and Java
 * cannot change its own environment, so they are set with libc {@code setenv} before init and the
 * previous values put back when the runtime closes. Not thread-safe: one runtime per process
 * applies them, under the runtime's open/close guard.
 */
final class EnvironmentSettings {
    private final Map<String, String> wanted;
    private final Map<String, Optional<String>> previous = new LinkedHashMap<>();

    private EnvironmentSettings(Map<String, String> wanted) {
        this.wanted = wanted;
    }

    /** The variables for these options; options that are not set leave the environment as it is. */
    static EnvironmentSettings of(RuntimeOptions options) {
        Map<String, String> w = new LinkedHashMap<>();
        options.visibleCores().ifPresent(v -> w.put("NEURON_RT_VISIBLE_CORES", v));
        options.numCores().ifPresent(n -> w.put("NEURON_RT_NUM_CORES", Integer.toString(n)));
        options.lnc().ifPresent(n -> w.put("NEURON_LOGICAL_NC_CONFIG", Integer.toString(n)));
        options.execTimeoutSeconds().ifPresent(t -> w.put("NEURON_RT_EXEC_TIMEOUT", Long.toString(t)));
        options.profileOutput().ifPresent(dir -> {
            // libnrt's inspect switch (nrt-api 7): system and device profiles (NTFF) go to the directory.
            w.put("NEURON_RT_INSPECT_ENABLE", "1");
            w.put("NEURON_RT_INSPECT_OUTPUT_DIR", dir.toAbsolutePath().toString());
        });
        // libnrt's console log follows the runtime's level (QUIET when it is OFF).
        options.libnrtLogLevel().ifPresent(level -> w.put("NEURON_RT_LOG_LEVEL", level));
        return new EnvironmentSettings(w);
    }

    /** What will be set, in order. */
    Map<String, String> variables() {
        return Map.copyOf(wanted);
    }

    /** Sets the variables, remembering what they were. */
    void apply(LibNrt lib) {
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            previous.putIfAbsent(e.getKey(), lib.getenv(e.getKey()));
            lib.setenv(e.getKey(), e.getValue());
        }
    }

    /** Puts back what {@link #apply} changed. */
    void restore(LibNrt lib) {
        for (Map.Entry<String, Optional<String>> e : previous.entrySet()) {
            if (e.getValue().isPresent()) {
                lib.setenv(e.getKey(), e.getValue().get());
            } else {
                lib.unsetenv(e.getKey());
            }
        }
        previous.clear();
    }
}
