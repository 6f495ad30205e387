package dev.nrt4j.nativert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.artifacts.CompileCacheEntry;
import dev.nrt4j.conformance.contract.ContractProgram;
import dev.nrt4j.hlo.HloSignature;
import dev.nrt4j.hlo.proto.HloProtoReader;
import dev.nrt4j.nativert.standin.ContractModules;
import dev.nrt4j.nativert.standin.StandInScript;
import dev.nrt4j.neff.NeffFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native backend's compile cache with the stand-in neuronx-cc behind a wrapper that counts its
 * compilations and reports a version of the test's choosing: a module is compiled once per version,
 * target, LNC and flags, across cache instances and processes; a damaged NEFF is compiled again; a
 * failed compilation leaves nothing to trust; concurrent compilations leave one good entry. These
 * tests call the cache directly and need no libnrt; {@link StandInEndToEndIT} loads through the runtime.
 */
class CompileCacheIT {
    static final String VERSION = "2.0.0+counting";

    @TempDir
    Path dir;

    private Path state;
    private Path counter;
    private Path wrapper;

    @BeforeEach
    void aCountingCompiler() throws IOException {
        state = dir.resolve("state");
        counter = dir.resolve("compilations.txt");
        wrapper = writeWrapper(dir, StandInScript.path(), counter, VERSION, 0);
    }

    /**
     * A neuronx-cc that prints {@code version} for {@code --version} and otherwise records its command
     * line in {@code counter} and runs {@code standIn}, after {@code sleepSeconds}.
     */
    static Path writeWrapper(Path dir, Path standIn, Path counter, String version, int sleepSeconds)
            throws IOException {
        Path w = Files.createDirectories(dir.resolve("bin")).resolve("neuronx-cc");
        String versionLine = "echo v >> '" + counter + ".versions'; "
                + (version == null
                        ? "echo 'neuronx-cc: no version here' >&2; exit 1"
                        : "echo 'NeuronX Compiler version " + version + "'; exit 0");
        Files.writeString(
                w,
                "#!/bin/sh\n"
                        + "if [ \"$1\" = --version ]; then " + versionLine + "; fi\n"
                        + "echo \"$@\" >> '" + counter + "'\n"
                        + (sleepSeconds > 0 ? "sleep " + sleepSeconds + "\n" : "")
                        + "exec '" + standIn + "' \"$@\"\n",
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(w, PosixFilePermissions.fromString("rwxr-xr-x"));
        return w;
    }

    static int compilations(Path counter) throws IOException {
        return Files.exists(counter) ? Files.readAllLines(counter).size() : 0;
    }

    private int compilations() throws IOException {
        return compilations(counter);
    }

    private NeffCompiler compiler() {
        Properties p = new Properties();
        p.setProperty(NeffCompiler.PROPERTY, wrapper.toString());
        return NeffCompiler.find(java.util.Map.of(), p).orElseThrow();
    }

    private byte[] neff(Path module, String instanceType, int lnc) {
        try {
            return new NeffCache(state)
                    .neff(compiler(), Files.readAllBytes(module), module.toString(), instanceType, lnc);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Path root() {
        return state.resolve("neuron-compile-cache");
    }

    private List<CompileCacheEntry> entries() {
        return CompileCacheEntry.list(root());
    }

    @Test
    void aModuleIsCompiledOnceIntoAnEntryOfNeuronsLayout() throws IOException {
        Path module = ContractModules.write(ContractProgram.ADD, dir);
        byte[] first = neff(module, "trn1.2xlarge", 1);
        byte[] second = neff(module, "trn1.2xlarge", 1);
        assertThat(compilations()).isEqualTo(1);
        assertThat(second).isEqualTo(first);
        assertThat(Files.readAllLines(Path.of(counter + ".versions")))
                .as("--version asked once per file and mtime")
                .hasSize(1);

        assertThat(entries()).hasSize(1);
        CompileCacheEntry e = entries().get(0);
        assertThat(e.directory().getParent()).isEqualTo(root().resolve("neuronxcc-" + VERSION));
        assertThat(e.compilerVersion()).isEqualTo(VERSION);
        assertThat(e.graphHash()).matches("[0-9a-f]{64}");
        assertThat(e.flagsHash()).isEmpty();
        assertThat(e.state()).isEqualTo(CompileCacheEntry.State.DONE);
        assertThat(Files.readAllBytes(e.hloModule().orElseThrow())).isEqualTo(Files.readAllBytes(module));
        assertThat(Files.readAllBytes(e.neff().orElseThrow())).isEqualTo(first);
        assertThat(Files.readString(e.compileFlags().orElseThrow()))
                .isEqualTo("[\"--framework=XLA\", \"--target=trn1\", \"--auto-cast=none\"]\n");
        assertThat(e.readNeff().signature())
                .isEqualTo(HloSignature.of(HloProtoReader.read(module).entry(), module.toString()));
        try (Stream<Path> files = Files.list(e.directory())) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("model.neff", "model.hlo_module.pb", "compile_flags.json", "model.done");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state)))
                .isEqualTo("rwx------");
    }

    @Test
    void theKeyHoldsTheModuleTheTargetTheLncAndTheFlags() throws IOException {
        Path add = ContractModules.write(ContractProgram.ADD, dir);
        Path copy = ContractModules.write(ContractProgram.COPY, dir);
        assertThat(NeffFile.read(neff(add, "trn2.48xlarge", 1), "a").header().lncSize())
                .isEqualTo(1);
        assertThat(NeffFile.read(neff(add, "trn2.48xlarge", 2), "b").header().lncSize())
                .isEqualTo(2);
        assertThat(compilations()).isEqualTo(2);
        neff(add, "trn2.48xlarge", 2);
        neff(add, "trn2.3xlarge", 1);
        assertThat(compilations()).as("same module, target and LNC").isEqualTo(2);
        neff(add, "trn1.2xlarge", 1);
        neff(copy, "trn1.2xlarge", 1);
        assertThat(compilations()).isEqualTo(4);
        assertThat(entries()).hasSize(4);
        assertThat(Files.readAllLines(counter))
                .anySatisfy(l -> assertThat(l).contains("--target=trn2", "--lnc=2"))
                .anySatisfy(l -> assertThat(l).contains("--target=trn2", "--lnc=1"));

        String base = NeffCache.key(new byte[] {1, 2}, "trn1", 1, List.of("--framework=XLA"));
        assertThat(base).matches("[0-9a-f]{64}");
        assertThat(NeffCache.key(new byte[] {1, 2}, "trn1", 1, List.of("--framework=XLA")))
                .isEqualTo(base);
        assertThat(List.of(
                        NeffCache.key(new byte[] {1, 3}, "trn1", 1, List.of("--framework=XLA")),
                        NeffCache.key(new byte[] {1, 2}, "trn2", 1, List.of("--framework=XLA")),
                        NeffCache.key(new byte[] {1, 2}, "trn1", 2, List.of("--framework=XLA")),
                        NeffCache.key(new byte[] {1, 2}, "trn1", 1, List.of("--framework=XLA", "-O1")),
                        NeffCache.key(new byte[] {1, 2}, "trn1", 1, List.of("--framework=X", "LA"))))
                .doesNotContain(base);
    }

    @Test
    void anotherCompilerVersionCompilesAgain() throws IOException {
        Path module = ContractModules.write(ContractProgram.COPY, dir);
        neff(module, "trn1.2xlarge", 1);
        // An upgrade in place: the same file with new contents and a new modification time.
        writeWrapper(dir, StandInScript.path(), counter, "2.0.1+counting", 0);
        Files.setLastModifiedTime(wrapper, FileTime.from(Instant.now().plusSeconds(60)));
        neff(module, "trn1.2xlarge", 1);
        neff(module, "trn1.2xlarge", 1);
        assertThat(compilations()).isEqualTo(2);
        assertThat(Files.readAllLines(Path.of(counter + ".versions"))).hasSize(2);
        assertThat(entries())
                .extracting(CompileCacheEntry::compilerVersion)
                .containsExactlyInAnyOrder(VERSION, "2.0.1+counting");
    }

    @Test
    void aDamagedNeffIsCompiledAgainAndReplaced() throws IOException {
        Path module = ContractModules.write(ContractProgram.MATMUL, dir);
        byte[] good = neff(module, "trn1.2xlarge", 1);
        Path cached = entries().get(0).neff().orElseThrow();

        Files.write(cached, Arrays.copyOf(good, 100));
        assertThat(neff(module, "trn1.2xlarge", 1)).isEqualTo(good);
        assertThat(compilations()).isEqualTo(2);
        assertThat(Files.readAllBytes(cached)).isEqualTo(good);

        // A sound header over a damaged payload: the gzip checksum catches it.
        byte[] flipped = good.clone();
        flipped[flipped.length - 12] ^= 0x55;
        Files.write(cached, flipped);
        assertThat(neff(module, "trn1.2xlarge", 1)).isEqualTo(good);
        assertThat(compilations()).isEqualTo(3);
        NeffFile.read(cached);
    }

    @Test
    void aFailedCompilationLeavesNoNeffAndIsTriedAgain() throws IOException {
        Path module = ContractModules.write(
                "HloModule n\nENTRY e {\n  a = f32[4] parameter(0)\n  ROOT n = f32[4] negate(a)\n}", "negate", dir);
        for (int attempt = 1; attempt <= 2; attempt++) {
            assertThatThrownBy(() -> neff(module, "trn1.2xlarge", 1))
                    .isInstanceOfSatisfying(NeuronException.class, e -> {
                        assertThat(e.status()).isEqualTo(Status.INVALID);
                        assertThat(e.getMessage()).contains("exited with 70").contains("unsupported: negate n");
                    });
            assertThat(compilations()).isEqualTo(attempt);
        }
        assertThat(entries()).allSatisfy(e -> assertThat(e.neff()).isEmpty());
    }

    @Test
    void aCompilerThatDoesNotTellItsVersionIsRunEveryTimeAndNothingIsCached() throws IOException {
        writeWrapper(dir, StandInScript.path(), counter, null, 0);
        Path module = ContractModules.write(ContractProgram.COPY, dir);
        NeffFile.read(neff(module, "trn1.2xlarge", 1), "first");
        neff(module, "trn1.2xlarge", 1);
        assertThat(compilations()).isEqualTo(2);
        assertThat(root()).doesNotExist();
    }

    @Test
    void threadsLoadingOneModuleWaitForOneCompilation() throws Exception {
        Path module = ContractModules.write(ContractProgram.TWO_OUTPUTS, dir);
        int n = 4;
        CyclicBarrier start = new CyclicBarrier(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Callable<byte[]> load = () -> {
                    start.await();
                    return neff(module, "trn1.2xlarge", 1);
                };
                results.add(pool.submit(load));
            }
            byte[] first = results.get(0).get(120, TimeUnit.SECONDS);
            for (Future<byte[]> f : results) {
                assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo(first);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(compilations()).isEqualTo(1);
        assertThat(entries()).hasSize(1);
    }

    @Test
    void twoProcessesCompilingOneModuleAtOnceBothSucceedAndLeaveOneGoodEntry() throws Exception {
        // The compiler takes a second, so that both processes are compiling at the same time.
        writeWrapper(dir, StandInScript.path(), counter, VERSION, 1);
        Path module = ContractModules.write(ContractProgram.ADD, dir);
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            children.add(new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            CompileCacheMain.class.getName(),
                            wrapper.toString(),
                            state.toString(),
                            module.toString())
                    .redirectErrorStream(true)
                    .start());
        }
        for (Process p : children) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("neff ok, inputs [input0, input1]");
        }
        assertThat(compilations()).isBetween(1, 2);
        assertThat(entries()).hasSize(1);
        CompileCacheEntry e = entries().get(0);
        assertThat(e.state()).isEqualTo(CompileCacheEntry.State.DONE);
        e.readNeff();
        try (Stream<Path> files = Files.list(e.directory())) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(f -> f.endsWith(".tmp"));
        }
        neff(module, "trn1.2xlarge", 1);
        assertThat(compilations()).isBetween(1, 2);
    }
}
