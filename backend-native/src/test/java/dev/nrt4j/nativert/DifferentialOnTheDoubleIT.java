package dev.nrt4j.nativert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.conformance.CaseResult;
import dev.nrt4j.conformance.DifferentialRunner;
import dev.nrt4j.testsupport.Needs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential mode across backends: a corpus case's HLO module runs on the reference device and, after
 * a stand-in {@code neuronx-cc} turned it into a NEFF for the libnrt double, on the native backend; the
 * outputs are compared by the case's rule. A stand-in that "miscompiles" is caught. Needs the shared
 * corpus's {@code jax/add_f32} case (skipped without it, a failure under NRT4J_STRICT=1).
 */
class DifferentialOnTheDoubleIT {
    @TempDir
    Path dir;

    @AfterEach
    void forgetTheCompilerAndCheckNothingLeaked() {
        System.clearProperty(NeffCompiler.PROPERTY);
        LibnrtDouble.assertNothingLeaked();
    }

    private Path corpusCase() throws IOException {
        Path source = Needs.sharedCorpus("jax", "add_f32");
        Path target = Files.createDirectories(dir.resolve("corpus/add_f32"));
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
        return target;
    }

    /** A stand-in compiler that writes {@code neff} wherever it is told to. */
    private void compilerWriting(byte[] neff) throws IOException {
        Files.write(dir.resolve("compiled.neff"), neff);
        Path s = dir.resolve("neuronx-cc");
        Files.writeString(
                s,
                "#!/bin/sh\nhere=$(dirname \"$0\")\nprev=\n"
                        + "for a in \"$@\"; do if [ \"$prev\" = --output ]; then out=$a; fi; prev=$a; done\n"
                        + "cp \"$here/compiled.neff\" \"$out\"\n",
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
        System.setProperty(NeffCompiler.PROPERTY, s.toString());
    }

    private CaseResult compare(Path caseDir) throws IOException {
        RuntimeOptions reference = RuntimeOptions.builder()
                .backend("reference")
                .stateDir(Files.createDirectories(dir.resolve("state")))
                .build();
        try (NeuronRuntime ref = NeuronRuntime.open(reference);
                NeuronRuntime nat = LibnrtDouble.open()) {
            DifferentialRunner diff = new DifferentialRunner(ref, nat);
            assertThat(diff.name()).isEqualTo("reference~native");
            return diff.run(caseDir);
        }
    }

    @Test
    void theReferenceDeviceAndTheNativeBackendAgreeOnACompiledCase() throws IOException {
        Path caseDir = corpusCase();
        compilerWriting(TestNeffs.add());
        CaseResult r = compare(caseDir);
        assertThat(r.outcome()).as(r.detail()).isEqualTo(CaseResult.Outcome.PASS);
    }

    @Test
    void aMiscompiledProgramIsADifference() throws IOException {
        Path caseDir = corpusCase();
        // Right signature, wrong program: output0 = input0 instead of input0 + input1.
        compilerWriting(TestNeffs.neff(
                TestNeffs.program(
                        "%0 = input input0 f32 2 3", "%1 = input input1 f32 2 3", "%2 = copy %0", "output output0 %2"),
                "input0",
                "input",
                0,
                24,
                "input1",
                "input",
                1,
                24,
                "output0",
                "output",
                2,
                24));
        CaseResult r = compare(caseDir);
        assertThat(r.outcome()).isEqualTo(CaseResult.Outcome.FAIL);
        assertThat(r.detail()).startsWith("output0: ");
    }
}
