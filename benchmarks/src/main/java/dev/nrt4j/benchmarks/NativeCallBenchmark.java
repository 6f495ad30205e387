package dev.nrt4j.benchmarks;

import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Tensor;
import dev.nrt4j.TensorSet;
import dev.nrt4j.nativert.binding.Bindings;
import dev.nrt4j.nativert.binding.LibNrt;
import dev.nrt4j.neff.NeffBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What calling libnrt costs through each binding, measured against the libnrt test double (whose
 * functions do almost nothing but copy bytes, so the figures are binding and API overhead, not device
 * time; its large copies use the host's fastest plain copy, see {@code bulk_copy} in
 * {@code nrt_double.c}): {@code nrt_execute} of a one-float copy model, once through the public API (which builds and
 * destroys the two tensor sets per call) and once as the bare binding call on prepared sets; and
 * {@code nrt_tensor_write} of 4 KiB and 64 MiB from a direct buffer (written in place) and from a heap
 * array (one copy through native memory).
 *
 * <p>Build the double first ({@code ./mvnw -pl backend-native -am verify}); the path defaults to
 * {@code backend-native/target/libnrt-double/libnrt.so.1} below the working directory, or
 * {@code -Dnrt4j.libnrt=PATH}. One binding per fork: a JVM binds one libnrt, once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class NativeCallBenchmark {
    @Param({"ffm", "jna"})
    public String binding;

    private NeuronRuntime runtime;
    private Model model;
    private TensorSet inputs;
    private TensorSet outputs;
    private Tensor small;
    private Tensor large;
    private ByteBuffer direct4k;
    private ByteBuffer direct64m;
    private ByteBuffer heap4k;
    private ByteBuffer heap64m;
    private BulkCopy copy4k;
    private BulkCopy copy64m;
    private BulkCopy memcpy4k;
    private BulkCopy memcpy64m;
    private LibNrt lib;
    private long modelHandle;
    private long inputSet;
    private long outputSet;
    private long rawIn;
    private long rawOut;

    @Setup
    public void open() throws IOException {
        String library = System.getProperty("nrt4j.libnrt", "backend-native/target/libnrt-double/libnrt.so.1");
        if (!Files.isRegularFile(Path.of(library))) {
            throw new IllegalStateException("no libnrt double at "
                    + Path.of(library).toAbsolutePath() + "; build backend-native first or pass -Dnrt4j.libnrt=PATH");
        }
        System.setProperty("nrt4j.libnrt", Path.of(library).toAbsolutePath().toString());
        System.setProperty(Bindings.PROPERTY, binding);
        runtime = NeuronRuntime.open(RuntimeOptions.builder().backend("native").build());
        if (!runtime.backend().detail().contains("through " + binding)) {
            throw new IllegalStateException(
                    "asked for " + binding + " but got " + runtime.backend().detail());
        }
        // The double's program format 2 (backend-native/src/test/c/nrt_decls.h): a one-float copy; lnc_size 0
        // loads at whatever LNC the double runs.
        byte[] neff = new NeffBuilder()
                .lncSize(0)
                .directory("sg00/")
                .file("sg00/def.json", NeffBuilder.defJson("input0", "input", 0, 4, "output0", "output", 1, 4))
                .file("nrt4j.program", "nrt4j-program 2\n%0 = input input0 f32 1\n%1 = copy %0\noutput output0 %1\n")
                .build();
        model = runtime.load(ModelSource.of(neff, ModelSource.Kind.NEFF));
        inputs = model.allocateInputs();
        outputs = model.allocateOutputs();
        small = runtime.allocate("small", 4 << 10, 0);
        large = runtime.allocate("large", 64 << 20, 0);
        direct4k = ByteBuffer.allocateDirect(4 << 10);
        direct64m = ByteBuffer.allocateDirect(64 << 20);
        heap4k = ByteBuffer.allocate(4 << 10);
        heap64m = ByteBuffer.allocate(64 << 20);
        copy4k = BulkCopy.of(4 << 10);
        copy64m = BulkCopy.of(64 << 20);
        memcpy4k = BulkCopy.libcMemcpy(4 << 10);
        memcpy64m = BulkCopy.libcMemcpy(64 << 20);

        // The bare binding: its own model, tensors and sets, prepared once.
        lib = Bindings.bind(binding, System.getProperty("nrt4j.libnrt"));
        modelHandle = lib.load(neff, 0, -1);
        rawIn = lib.tensorAllocate(LibNrt.PLACEMENT_DEVICE, 0, 4, "in");
        rawOut = lib.tensorAllocate(LibNrt.PLACEMENT_DEVICE, 0, 4, "out");
        inputSet = lib.allocateTensorSet();
        outputSet = lib.allocateTensorSet();
        lib.addTensorToTensorSet(inputSet, "input0", rawIn);
        lib.addTensorToTensorSet(outputSet, "output0", rawOut);
    }

    @TearDown
    public void close() {
        lib.destroyTensorSet(inputSet);
        lib.destroyTensorSet(outputSet);
        lib.tensorFree(rawIn);
        lib.tensorFree(rawOut);
        lib.unload(modelHandle);
        runtime.close();
    }

    /** {@code Model.execute}: API checks, two tensor sets built and destroyed, {@code nrt_execute}. */
    @Benchmark
    public void executeThroughApi() {
        model.execute(inputs, outputs);
    }

    /** The bare {@code nrt_execute} call through the binding, sets prepared. */
    @Benchmark
    public void executeBindingOnly() {
        lib.execute(modelHandle, inputSet, outputSet);
    }

    @Benchmark
    public void writeDirect4KiB() {
        small.write(direct4k.clear());
    }

    @Benchmark
    public void writeDirect64MiB() {
        large.write(direct64m.clear());
    }

    @Benchmark
    public void writeHeap4KiB() {
        small.write(heap4k.clear());
    }

    @Benchmark
    public void writeHeap64MiB() {
        large.write(heap64m.clear());
    }

    /** The yardstick for {@link #writeDirect4KiB}: {@code MemorySegment.copy} of 4 KiB between native segments. */
    @Benchmark
    public void segmentCopy4KiB() {
        copy4k.copy();
    }

    /** The yardstick for {@link #writeDirect64MiB}: {@code MemorySegment.copy} of 64 MiB. */
    @Benchmark
    public void segmentCopy64MiB() {
        copy64m.copy();
    }

    /** The second yardstick for {@link #writeDirect4KiB}: the C library's {@code memcpy} of 4 KiB, through FFM. */
    @Benchmark
    public void libcMemcpy4KiB() {
        memcpy4k.copy();
    }

    /**
     * The second yardstick for {@link #writeDirect64MiB}: the C library's {@code memcpy} of 64 MiB. The double
     * copies large writes with the CPU's string copy instead, because on the build machine this {@code memcpy}
     * is slower than {@code MemorySegment.copy}, which would hide what the binding adds.
     */
    @Benchmark
    public void libcMemcpy64MiB() {
        memcpy64m.copy();
    }
}
