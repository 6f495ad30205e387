package dev.nrt4j.nativert;

import dev.nrt4j.neff.NeffBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * NEFF files for the libnrt double: a real container (1024-byte header, gzip'd tar with
 * {@code sg00/def.json}) plus a member {@code nrt4j.program} naming the tiny program the double runs
 * and each tensor's dtype and shape.
 */
final class TestNeffs {
    private TestNeffs() {
    }

    /** {@code output0 = input0}, {@code n} floats. */
    static byte[] copy(int n) {
        return neff("op copy\ninput0 float32 " + n + "\noutput0 float32 " + n + "\n",
                "input0", "input", 0, 4 * n, "output0", "output", 1, 4 * n);
    }

    /** {@code output0 = input0 + input1}, f32[2,3]. */
    static byte[] add() {
        return neff("op add\ninput0 float32 2 3\ninput1 float32 2 3\noutput0 float32 2 3\n",
                "input0", "input", 0, 24, "input1", "input", 1, 24, "output0", "output", 2, 24);
    }

    /** {@code output0 = input0 · input1} with [2,3]·[3,2] in {@code dtype} ({@code float32} or {@code bfloat16}). */
    static byte[] matmul(String dtype) {
        int e = dtype.equals("float32") ? 4 : 2;
        return neff("op matmul\ninput0 " + dtype + " 2 3\ninput1 " + dtype + " 3 2\noutput0 " + dtype + " 2 2\n",
                "input0", "input", 0, 6 * e, "input1", "input", 1, 6 * e, "output0", "output", 2, 4 * e);
    }

    /** A copy whose output has a dtype outside every numbering (as packed {@code _x4} types are reported). */
    static byte[] packedOutput() {
        return neff("op copy\ninput0 uint8 16\noutput0 packed 4 4\n",
                "input0", "input", 0, 16, "output0", "output", 1, 16);
    }

    /** A program that needs {@code cores} NeuronCores. */
    static byte[] needingCores(int cores) {
        return neff("op copy\ncores " + cores + "\ninput0 float32 1\noutput0 float32 1\n",
                "input0", "input", 0, 4, "output0", "output", 1, 4);
    }

    /** A copy NEFF whose header claims format major version {@code major}. */
    static byte[] withMajorVersion(int major) {
        byte[] b = copy(1);
        b[0x18] = (byte) major;
        return b;
    }

    static byte[] neff(String program, Object... defVars) {
        return new NeffBuilder()
                .directory("sg00/")
                .file("sg00/def.json", NeffBuilder.defJson(defVars))
                .file("nrt4j.program", program)
                .build();
    }

    static Path write(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
