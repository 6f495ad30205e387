package dev.nrt4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.DType;
import dev.nrt4j.Shape;
import dev.nrt4j.neff.NeffBuilder;
import dev.nrt4j.npy.Npy;
import dev.nrt4j.npy.NpyHeader;
import dev.nrt4j.testsupport.Needs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The shaded jar as an operator runs it, alone on the class path: both backends inside it, the
 * contract kit with everything its rules need, and {@code run} on a NEFF with hostile output names.
 */
class ToolsJarIT {
    @TempDir
    Path dir;

    /** What the jar printed: {@code out} holds both streams, {@code err} the standard error alone. */
    private record Result(int status, String out, String err) {}

    private Result run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    private Result run(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        return run(List.of(), environment, args);
    }

    private Result run(List<String> jvmOptions, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        List<String> options = new java.util.ArrayList<>(List.of("-Dnrt4j.stateDir=" + dir.resolve("state")));
        options.addAll(jvmOptions);
        JarProcess p = JarProcess.run(dir, options, environment, args);
        return new Result(p.status(), p.out() + p.err(), p.err());
    }

    @Test
    void theJarHoldsBothBackends() throws Exception {
        Result r = run("backends");
        assertThat(r.status()).as(r.out()).isZero();
        assertThat(r.out()).containsPattern("(?m)^native +100 +no ").containsPattern("(?m)^reference +0 +yes +\\*");
    }

    @Test
    void theVersionIsTheBuildsNotDevelopment() throws Exception {
        Result r = run("--version");
        assertThat(r.status()).as(r.out()).isZero();
        String expected = System.getProperty("nrt4j.version");
        assertThat(expected).as("the build passes nrt4j.version to the ITs").isNotBlank();
        assertThat(r.out().lines().findFirst()).hasValue("nrt4j " + expected);
    }

    @Test
    void theContractKitRunsFromTheJar() throws Exception {
        Result r = run("conformance", "--backend", "reference", "--rules", "tensors/*");
        assertThat(r.status()).as(r.out()).isZero();
        assertThat(r.out()).contains("conformance: 15 passed, 0 failed, 0 known");
    }

    /**
     * What the README tells a user on a Neuron host, with the two build products standing in for the
     * Neuron SDK: the libnrt double as libnrt and the stand-in as neuronx-cc. The whole kit runs; every
     * rule that does not pass is a known difference of the native backend, and at most two are skipped
     * (the driver-sysfs rule, since this machine has no Neuron driver).
     */
    @Test
    void theWholeKitRunsOnTheNativeBackendWithOnlyLibnrtAndTheCompilerNamed() throws Exception {
        Path products = Path.of(System.getProperty("basedir", "."))
                .resolve("../backend-native/target/libnrt-double")
                .toAbsolutePath()
                .normalize();
        Path libnrt = products.resolve("libnrt.so.1");
        Path compiler = products.resolve("neuronx-cc");
        Needs.that(
                Files.isRegularFile(libnrt) && Files.isExecutable(compiler),
                "the libnrt double and the stand-in neuronx-cc in " + products
                        + " (built by backend-native's tests with gcc and zlib1g-dev)");
        Path report = dir.resolve("report.json");
        // The double keeps its core locks in this test's directory, not the shared default under /tmp.
        Result r = run(
                Map.of(
                        "NRT4J_LIBNRT",
                        libnrt.toString(),
                        "NRT4J_NEURONX_CC",
                        compiler.toString(),
                        "NRT4J_DOUBLE_STATE_DIR",
                        dir.resolve("double").toString()),
                "conformance",
                "--backend",
                "native",
                "--report",
                report.toString());
        assertThat(r.status()).as(r.out()).isZero();
        JsonNode rules = new ObjectMapper().readTree(report.toFile()).get("rules");
        List<JsonNode> all = new java.util.ArrayList<>();
        rules.forEach(all::add);
        assertThat(all)
                .as(r.out())
                .hasSize(dev.nrt4j.conformance.contract.ContractRules.all().size());
        long passed = all.stream()
                .filter(n -> n.get("status").asString().equals("pass"))
                .count();
        List<JsonNode> skipped = all.stream()
                .filter(n -> n.get("status").asString().equals("skipped"))
                .toList();
        assertThat(passed).as(r.out()).isGreaterThanOrEqualTo(84);
        assertThat(skipped).as("skipped rules").hasSizeLessThanOrEqualTo(2);
        assertThat(all)
                .filteredOn(n -> n.get("status").asString().matches("fail|error"))
                .allSatisfy(n -> assertThat(n.get("detail").asString())
                        .as(n.get("rule").asString())
                        .startsWith("known difference"));
    }

    /**
     * Issue 12, item 2: a NEFF whose outputs are named {@code ../../x} and an absolute path, run on the
     * native backend with the libnrt double as libnrt (the reference device runs only HLO, whose outputs
     * are always {@code output<i>}). Both files land inside {@code --output-dir} and nothing outside.
     */
    @Test
    void aNeffsTraversalAndAbsoluteOutputNamesStayInTheOutputDirectory() throws Exception {
        Path libnrt = JarProcess.libnrtDouble();
        String absolute = dir.toAbsolutePath().resolve("escaped").toString();
        byte[] neff = HostileNeffs.traversalAndAbsoluteOutputs(absolute);
        Path model = Files.write(dir.resolve("hostile.neff"), neff);
        Path out = dir.resolve("a/b/out");
        Result r = run(
                Map.of(
                        "NRT4J_LIBNRT",
                        libnrt.toString(),
                        "NRT4J_DOUBLE_STATE_DIR",
                        dir.resolve("double").toString()),
                "run",
                model.toString(),
                "--backend",
                "native",
                "--random-inputs",
                "--output-dir",
                out.toString());
        assertThat(r.status()).as(r.out()).isZero();
        assertThat(dir.resolve("a/x.npy")).doesNotExist();
        assertThat(Path.of(absolute + ".npy")).doesNotExist();
        assertThat(r.out()).contains("note: output \"../../x\" is written as ______x.npy");
        try (var files = Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .hasSize(2)
                    .contains("______x.npy")
                    .allSatisfy(n -> assertThat(n).doesNotContain("/").doesNotStartWith("."));
        }
    }

    /**
     * Issue 12: with {@code XDG_RUNTIME_DIR} set (and no state directory named), the default state
     * directory is {@code $XDG_RUNTIME_DIR/nrt4j}, made 0700, and nothing goes to the temporary directory.
     */
    @Test
    void theDefaultStateDirectoryIsInTheXdgRuntimeDirectory() throws Exception {
        Needs.optional(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX modes");
        Path runtime = Files.createDirectory(
                dir.resolve("xdg"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        JarProcess r = JarProcess.run(
                dir,
                List.of("-Djava.io.tmpdir=" + tmp),
                Map.of("XDG_RUNTIME_DIR", runtime.toString()),
                "ls",
                "--backend=reference",
                "--instance-type",
                "trn1.2xlarge");
        assertThat(r.status()).as(r.err()).isZero();
        Path state = runtime.resolve("nrt4j");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state)))
                .isEqualTo("rwx------");
        assertThat(state.resolve("trn1.2xlarge")).isDirectory();
        try (var inTmp = Files.list(tmp)) {
            assertThat(inTmp).isEmpty();
        }
    }

    /**
     * The hardening issue's 2 GiB item on the reference device, in a JVM of 256 MiB that exits on an
     * OutOfMemoryError: an input of 2.4 GB is refused at load, within 5 s, and one of 400 MB (which the
     * interpreter could hold, but not this heap) while its random data is written; each with one line on
     * stderr, its status and the failure exit code, and no output directory made.
     */
    @Test
    void inputsTooLargeForTheReferenceDeviceOrTheHeapEndInOneLine() throws Exception {
        List<String> smallHeap = List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError");
        for (long floats : new long[] {600_000_000L, 100_000_000L}) {
            Path model = Files.writeString(
                    dir.resolve("big" + floats + ".hlo.txt"),
                    "HloModule big\nENTRY e {\n  ROOT x = f32[" + floats + "] parameter(0)\n}\n");
            Path out = dir.resolve("out" + floats);
            long start = System.nanoTime();
            Result r = run(
                    smallHeap,
                    Map.of(),
                    "run",
                    model.toString(),
                    "--backend",
                    "reference",
                    "--random-inputs",
                    "--output-dir",
                    out.toString());
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(r.status()).as(r.out()).isEqualTo(Nrt4jCommand.EXIT_FAILURE);
            assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
            assertThat(r.err())
                    .contains("[RESOURCE]")
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ")
                    .doesNotContain("java.")
                    .doesNotContain("OutOfMemory");
            assertThat(r.err())
                    .contains(
                            floats == 600_000_000L ? "input input0 (f32[600000000]) is 2400000000 bytes" : "Java heap");
            // The first is refused before anything is allocated; the second after filling the heap, which takes longer.
            assertThat(seconds).as("refused before long work").isLessThan(floats == 600_000_000L ? 5.0 : 15.0);
            assertThat(out).as("no output directory for a run that failed").doesNotExist();
        }
    }

    /**
     * The same item on the native backend (the libnrt double): a model whose input and output are
     * 2 GiB + 4 KiB runs from the jar in a JVM of 256 MiB, its random input written and its output read
     * in chunks; the output file has the header and every byte, in --output-dir and nowhere else.
     */
    @Test
    void aModelWithTensorsPastTwoGibibytesRunsOnTheNativeBackendInChunks() throws Exception {
        Path libnrt = JarProcess.libnrtDouble();
        long bytes = (2L << 30) + 4096;
        byte[] neff = new NeffBuilder()
                .lncSize(0)
                .directory("sg00/")
                .file("sg00/def.json", NeffBuilder.defJson("input0", "input", 0, bytes, "output0", "output", 1, bytes))
                .file("nrt4j.program", "nrt4j-program 2\n%0 = input input0 f32 " + bytes / 4 + "\noutput output0 %0\n")
                .build();
        Path model = Files.write(dir.resolve("big.neff"), neff);
        Path out = dir.resolve("out");
        Path written = out.resolve("output0.npy");
        try {
            Result r = run(
                    List.of("-Xmx256m"),
                    Map.of(
                            "NRT4J_LIBNRT",
                            libnrt.toString(),
                            "NRT4J_DOUBLE_STATE_DIR",
                            dir.resolve("double").toString(),
                            "NRT4J_DOUBLE_STACK_BYTES",
                            Long.toString(5L << 30)),
                    "run",
                    model.toString(),
                    "--backend",
                    "native",
                    "--random-inputs",
                    "--output-dir",
                    out.toString());
            assertThat(r.status()).as(r.out()).isZero();
            assertThat(r.out()).contains("output0: f32[" + bytes / 4 + "] [").contains("wrote 1 outputs to " + out);
            try (var files = Files.list(out)) {
                assertThat(files).containsExactly(written);
            }
            try (var files = Files.list(dir)) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .isSubsetOf("big.neff", "out", "out.txt", "err.txt", "state", "double");
            }
            // The header and every byte; the last bytes are the random input's, not zero.
            NpyHeader header = Npy.readHeader(written);
            assertThat(header.dtype()).isEqualTo(DType.FLOAT32);
            assertThat(header.shape()).isEqualTo(Shape.of(bytes / 4));
            assertThat(Files.size(written)).isEqualTo(header.dataOffset() + bytes);
            try (var ch = Files.newByteChannel(written)) {
                ByteBuffer tail = ByteBuffer.allocate(4096);
                ch.position(Files.size(written) - 4096).read(tail);
                assertThat(tail.array())
                        .as("the input's last 4 KiB came through")
                        .isNotEqualTo(new byte[4096]);
            }
        } finally {
            Files.deleteIfExists(written);
        }
    }
}
