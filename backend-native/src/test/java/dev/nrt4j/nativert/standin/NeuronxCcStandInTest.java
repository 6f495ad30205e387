package dev.nrt4j.nativert.standin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.conformance.contract.ContractProgram;
import dev.nrt4j.hlo.HloSignature;
import dev.nrt4j.hlo.proto.HloProtoReader;
import dev.nrt4j.neff.NeffFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The stand-in's command line, run in this JVM: what it writes, and its one-line refusals and exit codes. */
class NeuronxCcStandInTest {
    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\n"));
        }
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = NeuronxCcStandIn.run(
                List.of(args),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Result compile(Path pb, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "compile",
                "--framework=XLA",
                pb.toString(),
                "--output",
                dir.resolve("out.neff").toString(),
                "--target=trn1",
                "--auto-cast=none"));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    @Test
    void versionIsOneLineAsTheRealCompilerPrintsIt() {
        Result r = run("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("NeuronX Compiler version 2.0.0+nrt4j-standin\n");
        assertThat(r.err()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ContractProgram.class)
    void everyContractProgramCompilesToANeffWithItsSignature(ContractProgram program) {
        Path pb = ContractModules.write(program, dir);
        Result r = compile(pb);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        NeffFile neff = NeffFile.read(dir.resolve("out.neff"));
        var module = HloProtoReader.read(pb);
        assertThat(neff.signature()).isEqualTo(HloSignature.of(module.entry(), pb.toString()));
        assertThat(neff.header().name()).isEqualTo(module.name());
        assertThat(neff.hashMatches()).isTrue();
        assertThat(new String(neff.entry("nrt4j.program").orElseThrow(), StandardCharsets.UTF_8))
                .contains("nrt4j-program 2\n");
    }

    @Test
    void optionsTakeEitherSpellingAndTheLncReachesTheHeader() {
        Path pb = ContractModules.write(ContractProgram.ADD, dir);
        Result r = run(
                "compile",
                "--framework",
                "XLA",
                pb.toString(),
                "--output=" + dir.resolve("out.neff"),
                "--target",
                "trn2",
                "--lnc",
                "2",
                "--verbose=35",
                "-O1",
                "--model-type",
                "transformer",
                "--enable-saturate-infinity");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(NeffFile.read(dir.resolve("out.neff")).header().lncSize()).isEqualTo(2);
    }

    @Test
    void unknownOptionsAreIgnoredWithAWarningLineEach() {
        Path pb = ContractModules.write(ContractProgram.COPY, dir);
        Result r = compile(pb, "--frobnicate=3", "--shiny");
        assertThat(r.exit()).isZero();
        assertThat(r.errLines())
                .containsExactly(
                        "WARNING [nrt4j stand-in] ignoring unknown option --frobnicate=3",
                        "WARNING [nrt4j stand-in] ignoring unknown option --shiny");
        assertThat(dir.resolve("out.neff")).isRegularFile();
    }

    @Test
    void badArgumentsAreAnErrorLineAndTheUsageLineWithExit2() {
        Path pb = ContractModules.write(ContractProgram.COPY, dir);
        String out = dir.resolve("o.neff").toString();
        List<String[]> bad = List.of(
                new String[] {},
                new String[] {"link", pb.toString()},
                new String[] {"compile", "--framework=XLA", "--output", out, "--target=trn1"},
                new String[] {
                    "compile", "--framework=XLA", pb.toString(), pb.toString(), "--output", out, "--target=trn1"
                },
                new String[] {"compile", pb.toString(), "--output", out, "--target=trn1"},
                new String[] {"compile", "--framework=TENSORFLOW", pb.toString(), "--output", out, "--target=trn1"},
                new String[] {"compile", "--framework=XLA", pb.toString(), "--target=trn1"},
                new String[] {"compile", "--framework=XLA", pb.toString(), "--output", out, "--target=trn9"},
                new String[] {"compile", "--framework=XLA", pb.toString(), "--output", out},
                new String[] {"compile", "--framework=XLA", pb.toString(), "--output", out, "--target=trn1", "--lnc=2"},
                new String[] {"compile", "--framework=XLA", pb.toString(), "--output", out, "--target=trn2", "--lnc=x"},
                new String[] {
                    "compile", "--framework=XLA", pb.toString(), "--output", out, "--target=trn1", "--auto-cast=some"
                },
                new String[] {"compile", "--framework=XLA", pb.toString(), "--target=trn1", "--output"});
        for (String[] args : bad) {
            Result r = run(args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.errLines()).as(String.join(" ", args)).hasSize(2);
            assertThat(r.errLines().get(0)).startsWith("ERROR [nrt4j stand-in] ");
            assertThat(r.errLines().get(1)).isEqualTo(NeuronxCcStandIn.USAGE);
            assertThat(dir.resolve("o.neff")).doesNotExist();
        }
    }

    @Test
    void anUnreadableModuleIsOneLineAndExit1() throws Exception {
        Path junk = Files.write(dir.resolve("junk.pb"), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
        for (Path pb : List.of(junk, dir.resolve("absent.pb"))) {
            Result r = compile(pb);
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.errLines()).hasSize(1);
            assertThat(r.errLines().get(0)).startsWith("ERROR [nrt4j stand-in] cannot read " + pb + ": ");
            assertThat(dir.resolve("out.neff")).doesNotExist();
        }
    }

    @Test
    void anUnsupportedOperationIsOneLineAndExit70() {
        Path pb = ContractModules.write(
                "HloModule s\nENTRY e {\n  a = f32[4] parameter(0)\n  ROOT n = f32[4] negate(a)\n}", "s", dir);
        Result r = compile(pb);
        assertThat(r.exit()).isEqualTo(70);
        assertThat(r.errLines())
                .containsExactly(
                        "ERROR [nrt4j stand-in] unsupported: negate n (the stand-in has no lowering for this operation)");
        assertThat(dir.resolve("out.neff")).doesNotExist();
    }

    @Test
    void anUnwritableOutputIsOneLineAndExit1() {
        Path pb = ContractModules.write(ContractProgram.COPY, dir);
        Result r = run(
                "compile",
                "--framework=XLA",
                pb.toString(),
                "--output",
                dir.resolve("no/such/dir/o.neff").toString(),
                "--target=trn1");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("ERROR [nrt4j stand-in] cannot write ");
    }
}
