package dev.nrt4j.conformance;

import dev.nrt4j.DType;
import dev.nrt4j.Shape;
import java.nio.file.Path;

/**
 * One expected output of a corpus case.
 *
 * @param name the output's runtime name, e.g. {@code output0}
 * @param dtype its element type
 * @param shape its shape
 * @param file the {@code .npy} file with the expected values (bf16 as uint16 bit patterns)
 * @param check how it must match
 */
public record ExpectedOutput(String name, DType dtype, Shape shape, Path file, OutputCheck check) {}
