package dev.nrt4j.server;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.pool.PoolOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A served model's {@code config.json}, with Triton's names where Triton has one:
 * {@code max_batch_size} (0: no batching; else the model's compiled batch, which turns batching on),
 * {@code dynamic_batching.max_queue_delay_microseconds} (how long a batch waits to fill, default
 * {@value #DEFAULT_DELAY_US}), {@code instances} (one per core on the first cores) or {@code cores} (the
 * core indexes), and {@code queue_limit}. Every key is optional; an unknown one is an error, so that a
 * typo does not pass unnoticed. Immutable.
 *
 * @param maxBatchSize the compiled batch to group requests into, or 0
 * @param options where and how the model's pool runs
 */
record ModelConfig(int maxBatchSize, PoolOptions options) {
    /** The name of the file in a model's directory. */
    static final String FILE = "config.json";

    static final long DEFAULT_DELAY_US = 2000;
    private static final Set<String> KEYS =
            Set.of("max_batch_size", "dynamic_batching", "instances", "cores", "queue_limit");

    /** One instance on the first core, no batching. */
    static ModelConfig defaults() {
        return new ModelConfig(0, PoolOptions.onFirstCores(1));
    }

    /**
     * The config in {@code dir}, or the defaults when it has none.
     *
     * @throws NeuronException {@link Status#INVALID} for a config that is not valid JSON or says something
     *     impossible
     */
    static ModelConfig in(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return defaults();
        }
        try {
            if (Files.size(file) > 64 * 1024) {
                throw invalid(file, "it is over 64 KiB; a model's config is a few keys");
            }
            return of(file, StrictJson.MAPPER.readTree(Files.readAllBytes(file)));
        } catch (JacksonException e) {
            throw invalid(file, "it is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new NeuronException(Status.INVALID, "read " + file, String.valueOf(e.getMessage()), e);
        }
    }

    static ModelConfig of(Path file, JsonNode root) {
        if (root == null || !root.isObject()) {
            throw invalid(file, "it must be a JSON object");
        }
        for (String key : root.propertyNames()) {
            if (!KEYS.contains(key)) {
                throw invalid(file, "unknown key '" + key + "'; the keys are " + new TreeSet<>(KEYS));
            }
        }
        int batch = integer(file, root, "max_batch_size", 0, 0, 1 << 20);
        long delayUs = DEFAULT_DELAY_US;
        JsonNode dyn = root.get("dynamic_batching");
        if (dyn != null) {
            if (!dyn.isObject() || dyn.size() > 1 || (dyn.size() == 1 && !dyn.has("max_queue_delay_microseconds"))) {
                throw invalid(file, "'dynamic_batching' must be {\"max_queue_delay_microseconds\": N}");
            }
            delayUs = integer(file, dyn, "max_queue_delay_microseconds", (int) DEFAULT_DELAY_US, 0, 10_000_000);
        }
        if (root.has("instances") && root.has("cores")) {
            throw invalid(file, "give 'instances' or 'cores', not both");
        }
        PoolOptions options;
        JsonNode cores = root.get("cores");
        if (cores != null) {
            if (!cores.isArray() || cores.isEmpty() || cores.size() > 1024) {
                throw invalid(file, "'cores' must be a non-empty array of core indexes");
            }
            int[] c = new int[cores.size()];
            for (int i = 0; i < c.length; i++) {
                JsonNode n = cores.get(i);
                if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 0) {
                    throw invalid(file, "'cores' must hold core indexes, 0 or more; got " + n);
                }
                c[i] = n.intValue();
            }
            try {
                options = PoolOptions.onCores(c);
            } catch (IllegalArgumentException e) {
                throw invalid(file, e.getMessage());
            }
        } else {
            options = PoolOptions.onFirstCores(integer(file, root, "instances", 1, 1, 1024));
        }
        if (batch > 0) {
            options = options.withBatching(Duration.ofNanos(delayUs * 1000));
        }
        if (root.has("queue_limit")) {
            options = options.withQueueLimit(integer(file, root, "queue_limit", 1, 1, 1 << 20));
        }
        return new ModelConfig(batch, options);
    }

    private static int integer(Path file, JsonNode node, String key, int absent, int min, int max) {
        JsonNode v = node.get(key);
        if (v == null) {
            return absent;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
            throw invalid(file, "'" + key + "' must be an integer from " + min + " to " + max + ", got " + v);
        }
        return v.intValue();
    }

    private static NeuronException invalid(Path file, String detail) {
        return new NeuronException(Status.INVALID, "read " + file, detail);
    }
}
