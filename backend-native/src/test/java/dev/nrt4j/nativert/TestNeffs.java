package dev.nrt4j.nativert;

import dev.nrt4j.neff.NeffBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * NEFF files for the libnrt double: a real container (1024-byte header, gzip'd tar with
 * {@code sg00/def.json}) plus a member {@code nrt4j.program} holding the program the double runs, in
 * its format version 2 (the header comment of {@code src/test/c/nrt_double.c} specifies it). The
 * header's {@code lnc_size} is 0 ("any LNC", as in older files) unless a test sets it.
 */
final class TestNeffs {
    /** Offset of the 32-bit {@code lnc_size} in the NEFF header. */
    static final int LNC_OFFSET = 0x228;

    private TestNeffs() {}

    /** A program text: the format line, then {@code lines}, one per line. */
    static String program(String... lines) {
        return "nrt4j-program 2\n" + String.join("\n", lines) + "\n";
    }

    /** {@code output0 = input0}, {@code n} floats. */
    static byte[] copy(int n) {
        return neff(
                program("%0 = input input0 f32 " + n, "%1 = copy %0", "output output0 %1"),
                "input0",
                "input",
                0,
                4 * n,
                "output0",
                "output",
                1,
                4 * n);
    }

    /** {@code output0 = input0 + input1}, f32[2,3]. */
    static byte[] add() {
        return neff(
                program(
                        "%0 = input input0 f32 2 3",
                        "%1 = input input1 f32 2 3", "%2 = add %0 %1", "output output0 %2"),
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
                24);
    }

    /** {@code output0 = input0 · input1} with [2,3]·[3,2] in {@code dtype} ({@code f32} or {@code bf16}). */
    static byte[] matmul(String dtype) {
        int e = dtype.equals("f32") ? 4 : 2;
        return neff(
                program(
                        "%0 = input input0 " + dtype + " 2 3",
                        "%1 = input input1 " + dtype + " 3 2",
                        "%2 = dot %0 %1",
                        "output output0 %2"),
                "input0",
                "input",
                0,
                6 * e,
                "input1",
                "input",
                1,
                6 * e,
                "output0",
                "output",
                2,
                4 * e);
    }

    /**
     * A copy of 16 bytes whose tensors have a dtype outside every numbering (the double's test-only
     * {@code x4packed}, reported as 0x2A, as packed {@code _x4} types are reported), shape [4,4].
     */
    static byte[] packedOutput() {
        return neff(
                program("%0 = input input0 x4packed 4 4", "%1 = copy %0", "output output0 %1"),
                "input0",
                "input",
                0,
                16,
                "output0",
                "output",
                1,
                16);
    }

    /** A copy of one float that needs {@code cores} NeuronCores. */
    static byte[] needingCores(int cores) {
        return neff(
                program("cores " + cores, "%0 = input input0 f32 1", "%1 = copy %0", "output output0 %1"),
                "input0",
                "input",
                0,
                4,
                "output0",
                "output",
                1,
                4);
    }

    /** One float in, never completes: every execution runs until the execution timeout. */
    static byte[] loopForever() {
        return neff(
                program("%0 = input input0 f32 1", "%1 = loop-forever %0", "output output0 %1"),
                "input0",
                "input",
                0,
                4,
                "output0",
                "output",
                1,
                4);
    }

    /** {@code output0 = all-reduce-sum(input0)} over {@code ranks} ranks, {@code n} floats. */
    static byte[] allReduce(int ranks, int n) {
        return neff(
                program("ranks " + ranks, "%0 = input input0 f32 " + n, "%1 = all-reduce-sum %0", "output output0 %1"),
                "input0",
                "input",
                0,
                4 * n,
                "output0",
                "output",
                1,
                4 * n);
    }

    /** A copy NEFF whose header claims format major version {@code major}. */
    static byte[] withMajorVersion(int major) {
        byte[] b = copy(1);
        b[0x18] = (byte) major;
        return b;
    }

    /** {@code neff} with its header's {@code lnc_size} set to {@code lnc}. */
    static byte[] withLnc(byte[] neff, int lnc) {
        byte[] b = neff.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(LNC_OFFSET, lnc);
        return b;
    }

    /** A NEFF of {@code program} with a def.json of (name, type, var_id, size) quadruples; {@code lnc_size} 0. */
    static byte[] neff(String program, Object... defVars) {
        byte[] b = new NeffBuilder()
                .directory("sg00/")
                .file("sg00/def.json", NeffBuilder.defJson(defVars))
                .file("nrt4j.program", program)
                .build();
        return withLnc(b, 0);
    }

    static Path write(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
