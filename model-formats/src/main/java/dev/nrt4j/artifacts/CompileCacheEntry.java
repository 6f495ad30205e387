package dev.nrt4j.artifacts;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.neff.NeffFile;
import dev.nrt4j.neff.NeffLimits;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of the Neuron persistent compile cache (the torch-xla / libneuronxla layout):
 * {@code <root>/neuronxcc-<compiler version>/MODULE_<graph hash>+<flags hash>/} holding
 * {@code model.neff}, {@code model.hlo_module.pb} (older compilers: {@code model.hlo.pb}),
 * {@code compile_flags.json}, and the markers {@code model.done}, {@code model.log} and {@code *.lock}.
 * Only paths are exposed; nothing is read until {@link #readNeff()} and nothing is ever written.
 *
 * <p>The state follows how optimum-neuron classifies entries: any {@code *.lock} file means
 * {@link State#LOCKED}; {@code model.neff} with {@code model.done} means {@link State#DONE};
 * {@code model.log} without {@code model.neff} means {@link State#FAILED}; anything else is
 * {@link State#INCOMPLETE}. That the {@code +<8 hex>} suffix is an MD5 prefix of the compiler flags is
 * inferred and not interpreted here.
 *
 * <p>Immutable and thread-safe (the directory itself may change under it).
 */
public final class CompileCacheEntry {
    /** The marker a compiler writes last: the entry's NEFF is complete. */
    public static final String DONE = "model.done";
    /** The compiler flags the entry was compiled with, a JSON array of strings. */
    public static final String COMPILE_FLAGS = "compile_flags.json";

    /** The default cache root when neither environment setting is present. */
    public static final Path DEFAULT_ROOT = Path.of("/var/tmp/neuron-compile-cache");

    private static final Pattern COMPILER_DIR = Pattern.compile("neuronxcc-(.+)");
    private static final Pattern MODULE_DIR = Pattern.compile("MODULE_([^+]+)(?:\\+([0-9A-Fa-f]+))?");
    private static final Pattern CACHE_DIR_FLAG = Pattern.compile("(?:^|\\s)--cache_dir=(\\S+)");

    /** What the compiler left in an entry. */
    public enum State {
        /** {@code model.neff} and {@code model.done}: compiled and usable. */
        DONE,
        /** {@code model.log} without {@code model.neff}: the compilation failed. */
        FAILED,
        /** A {@code *.lock} file: a compilation is in progress (or died holding the lock). */
        LOCKED,
        /** None of the above. */
        INCOMPLETE
    }

    private final Path directory;
    private final String compilerVersion;
    private final String graphHash;
    private final String flagsHash;
    private final State state;

    private CompileCacheEntry(Path directory, String compilerVersion, String graphHash, String flagsHash, State state) {
        this.directory = directory;
        this.compilerVersion = compilerVersion;
        this.graphHash = graphHash;
        this.flagsHash = flagsHash;
        this.state = state;
    }

    /**
     * The local cache root the environment selects: {@code --cache_dir=} in {@code NEURON_CC_FLAGS}
     * wins over {@code NEURON_COMPILE_CACHE_URL}, which wins over {@link #DEFAULT_ROOT}. Empty when the
     * selected cache is remote ({@code s3://…}), which this class does not read.
     *
     * @param env the environment, e.g. {@code System.getenv()}
     */
    public static Optional<Path> root(Map<String, String> env) {
        String url = null;
        String flags = env.get("NEURON_CC_FLAGS");
        if (flags != null) {
            Matcher m = CACHE_DIR_FLAG.matcher(flags);
            if (m.find()) {
                url = m.group(1);
            }
        }
        if (url == null) {
            url = env.get("NEURON_COMPILE_CACHE_URL");
        }
        if (url == null || url.isEmpty()) {
            return Optional.of(DEFAULT_ROOT);
        }
        if (url.startsWith("s3://")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(url.startsWith("file://") ? url.substring("file://".length()) : url));
    }

    /**
     * Every {@code neuronxcc-*}/{@code MODULE_*} directory under {@code root}, sorted by path; empty if
     * the root does not exist.
     *
     * @throws java.io.UncheckedIOException if a directory exists but cannot be listed
     */
    public static List<CompileCacheEntry> list(Path root) {
        List<CompileCacheEntry> out = new ArrayList<>();
        for (Path compiler : children(root)) {
            if (COMPILER_DIR.matcher(compiler.getFileName().toString()).matches()
                    && Files.isDirectory(compiler, LinkOption.NOFOLLOW_LINKS)) {
                for (Path module : children(compiler)) {
                    of(module).ifPresent(out::add);
                }
            }
        }
        out.sort(Comparator.comparing(CompileCacheEntry::directory));
        return List.copyOf(out);
    }

    /** The entry in {@code moduleDir}, or empty if it is not a {@code neuronxcc-*}/{@code MODULE_*} directory. */
    public static Optional<CompileCacheEntry> of(Path moduleDir) {
        Path parent = moduleDir.toAbsolutePath().getParent();
        if (parent == null
                || parent.getFileName() == null
                || !Files.isDirectory(moduleDir, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        Matcher compiler = COMPILER_DIR.matcher(parent.getFileName().toString());
        Matcher module = MODULE_DIR.matcher(moduleDir.getFileName().toString());
        if (!compiler.matches() || !module.matches()) {
            return Optional.empty();
        }
        boolean locked = false;
        for (Path p : children(moduleDir)) {
            locked |= p.getFileName().toString().endsWith(".lock");
        }
        boolean neff = isFile(moduleDir.resolve(ModelArtifacts.NEFF));
        State state = locked
                ? State.LOCKED
                : neff && isFile(moduleDir.resolve(DONE))
                        ? State.DONE
                        : !neff && isFile(moduleDir.resolve("model.log")) ? State.FAILED : State.INCOMPLETE;
        return Optional.of(new CompileCacheEntry(
                moduleDir, compiler.group(1), module.group(1), module.group(2) == null ? "" : module.group(2), state));
    }

    private static List<Path> children(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(out::add);
        } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + dir, e);
        }
        return out;
    }

    private static boolean isFile(Path p) {
        return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
    }

    private Optional<Path> file(String... names) {
        for (String n : names) {
            Path p = directory.resolve(n);
            if (isFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The {@code MODULE_*} directory. */
    public Path directory() {
        return directory;
    }

    /** The compiler version from {@code neuronxcc-<version>}, e.g. {@code 2.8.0.25+a3ad0f342}. */
    public String compilerVersion() {
        return compilerVersion;
    }

    /** The graph hash from {@code MODULE_<hash>+…}: a decimal u64 (torch-xla) or 20 hex digits (NxD). */
    public String graphHash() {
        return graphHash;
    }

    /** The hex suffix after {@code +}, or empty when the directory has none. */
    public String flagsHash() {
        return flagsHash;
    }

    /** What the compiler left in the entry, as of when it was looked at. */
    public State state() {
        return state;
    }

    /** {@code model.neff}, if present. */
    public Optional<Path> neff() {
        return file(ModelArtifacts.NEFF);
    }

    /** The serialized HloModuleProto: {@code model.hlo_module.pb}, else the older {@code model.hlo.pb}. */
    public Optional<Path> hloModule() {
        return file(ModelArtifacts.HLO_MODULE, ModelArtifacts.OLD_HLO_MODULE);
    }

    /** {@code compile_flags.json}, if present. */
    public Optional<Path> compileFlags() {
        return file(COMPILE_FLAGS);
    }

    /**
     * Reads this entry's {@code model.neff} with {@link NeffLimits#DEFAULT}.
     *
     * @throws dev.nrt4j.NeuronException INVALID if there is none or it cannot be read, as {@link NeffFile#read(Path)}
     */
    public NeffFile readNeff() {
        Path neff = neff().orElseThrow(() -> new NeuronException(
                Status.INVALID,
                "read " + directory,
                "the compile-cache entry has no " + ModelArtifacts.NEFF + " (state " + state + ")"));
        return NeffFile.read(neff);
    }

    /** E.g. {@code MODULE_123+d41d8cd9 (neuronxcc 2.8.0.25, DONE)}. */
    @Override
    public String toString() {
        return directory.getFileName() + " (neuronxcc " + compilerVersion + ", " + state + ")";
    }
}
