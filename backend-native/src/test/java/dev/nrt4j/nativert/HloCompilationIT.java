package dev.nrt4j.nativert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.HostTensor;
import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.ModelSupport;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import dev.nrt4j.conformance.contract.ContractProgram;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HLO modules reach libnrt through neuronx-cc. A stand-in compiler (a shell script) records its
 * command line and writes a prebuilt NEFF, so this checks the invocation and the plumbing, not the
 * compiler. Each test has its own state directory, so the compile cache starts empty.
 */
class HloCompilationIT {
    /** A real HLO module (the contract's copy program): the backend reads a module before it compiles it. */
    private static final byte[] MODULE = ContractProgram.COPY.hloProto();

    @TempDir
    Path dir;

    @AfterEach
    void forgetTheCompilerAndCheckNothingLeaked() {
        System.clearProperty(NeffCompiler.PROPERTY);
        LibnrtDouble.assertNothingLeaked();
    }

    private NeuronRuntime open() {
        return LibnrtDouble.open(RuntimeOptions.builder().stateDir(dir.resolve("state")));
    }

    private Path script(String body) throws IOException {
        Path s = dir.resolve("neuronx-cc");
        Files.writeString(
                s,
                "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'NeuronX Compiler version 2.0.0+script'; exit 0; fi\n"
                        + body,
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
        System.setProperty(NeffCompiler.PROPERTY, s.toString());
        return s;
    }

    @Test
    void checkSaysWhatTheNativeBackendNeedsForEachKindOfModel() throws IOException {
        NativeBackendProvider provider = new NativeBackendProvider();
        RuntimeOptions options = RuntimeOptions.builder().build();
        ModelSource module = ModelSource.of(MODULE, ModelSource.Kind.HLO_PROTO);

        System.setProperty(
                NeffCompiler.PROPERTY, dir.resolve("no-such-neuronx-cc").toString());
        assertThat(provider.check(module, options).obstacles())
                .singleElement()
                .asString()
                .contains("no neuronx-cc was found");
        script("exit 0\n");
        assertThat(provider.check(module, options)).isEqualTo(ModelSupport.supported("native"));
        assertThat(provider.check(ModelSource.of(TestNeffs.copy(2), ModelSource.Kind.NEFF), options)
                        .isSupported())
                .isTrue();
        ModelSource text = ModelSource.of(
                "HloModule m\nENTRY e {\n  ROOT a = f32[2] parameter(0)\n}".getBytes(StandardCharsets.UTF_8),
                ModelSource.Kind.HLO_TEXT);
        assertThat(provider.check(text, options).obstacles())
                .singleElement()
                .asString()
                .contains("HLO text");
        assertThatThrownBy(() -> provider.check(ModelSource.of(new byte[] {1, 2, 3}, ModelSource.Kind.NEFF), options))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID));
    }

    @Test
    void anHloModuleIsCompiledForTheInstanceAndRuns() throws IOException {
        Files.write(dir.resolve("prebuilt.neff"), TestNeffs.copy(2));
        script("here=$(dirname \"$0\")\necho \"$@\" > \"$here/args.txt\"\nprev=\n"
                + "for a in \"$@\"; do if [ \"$prev\" = --output ]; then out=$a; fi; prev=$a; done\n"
                + "cp \"$here/prebuilt.neff\" \"$out\"\n");
        Path hlo = Files.write(dir.resolve("model.hlo_module.pb"), MODULE);
        try (NeuronRuntime rt = open();
                Model m = rt.load(hlo)) {
            Map<String, HostTensor> out = m.run(Map.of("input0", HostTensor.of(new float[] {3, 4}, 2)));
            assertThat(out.get("output0").toFloatArray()).containsExactly(3, 4);
        }
        // The compiler reads a copy of the module in its work directory: what it compiles is what the cache keyed.
        String args = Files.readString(dir.resolve("args.txt")).trim();
        assertThat(args)
                .matches("compile --framework=XLA /\\S+/model\\.hlo_module\\.pb --output /\\S+/model\\.neff"
                        + " --target=trn2 --auto-cast=none --lnc=2");
    }

    @Test
    void aModuleIsCompiledOnceAndTheCacheEntryLoadsAsAModel() throws IOException {
        Files.write(dir.resolve("prebuilt.neff"), TestNeffs.copy(2));
        script("here=$(dirname \"$0\")\necho x >> \"$here/count.txt\"\nprev=\n"
                + "for a in \"$@\"; do if [ \"$prev\" = --output ]; then out=$a; fi; prev=$a; done\n"
                + "cp \"$here/prebuilt.neff\" \"$out\"\n");
        Path hlo = Files.write(dir.resolve("model.hlo_module.pb"), MODULE);
        for (int i = 0; i < 2; i++) {
            // A new runtime each time: the cache is on disk, not in the runtime.
            try (NeuronRuntime rt = open();
                    Model m = rt.load(hlo)) {
                assertThat(m.run(Map.of("input0", HostTensor.of(new float[] {5, 6}, 2)))
                                .get("output0")
                                .toFloatArray())
                        .containsExactly(5, 6);
            }
        }
        assertThat(Files.readAllLines(dir.resolve("count.txt"))).hasSize(1);
        Path entry;
        try (var dirs = Files.list(dir.resolve("state/neuron-compile-cache/neuronxcc-2.0.0+script"))) {
            entry = dirs.collect(java.util.stream.Collectors.toList()).get(0);
        }
        assertThat(entry.getFileName().toString()).matches("MODULE_[0-9a-f]{64}");
        try (NeuronRuntime rt = open();
                Model m = rt.load(ModelSource.of(entry))) {
            assertThat(m.run(Map.of("input0", HostTensor.of(new float[] {7, 8}, 2)))
                            .get("output0")
                            .toFloatArray())
                    .containsExactly(7, 8);
        }
        assertThat(Files.readAllLines(dir.resolve("count.txt"))).hasSize(1);
    }

    @Test
    void aFailingCompilerIsInvalidWithTheEndOfItsLog() throws IOException {
        script("echo 'ERROR [NCC_EVRF001] unsupported operator foo'\nexit 70\n");
        Path hlo = Files.write(dir.resolve("model.pb"), MODULE);
        try (NeuronRuntime rt = open()) {
            assertThatThrownBy(() -> rt.load(hlo)).isInstanceOfSatisfying(NeuronException.class, e -> {
                assertThat(e.status()).isEqualTo(Status.INVALID);
                assertThat(e.getMessage()).contains("exited with 70").contains("unsupported operator foo");
            });
        }
    }

    @Test
    void aFileThatIsNoHloModuleIsRefusedBeforeTheCompilerRuns() throws IOException {
        Path ran = dir.resolve("ran.txt");
        script("echo x >> '" + ran + "'\nexit 70\n");
        byte[] junk = new byte[512];
        new java.util.Random(7).nextBytes(junk);
        Path hlo = Files.write(dir.resolve("junk.pb"), junk);
        try (NeuronRuntime rt = open()) {
            assertThatThrownBy(() -> rt.load(hlo)).isInstanceOfSatisfying(NeuronException.class, e -> {
                assertThat(e.status()).isEqualTo(Status.INVALID);
                assertThat(e.getMessage()).contains("junk.pb").doesNotContain("exited with");
            });
        }
        assertThat(ran).as("the compiler never saw the junk").doesNotExist();
    }

    @Test
    void withoutACompilerHloIsRefusedSayingWhatToInstall() throws IOException {
        System.setProperty(NeffCompiler.PROPERTY, dir.resolve("absent").toString());
        Path hlo = Files.write(dir.resolve("model.pb"), MODULE);
        Path text = Files.writeString(dir.resolve("model.hlo"), "HloModule m");
        try (NeuronRuntime rt = open()) {
            assertThatThrownBy(() -> rt.load(hlo)).isInstanceOfSatisfying(NeuronException.class, e -> {
                assertThat(e.status()).isEqualTo(Status.INVALID);
                assertThat(e.getMessage()).contains("no neuronx-cc was found").contains("nrt4j.neuronxCc");
            });
            assertThatThrownBy(() -> rt.load(text)).isInstanceOfSatisfying(NeuronException.class, e -> {
                assertThat(e.status()).isEqualTo(Status.INVALID);
                assertThat(e.getMessage()).contains("HLO text");
            });
        }
    }
}
