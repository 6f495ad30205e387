package dev.nrt4j.tools;

import dev.nrt4j.BFloat16;
import dev.nrt4j.DType;
import dev.nrt4j.Float16;
import dev.nrt4j.HostTensor;
import dev.nrt4j.Model;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.Tensor;
import dev.nrt4j.TensorInfo;
import dev.nrt4j.TensorSet;
import dev.nrt4j.npy.Npy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** The inputs the commands that execute models ({@code run}, {@code bench}) feed them: from .npy files or random. */
public final class ModelInputs {
    private ModelInputs() {}

    /**
     * The inputs of {@code model}: those named in {@code files} read from .npy files (adapted as
     * {@link #adapt} says), the others seeded random data when {@code random}. Each is held whole on
     * the host; {@link #write} puts them straight into device tensors instead.
     *
     * @throws NeuronException {@link Status#EXEC_BAD_INPUT} for a name the model lacks, a file of the wrong
     *     shape or type, or an input without data; {@link Status#RESOURCE} for random data larger than a
     *     host tensor holds or the heap has free
     */
    public static Map<String, HostTensor> prepare(
            Model model, Path modelPath, Map<String, Path> inputs, boolean randomInputs, long seed) {
        checkNames(model, modelPath, inputs, randomInputs);
        Map<String, HostTensor> out = new LinkedHashMap<>();
        SplittableRandom random = new SplittableRandom(seed);
        for (TensorInfo info : model.signature().inputs()) {
            Path file = inputs.get(info.name());
            out.put(info.name(), file != null ? adapt(Npy.read(file), info, file) : random(info, random));
        }
        return out;
    }

    /**
     * Fails unless every name in {@code inputs} is an input of {@code model} and every input has data
     * (a file, or {@code randomInputs}). Cheap: run it before allocating anything.
     *
     * @throws NeuronException {@link Status#EXEC_BAD_INPUT} naming the input
     */
    static void checkNames(Model model, Path modelPath, Map<String, Path> inputs, boolean randomInputs) {
        for (String name : inputs.keySet()) {
            if (model.signature().input(name).isEmpty()) {
                throw new NeuronException(
                        Status.EXEC_BAD_INPUT,
                        "run " + modelPath,
                        "the model has no input '" + name + "'; its inputs are "
                                + model.signature().inputs());
            }
        }
        List<String> missing = new ArrayList<>();
        for (TensorInfo info : model.signature().inputs()) {
            if (!inputs.containsKey(info.name()) && !randomInputs) {
                missing.add(info.name());
            }
        }
        if (!missing.isEmpty()) {
            throw new NeuronException(
                    Status.EXEC_BAD_INPUT,
                    "run " + modelPath,
                    "no data for input" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
                            + "; give --input NAME=FILE.npy for each, or --random-inputs");
        }
    }

    /**
     * Writes each input of {@code model} into its tensor in {@code into}: a file's data whole (a .npy is
     * read into one host tensor), random data (the same as {@link #prepare} makes for {@code seed}) in
     * chunks straight into the tensor, so an input may pass 2 GiB and needs no heap of its size. Call
     * {@link #checkNames} first.
     *
     * @param into the model's inputs by name, as {@link Model#allocateInputs()} makes them
     * @throws NeuronException {@link Status#EXEC_BAD_INPUT} for a file of the wrong shape or type; what
     *     {@link Tensor#write(long, ByteBuffer)} throws
     */
    static void write(Model model, Map<String, Path> inputs, long seed, TensorSet into) {
        SplittableRandom random = new SplittableRandom(seed);
        for (TensorInfo info : model.signature().inputs()) {
            Path file = inputs.get(info.name());
            Tensor tensor = into.get(info.name());
            if (file != null) {
                tensor.write(adapt(Npy.read(file), info, file));
            } else {
                ByteBuffer chunk = ByteBuffer.allocateDirect(FILL_CHUNK).order(ByteOrder.LITTLE_ENDIAN);
                long total = info.shape().elementCount();
                int perChunk = FILL_CHUNK / info.dtype().byteSize();
                for (long done = 0; done < total; ) {
                    int n = (int) Math.min(perChunk, total - done);
                    chunk.clear();
                    putRandom(info.dtype(), chunk, n, random);
                    tensor.write(done * info.dtype().byteSize(), chunk.flip());
                    done += n;
                }
            }
        }
    }

    /**
     * Files hold the input's own type; bf16 may come as uint16 bit patterns (the corpus convention) and
     * bf16/f16 also as float32, rounded to nearest even.
     */
    static HostTensor adapt(HostTensor t, TensorInfo info, Path file) {
        if (!t.shape().equals(info.shape())) {
            throw new NeuronException(
                    Status.EXEC_BAD_INPUT,
                    "read input " + info.name() + " from " + file,
                    "it is " + t.dtype().hloName() + t.shape() + " but the model takes "
                            + info.dtype().hloName() + info.shape());
        }
        if (t.dtype() == info.dtype()) {
            return t;
        }
        boolean half = info.dtype() == DType.BFLOAT16 || info.dtype() == DType.FLOAT16;
        if (half && t.dtype() == DType.FLOAT32) {
            return HostTensor.ofRounded(
                    info.dtype(), t.toFloatArray(), info.shape().dims());
        }
        if (info.dtype() == DType.BFLOAT16 && t.dtype() == DType.UINT16) {
            return t.reinterpret(DType.BFLOAT16);
        }
        throw new NeuronException(
                Status.EXEC_BAD_INPUT,
                "read input " + info.name() + " from " + file,
                "it holds " + t.dtype().hloName() + " but the model takes "
                        + info.dtype().hloName() + (half ? " (float32 files are accepted too)" : ""));
    }

    /** Bytes of random data made at a time for {@link #write}: a whole number of elements of every type. */
    private static final int FILL_CHUNK = 1 << 20;

    /** The most bytes one host tensor, and so one input {@link #prepare} makes, holds: a Java array's limit. */
    static final long MAX_INPUT_BYTES = Integer.MAX_VALUE - 8;

    /**
     * Uniform in [-1, 1) for floats, small integers for integer types, fair coin for pred.
     *
     * @throws NeuronException {@link Status#RESOURCE} for an input larger than a host tensor holds or than
     *     the free heap, before anything is allocated
     */
    static HostTensor random(TensorInfo info, SplittableRandom random) {
        checkFits(info);
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(info.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
        putRandom(info.dtype(), b, info.shape().elementCount(), random);
        return HostTensor.of(info.dtype(), info.shape(), b.flip());
    }

    /** Puts {@code count} random elements of {@code type} into {@code b} (little-endian), as {@link #random} describes. */
    private static void putRandom(DType type, ByteBuffer b, long count, SplittableRandom random) {
        for (long i = 0; i < count; i++) {
            double u = random.nextDouble() * 2 - 1;
            switch (type) {
                case FLOAT32:
                case FP32R:
                    b.putFloat((float) u);
                    break;
                case FLOAT64:
                    b.putDouble(u);
                    break;
                case BFLOAT16:
                    b.putShort(BFloat16.fromFloat((float) u));
                    break;
                case FLOAT16:
                    b.putShort(Float16.fromFloat((float) u));
                    break;
                case PRED:
                    b.put((byte) (u < 0 ? 0 : 1));
                    break;
                case INT8:
                case UINT8:
                case FP8_E4M3:
                case FP8_E5M2:
                case FP8_E3M4:
                    b.put((byte) random.nextInt(16));
                    break;
                case INT16:
                case UINT16:
                    b.putShort((short) random.nextInt(16));
                    break;
                case INT32:
                case UINT32:
                    b.putInt(random.nextInt(16));
                    break;
                default:
                    b.putLong(random.nextInt(16));
                    break;
            }
        }
    }

    /**
     * Inputs are held whole on the host, so one of 2 GiB or more (or more than the heap has free) cannot
     * be made; saying so beats the BufferOverflowException an {@code int} cast used to produce.
     */
    private static void checkFits(TensorInfo info) {
        long bytes = info.byteSize();
        String what = "make random data for input " + info.name() + " ("
                + info.dtype().hloName() + info.shape() + ")";
        if (bytes > MAX_INPUT_BYTES) {
            throw new NeuronException(
                    Status.RESOURCE,
                    what,
                    "it is " + bytes + " bytes and a host tensor holds at most " + MAX_INPUT_BYTES
                            + "; use a model with smaller inputs");
        }
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (bytes * 2 > free) {
            // What looks used may be garbage; an input this large is worth one collection to find out.
            System.gc();
            free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        }
        // Room for the tensor twice: the runtime copies it into device memory.
        if (bytes * 2 > free) {
            throw new NeuronException(
                    Status.RESOURCE,
                    what,
                    "it is " + bytes + " bytes and the Java heap has " + free
                            + " free; give the JVM more memory, e.g. NRT4J_JAVA_OPTS=-Xmx"
                            + Math.max(1, (rt.maxMemory() + bytes * 2) >> 30) + "g");
        }
    }
}
