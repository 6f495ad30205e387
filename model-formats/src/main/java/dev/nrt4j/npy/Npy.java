package dev.nrt4j.npy;

import dev.nrt4j.DType;
import dev.nrt4j.HostTensor;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Shape;
import dev.nrt4j.Status;
import dev.nrt4j.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads and writes NumPy {@code .npy} files as {@link HostTensor}s, and writes device tensors to them in chunks.
 *
 * <p><b>Reading</b> accepts format versions 1.0, 2.0 and 3.0, little- and big-endian data, C and
 * Fortran order and 0-d arrays, for the descrs {@code f2 f4 f8} (f16, f32, f64), {@code i1 i2 i4 i8}
 * (s8 … s64), {@code u1 u2 u4 u8} (u8 … u64) and {@code b1} or {@code ?} (pred). The byte-order
 * mark may be {@code <}, {@code >}, {@code =} or absent (both taken as little-endian), or {@code |}
 * for one-byte types. The result is always little-endian and in C order; bool bytes other than 0
 * are read as 1. NumPy has no bfloat16 or fp8: such data is stored as {@code '<u2'} / {@code '|u1'}
 * bit patterns and reads back as {@link DType#UINT16} / {@link DType#UINT8}; see
 * {@link HostTensor#reinterpret(DType)}.
 *
 * <p>Files are distrusted: every size the header claims is checked before memory is allocated for
 * it (against the file's length when that is known; a stream's data is read in growing chunks), and
 * a file or byte array must contain exactly the data its header describes, no more and no less.
 * Headers over {@value NpyHeader#MAX_HEADER_BYTES} bytes and shapes of more than
 * {@value NpyHeader#MAX_RANK} dimensions are refused. Every problem is a {@link NeuronException}
 * with {@link Status#INVALID}, the operation {@code read <source>}, and a message that says what is
 * wrong (bytes quoted from the file have control characters escaped).
 *
 * <p><b>Writing</b> produces what NumPy writes: version 1.0 (2.0 only for a header over 64 KiB),
 * little-endian, C order, the header padded with spaces so the data starts on a 64-byte boundary.
 * Types NumPy lacks are written as their bits: {@link DType#BFLOAT16} as {@code '<u2'}, the fp8
 * types as {@code '|u1'}, {@link DType#FP32R} as {@code '<f4'}; {@link DType#PRED} is written as
 * {@code '|b1'}. Reading such a file back gives the same bytes and shape with the bit-pattern type.
 *
 * <p>Stateless and thread-safe. Streams passed in are neither buffered nor closed here.
 */
public final class Npy {
    private static final int WRITE_CHUNK = 1 << 16;
    /** Bytes read from a {@link Tensor} at a time: few calls into a device, little heap. */
    private static final int TENSOR_CHUNK = 1 << 20;

    private Npy() {}

    /**
     * Reads the array in the file at {@code path}.
     *
     * @throws NeuronException {@link Status#INVALID} if the file cannot be read, is not a valid
     *     {@code .npy} of a supported type, holds more or fewer bytes than its header describes, or is
     *     larger than a host tensor can hold
     */
    public static HostTensor read(Path path) {
        Objects.requireNonNull(path, "path");
        String source = path.toString();
        try (InputStream in = open(path, source)) {
            return read(NpyInput.of(in, source, size(path, source)), true);
        } catch (IOException e) {
            throw NpyFailure.invalid(source, "could not close the file: " + e, e);
        }
    }

    /**
     * Reads only the header of the file at {@code path} (a few hundred bytes, whatever the array's size).
     *
     * @throws NeuronException {@link Status#INVALID} if the file cannot be read or its header is not a
     *     valid {@code .npy} header of a supported type
     */
    public static NpyHeader readHeader(Path path) {
        Objects.requireNonNull(path, "path");
        String source = path.toString();
        try (InputStream in = open(path, source)) {
            return NpyHeader.read(NpyInput.of(in, source, size(path, source)));
        } catch (IOException e) {
            throw NpyFailure.invalid(source, "could not close the file: " + e, e);
        }
    }

    /**
     * Reads the array held in {@code bytes}, which must be a whole {@code .npy} file.
     *
     * @throws NeuronException {@link Status#INVALID} as {@link #read(Path)} does
     */
    public static HostTensor read(byte[] bytes) {
        return read(ByteBuffer.wrap(bytes));
    }

    /**
     * Reads the array held in {@code bytes} from its position to its limit, which must be a whole
     * {@code .npy} file. The buffer's position is not changed.
     *
     * @throws NeuronException {@link Status#INVALID} as {@link #read(Path)} does
     */
    public static HostTensor read(ByteBuffer bytes) {
        return read(NpyInput.of(bytes, describeBytes(bytes.remaining())), true);
    }

    /**
     * Reads one array from {@code in}, consuming exactly its bytes, so that arrays written one after
     * another can be read one after another. {@code sourceName} (a file name, a URL) appears in
     * error messages.
     *
     * @throws NeuronException {@link Status#INVALID} if the stream fails, ends early, or does not hold
     *     a valid {@code .npy} of a supported type that a host tensor can hold
     */
    public static HostTensor read(InputStream in, String sourceName) {
        Objects.requireNonNull(in, "in");
        return read(NpyInput.of(in, Objects.requireNonNull(sourceName, "sourceName"), -1), false);
    }

    /**
     * Writes {@code tensor} to {@code path}, replacing any file there.
     *
     * @throws NeuronException {@link Status#FAILURE} if the file cannot be written;
     *     {@link Status#INVALID} if the tensor has more than {@value NpyHeader#MAX_RANK} dimensions
     */
    public static void write(HostTensor tensor, Path path) {
        Objects.requireNonNull(tensor, "tensor");
        checkWritable(tensor.shape(), "write " + path);
        try (OutputStream out = Files.newOutputStream(path)) {
            writeTo(tensor, out);
        } catch (IOException e) {
            throw new NeuronException(Status.FAILURE, "write " + path, "could not write the file: " + e, e);
        }
    }

    /**
     * Writes {@code tensor} as a {@code .npy} to {@code out}, which is left open.
     *
     * @throws NeuronException {@link Status#FAILURE} if the stream fails;
     *     {@link Status#INVALID} if the tensor has more than {@value NpyHeader#MAX_RANK} dimensions
     */
    public static void write(HostTensor tensor, OutputStream out) {
        Objects.requireNonNull(tensor, "tensor");
        Objects.requireNonNull(out, "out");
        checkWritable(tensor.shape(), "write .npy to a stream");
        try {
            writeTo(tensor, out);
        } catch (IOException e) {
            throw new NeuronException(Status.FAILURE, "write .npy to a stream", "the stream failed: " + e, e);
        }
    }

    /**
     * Writes the bytes of a device or host {@link Tensor}, taken as {@code dtype} and {@code shape}, to
     * {@code path} as a {@code .npy}, replacing any file there. The data is read and written in chunks,
     * so the tensor may be larger than a host tensor holds (2 GiB and more) and no copy of it is held.
     * The tensor stays the caller's and must not be written meanwhile.
     *
     * @throws NeuronException {@link Status#INVALID} if {@code dtype} and {@code shape} do not describe
     *     exactly the tensor's bytes or the shape has more than {@value NpyHeader#MAX_RANK} dimensions;
     *     {@link Status#FAILURE} if the file cannot be written; what {@link Tensor#read(long, ByteBuffer)}
     *     throws (e.g. {@link Status#CLOSED})
     */
    public static void write(Tensor tensor, DType dtype, Shape shape, Path path) {
        Objects.requireNonNull(tensor, "tensor");
        String operation = "write " + path;
        checkWritable(shape, operation);
        long bytes = shape.byteSize(dtype);
        if (bytes != tensor.size()) {
            throw new NeuronException(
                    Status.INVALID,
                    operation,
                    dtype.hloName() + shape + " is " + bytes + " bytes but tensor '" + tensor.name() + "' holds "
                            + tensor.size());
        }
        try (OutputStream out = Files.newOutputStream(path)) {
            out.write(NpyWriter.header(dtype, shape));
            byte[] chunk = new byte[(int) Math.min(TENSOR_CHUNK, bytes)];
            for (long done = 0; done < bytes; ) {
                int n = (int) Math.min(chunk.length, bytes - done);
                tensor.read(done, ByteBuffer.wrap(chunk, 0, n));
                out.write(chunk, 0, n);
                done += n;
            }
        } catch (IOException e) {
            throw new NeuronException(Status.FAILURE, operation, "could not write the file: " + e, e);
        }
    }

    /**
     * The {@code .npy} file for {@code tensor}, as bytes.
     *
     * @throws NeuronException {@link Status#INVALID} if the tensor has more than
     *     {@value NpyHeader#MAX_RANK} dimensions
     * @throws ArithmeticException if header and data together exceed a Java array
     */
    public static byte[] toBytes(HostTensor tensor) {
        checkWritable(tensor.shape(), "write .npy bytes");
        byte[] header = NpyWriter.header(tensor.dtype(), tensor.shape());
        byte[] out = new byte[Math.addExact(header.length, tensor.byteSize())];
        System.arraycopy(header, 0, out, 0, header.length);
        tensor.data().get(out, header.length, tensor.byteSize());
        return out;
    }

    private static void checkWritable(Shape shape, String operation) {
        if (shape.rank() > NpyHeader.MAX_RANK) {
            throw new NeuronException(
                    Status.INVALID,
                    operation,
                    "a tensor of rank " + shape.rank() + " cannot be stored as .npy: NumPy and nrt4j read at most "
                            + NpyHeader.MAX_RANK + " dimensions");
        }
    }

    private static void writeTo(HostTensor tensor, OutputStream out) throws IOException {
        out.write(NpyWriter.header(tensor.dtype(), tensor.shape()));
        ByteBuffer data = tensor.data();
        byte[] chunk = new byte[Math.min(WRITE_CHUNK, data.remaining())];
        while (data.hasRemaining()) {
            int n = Math.min(chunk.length, data.remaining());
            data.get(chunk, 0, n);
            out.write(chunk, 0, n);
        }
    }

    private static HostTensor read(NpyInput in, boolean wholeInput) {
        NpyHeader h = NpyHeader.read(in);
        long need = h.dataByteSize();
        String what = "shape " + h.shape() + " of '" + h.descr() + "'";
        if (need > Integer.MAX_VALUE) {
            throw NpyFailure.invalid(
                    in.source,
                    what + " needs " + need + " bytes; a HostTensor holds at most " + Integer.MAX_VALUE
                            + " bytes, so split the array or read it with a memory-mapped tool");
        }
        long left = in.remaining();
        if (left >= 0 && left < need) {
            throw NpyFailure.invalid(
                    in.source,
                    "the header's " + what + " needs " + need + " data bytes but only " + left
                            + " follow the header; the file is truncated or its header is wrong");
        }
        if (wholeInput && left > need) {
            throw NpyFailure.invalid(
                    in.source,
                    left + " bytes follow the header but its " + what + " needs " + need
                            + "; the header's shape or descr is wrong, or something was appended to the file");
        }
        byte[] data = in.readData((int) need);
        int size = h.dtype().byteSize();
        if (h.bigEndian()) {
            NpyLayout.swapBytes(data, size);
        }
        if (h.dtype() == DType.PRED) {
            NpyLayout.normalizeBools(data);
        }
        Shape shape = h.shape();
        if (h.fortranOrder()) {
            data = NpyLayout.fortranToC(data, shape.dims(), size);
        }
        return HostTensor.of(h.dtype(), shape, data);
    }

    private static InputStream open(Path path, String source) {
        try {
            return Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw NpyFailure.invalid(source, "no such file", e);
        } catch (IOException e) {
            throw NpyFailure.invalid(source, "could not open the file: " + e, e);
        }
    }

    /** The file's length, or -1 for a pipe or device, whose reported size says nothing about its content. */
    private static long size(Path path, String source) {
        try {
            return Files.isRegularFile(path) ? Files.size(path) : -1;
        } catch (IOException e) {
            throw NpyFailure.invalid(source, "could not get the file's size: " + e, e);
        }
    }

    static String describeBytes(int length) {
        return "in-memory .npy (" + length + " bytes)";
    }
}
