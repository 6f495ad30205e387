package dev.nrt4j.server;

import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.Status;
import dev.nrt4j.artifacts.ModelArtifacts;
import dev.nrt4j.pool.ModelPool;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The models a server knows: those named on its command line and those in its model repository
 * ({@code DIR/<name>/}, a NEFF, an HLO module or a compile-cache entry as {@link ModelArtifacts} reads a
 * directory, with an optional {@link ModelConfig#FILE}), each loaded as a {@link ModelPool} or not.
 * Owns the pools it loaded and closes them. Thread-safe: lookups are lock-free, loads and unloads run one
 * at a time.
 */
final class ModelRegistry implements AutoCloseable {
    /** Every model is served as this one version. */
    static final String VERSION = "1";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    /**
     * A model: where it comes from, and its pool when loaded.
     *
     * @param name the name clients use
     * @param path the model file or directory
     * @param pool the loaded pool, or null
     * @param reason why it is not loaded ("" when it is, or was never asked for)
     */
    record Entry(String name, Path path, ModelPool pool, String reason) {
        /** Triton's state words: READY or UNAVAILABLE. */
        String state() {
            return pool != null ? "READY" : "UNAVAILABLE";
        }
    }

    private final NeuronRuntime runtime;
    private final Path repository;
    private final Map<String, Path> named;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Object loading = new Object();
    private volatile java.util.function.BiConsumer<String, ModelPool> onRetire = (n, p) -> {};

    /**
     * @param runtime where pools are loaded; stays the caller's
     * @param repository the model repository, or null for none
     * @param named models given by name, by path; they take precedence over the repository's
     */
    ModelRegistry(NeuronRuntime runtime, Path repository, Map<String, Path> named) {
        this.runtime = runtime;
        this.repository = repository;
        this.named = Map.copyOf(named);
        this.named.keySet().forEach(ModelRegistry::checkName);
    }

    /** Called with each pool just before it is unloaded, e.g. to keep its counts. */
    void onRetire(java.util.function.BiConsumer<String, ModelPool> listener) {
        this.onRetire = listener;
    }

    private void retire(String name, ModelPool pool) {
        onRetire.accept(name, pool);
        pool.close();
    }

    static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new NeuronException(
                    Status.INVALID,
                    "serve model '" + name + "'",
                    "a model name is 1 to 128 letters, digits, '_', '.'" + " or '-', starting with a letter or digit");
        }
    }

    /** Loads every model named and every model in the repository; returns those that failed, with why. */
    Map<String, NeuronException> loadAll() {
        Map<String, NeuronException> failed = new TreeMap<>();
        for (String name : known()) {
            try {
                load(name);
            } catch (NeuronException e) {
                failed.put(name, e);
            }
        }
        return failed;
    }

    /** The names of every model that could be loaded, sorted. */
    TreeSet<String> known() {
        TreeSet<String> names = new TreeSet<>(named.keySet());
        if (repository != null) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(repository)) {
                for (Path d : dirs) {
                    String name = d.getFileName().toString();
                    if (Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)
                            && NAME.matcher(name).matches()) {
                        names.add(name);
                    }
                }
            } catch (IOException e) {
                throw new NeuronException(
                        Status.INVALID, "read model repository " + repository, String.valueOf(e.getMessage()), e);
            }
        }
        names.addAll(entries.keySet());
        return names;
    }

    /** The model, if it is known and loaded. */
    Entry get(String name) {
        return entries.get(name);
    }

    /** Every model known, sorted by name, loaded or not. */
    List<Entry> index() {
        List<Entry> out = new ArrayList<>();
        for (String name : known()) {
            Entry e = entries.get(name);
            out.add(e != null ? e : new Entry(name, where(name), null, ""));
        }
        return out;
    }

    /** The runtime the pools are loaded on; the caller's, not closed here. */
    NeuronRuntime runtime() {
        return runtime;
    }

    /** The loaded models. */
    Collection<Entry> loaded() {
        List<Entry> out = new ArrayList<>();
        entries.values().forEach(e -> {
            if (e.pool() != null) {
                out.add(e);
            }
        });
        return out;
    }

    private Path where(String name) {
        if (named.containsKey(name)) {
            return named.get(name);
        }
        if (repository != null && NAME.matcher(name).matches()) {
            Path p = repository.resolve(name);
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                return p;
            }
        }
        return null;
    }

    /** Whether {@link #load} can find the model. */
    boolean exists(String name) {
        return where(name) != null;
    }

    /**
     * Loads (or loads again) a model; the old pool, if any, is unloaded once the new one is ready.
     *
     * @throws NeuronException {@link Status#INVALID} for an unknown name or a model that does not load;
     *     what loading reports
     */
    void load(String name) {
        synchronized (loading) {
            Path path = where(name);
            if (path == null) {
                throw new NeuronException(
                        Status.INVALID,
                        "load model '" + name + "'",
                        "no such model" + (repository != null ? " in " + repository : "") + "; the index lists "
                                + known());
            }
            ModelPool pool;
            try {
                ModelSource source = ModelSource.of(path);
                // What the source holds, checked before any core is touched, with the artifacts' own message.
                ModelArtifacts.of(source);
                ModelConfig config = Files.isDirectory(path) ? ModelConfig.in(path) : ModelConfig.defaults();
                pool = ModelPool.load(runtime, source, config.options());
                if (config.maxBatchSize() > 0 && pool.maxBatch() != config.maxBatchSize()) {
                    int compiled = pool.maxBatch();
                    pool.close();
                    throw new NeuronException(
                            Status.INVALID,
                            "load model '" + name + "'",
                            ModelConfig.FILE + " says max_batch_size " + config.maxBatchSize()
                                    + " but the model is compiled for a batch of " + compiled + "; make them agree");
                }
            } catch (NeuronException e) {
                Entry old = entries.get(name);
                entries.put(name, new Entry(name, path, old == null ? null : old.pool(), e.getMessage()));
                throw e;
            }
            Entry old = entries.put(name, new Entry(name, path, pool, ""));
            if (old != null && old.pool() != null) {
                retire(name, old.pool());
            }
        }
    }

    /**
     * Unloads a model: requests already queued finish, later ones are refused.
     *
     * @return whether it was loaded
     */
    boolean unload(String name) {
        synchronized (loading) {
            Entry old = entries.get(name);
            if (old == null || old.pool() == null) {
                return false;
            }
            entries.put(name, new Entry(name, old.path(), null, "unloaded"));
            retire(name, old.pool());
            return true;
        }
    }

    /** Unloads every model. */
    @Override
    public void close() {
        synchronized (loading) {
            for (Entry e : entries.values()) {
                if (e.pool() != null) {
                    e.pool().close();
                }
            }
            entries.clear();
        }
    }
}
