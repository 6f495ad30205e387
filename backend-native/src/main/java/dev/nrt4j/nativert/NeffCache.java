package dev.nrt4j.nativert;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.artifacts.CompileCacheEntry;
import dev.nrt4j.artifacts.ModelArtifacts;
import dev.nrt4j.neff.NeffFile;
import dev.nrt4j.spi.StateDirectory;
import dev.nrt4j.spi.StateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The native backend's compile cache: each HLO module is compiled by {@code neuronx-cc} once, and its NEFF
 * kept in the state directory ({@link StateDirectory}) in the Neuron persistent cache's layout,
 * <pre>
 * &lt;state dir&gt;/neuron-compile-cache/neuronxcc-&lt;compiler version&gt;/MODULE_&lt;key&gt;/
 *     model.hlo_module.pb   the module as compiled
 *     model.neff            the NEFF
 *     compile_flags.json    the flags, a JSON array of strings
 *     model.done            marks the entry complete
 * </pre>
 * so that each entry is also a compile-cache entry {@link dev.nrt4j.neff.CompileCacheEntry} reads (and a
 * {@link dev.nrt4j.ModelSource} of kind {@code COMPILE_CACHE_ENTRY} loads). The key is the SHA-256, in
 * hex, of the module's bytes, the {@code --target}, the LNC and the compiler flags; the compiler version
 * names the directory above it. A compiler that does not tell its version is run every time.
 *
 * <p>A cached NEFF is used only if it reads as a NEFF ({@link NeffFile#read(byte[], String)}: header,
 * payload, gzip checksum); a damaged one is compiled again and replaced. Every file is written to a
 * temporary file in the entry's directory and moved into place atomically, so readers never see part of a
 * file, and two processes compiling the same module at once both succeed and leave one complete entry (the
 * last move wins; both NEFFs are compilations of the same module). In one JVM, threads loading the same
 * module wait for one compilation. Thread-safe.
 */
final class NeffCache {
    /** The cache's directory under the state directory. */
    static final String DIRECTORY = "neuron-compile-cache";

    /** One lock per entry directory: threads of this JVM compile a module once. */
    private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private final Path stateDirectory;

    /**
     * @param stateDirectory the runtime's state directory ({@link StateDirectory#resolve}); created when
     *     the first entry is written
     */
    NeffCache(Path stateDirectory) {
        this.stateDirectory = stateDirectory;
    }

    /** {@code <state dir>/neuron-compile-cache}. */
    Path root() {
        return stateDirectory.resolve(DIRECTORY);
    }

    /**
     * The NEFF for {@code hloModule} on an {@code instanceType} runtime of logical core size {@code lnc}:
     * from the cache, else compiled and cached.
     *
     * @throws NeuronException {@link Status#INVALID} if the module cannot be read or does not compile;
     *     {@link Status#FAILURE} if the cache directory cannot be made or written
     */
    byte[] neff(NeffCompiler compiler, byte[] module, String source, String instanceType, int lnc) {
        String target = NeffCompiler.target(instanceType);
        Optional<String> version = compiler.version();
        if (version.isEmpty()) {
            return compiler.compile(module, source, target, lnc);
        }
        List<String> flags = NeffCompiler.flags(target, lnc);
        Path entry = root().resolve("neuronxcc-" + directoryName(version.get()))
                .resolve("MODULE_" + key(module, target, lnc, flags));
        ReentrantLock lock = LOCKS.computeIfAbsent(entry, k -> new ReentrantLock());
        lock.lock();
        try {
            Optional<byte[]> cached = readGood(entry.resolve(ModelArtifacts.NEFF));
            if (cached.isPresent()) {
                return cached.get();
            }
            // Made before compiling, so that an unusable state directory fails before a long compilation.
            StateDirectory.ensureWithin(stateDirectory, entry);
            byte[] neff = compiler.compile(module, source, target, lnc);
            store(entry, module, neff, flags);
            return neff;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The entry key: SHA-256 over the module's bytes, the target, the LNC and each flag, each part
     * preceded by its length so that no two different inputs hash the same bytes.
     */
    static String key(byte[] module, String target, int lnc, List<String> flags) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        part(sha, module);
        part(sha, ("target=" + target).getBytes(StandardCharsets.UTF_8));
        part(sha, ("lnc=" + lnc).getBytes(StandardCharsets.UTF_8));
        for (String f : flags) {
            part(sha, f.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void part(MessageDigest sha, byte[] bytes) {
        sha.update(Long.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) ':');
        sha.update(bytes);
    }

    /** A version as a directory name: characters other than letters, digits and {@code . _ + -} become {@code _}. */
    static String directoryName(String version) {
        String s = version.replaceAll("[^A-Za-z0-9._+-]", "_");
        return s.equals(".") || s.equals("..") ? "_" : s;
    }

    /** The cached NEFF, if there is one that reads; a damaged one is as good as none. */
    private static Optional<byte[]> readGood(Path neff) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(neff);
        } catch (IOException e) {
            // Absent or unreadable: compile, and the new entry replaces whatever is there.
            return Optional.empty();
        }
        try {
            NeffFile.read(bytes, neff.toString());
            return Optional.of(bytes);
        } catch (NeuronException e) {
            return Optional.empty();
        }
    }

    private static void store(Path entry, byte[] module, byte[] neff, List<String> flags) {
        StringBuilder json = new StringBuilder("[");
        for (String f : flags) {
            json.append(json.length() == 1 ? "" : ", ")
                    .append('"')
                    .append(f.replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        json.append("]\n");
        try {
            // The module and flags first and model.done last: a reader that sees model.done sees the rest.
            write(entry, ModelArtifacts.HLO_MODULE, module);
            write(entry, CompileCacheEntry.COMPILE_FLAGS, json.toString().getBytes(StandardCharsets.UTF_8));
            write(entry, ModelArtifacts.NEFF, neff);
            write(entry, CompileCacheEntry.DONE, new byte[0]);
        } catch (IOException e) {
            throw new NeuronException(
                    Status.FAILURE,
                    "store a compiled NEFF in " + entry,
                    "cannot write the compile cache (" + e
                            + "); set NRT4J_STATE_DIR or the system property nrt4j.stateDir to a writable directory",
                    e);
        }
    }

    /** Writes {@code name} in {@code dir} whole, as every file of the state directory is written. */
    private static void write(Path dir, String name, byte[] bytes) throws IOException {
        // The temporary name ends in .tmp, not .lock: the cache layout reads any *.lock as a compilation in progress.
        StateFiles.replace(dir.resolve(name), bytes);
    }
}
