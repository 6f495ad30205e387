package dev.nrt4j.testbackend;

import dev.nrt4j.DType;
import dev.nrt4j.ModelSignature;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Shape;
import dev.nrt4j.Status;
import dev.nrt4j.TensorInfo;
import dev.nrt4j.spi.ModelHandle;
import dev.nrt4j.spi.TensorHandle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A one-line program in a {@code .hlo.txt} file (the test device's stand-in for HLO):
 * <pre>
 *   [gate NAME] add    f32|s32 N     output0 = input0 + input1
 *   [gate NAME] addsub f32|s32 N     output0 = input0 + input1, output1 = input0 - input1
 * </pre>
 * {@code gate NAME} holds each execution at {@link Gate} NAME until the test opens it (at most the
 * execution timeout, then {@link Status#TIMEOUT}).
 */
final class MemoryModel implements ModelHandle {
    private final MemoryBackend backend;
    private final int core;
    private final String op;
    private final DType dtype;
    private final int count;
    private final Gate gate;
    private final Duration timeout;
    private final ModelSignature signature;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean unloaded;

    private MemoryModel(
            MemoryBackend backend, int core, String op, DType dtype, int count, Gate gate, Duration timeout) {
        this.backend = backend;
        this.core = core;
        this.op = op;
        this.dtype = dtype;
        this.count = count;
        this.gate = gate;
        this.timeout = timeout;
        Shape shape = Shape.of(count);
        List<TensorInfo> outputs = new ArrayList<>();
        outputs.add(new TensorInfo("output0", dtype, shape));
        if (op.equals("addsub")) {
            outputs.add(new TensorInfo("output1", dtype, shape));
        }
        this.signature = new ModelSignature(
                List.of(new TensorInfo("input0", dtype, shape), new TensorInfo("input1", dtype, shape)), outputs);
    }

    /** What {@link #load} accepts, asked without loading: the kind of source only. */
    static dev.nrt4j.ModelSupport check(String backend, ModelSource source) {
        return source.kind() == ModelSource.Kind.HLO_TEXT
                ? dev.nrt4j.ModelSupport.supported(backend)
                : dev.nrt4j.ModelSupport.unsupported(
                        backend,
                        java.util.List.of(
                                "the memory test device runs one-line text programs (.hlo.txt), not " + source.kind()));
    }

    static MemoryModel load(MemoryBackend backend, ModelSource source, int core, Duration timeout) {
        String what = "load " + source.name();
        if (source.kind() != ModelSource.Kind.HLO_TEXT) {
            throw new NeuronException(
                    Status.INVALID,
                    what,
                    "the memory test device runs its one-line text programs (.hlo.txt), not " + source.kind());
        }
        String text;
        try {
            text = source.bytes().isPresent()
                    ? new String(source.bytes().get(), StandardCharsets.UTF_8).trim()
                    : Files.readString(source.path(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new NeuronException(Status.INVALID, what, "cannot read it: " + e, e);
        }
        String[] words = text.split("\\s+");
        int at = 0;
        Gate gate = null;
        if (words.length >= 2 && words[0].equals("gate")) {
            gate = Gate.named(words[1]);
            at = 2;
        }
        if (words.length - at != 3 || !(words[at].equals("add") || words[at].equals("addsub"))) {
            throw new NeuronException(Status.INVALID, what, "not a test program: '" + text + "'");
        }
        DType dtype;
        switch (words[at + 1]) {
            case "f32":
                dtype = DType.FLOAT32;
                break;
            case "s32":
                dtype = DType.INT32;
                break;
            default:
                throw new NeuronException(Status.INVALID, what, "unsupported type " + words[at + 1]);
        }
        int count;
        try {
            count = Integer.parseInt(words[at + 2]);
        } catch (NumberFormatException e) {
            throw new NeuronException(Status.INVALID, what, "bad element count " + words[at + 2]);
        }
        return new MemoryModel(backend, core, words[at], dtype, count, gate, timeout);
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public int core() {
        return core;
    }

    @Override
    public void execute(Map<String, TensorHandle> inputs, Map<String, TensorHandle> outputs) {
        if (unloaded) {
            throw MemoryBackend.violation("execute after unload");
        }
        inFlight.incrementAndGet();
        try {
            if (gate != null) {
                try {
                    if (!gate.pass(timeout.toNanos())) {
                        throw new NeuronException(
                                Status.TIMEOUT, "execute", "gate " + gate.name() + " stayed shut for " + timeout);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new NeuronException(Status.FAILURE, "execute", "interrupted", e);
                }
            }
            ByteBuffer a = read(inputs, "input0");
            ByteBuffer b = read(inputs, "input1");
            ByteBuffer sum = buffer();
            ByteBuffer diff = buffer();
            for (int i = 0; i < count; i++) {
                if (dtype == DType.FLOAT32) {
                    float x = a.getFloat(i * 4);
                    float y = b.getFloat(i * 4);
                    sum.putFloat(i * 4, x + y);
                    diff.putFloat(i * 4, x - y);
                } else {
                    int x = a.getInt(i * 4);
                    int y = b.getInt(i * 4);
                    sum.putInt(i * 4, x + y);
                    diff.putInt(i * 4, x - y);
                }
            }
            write(outputs, "output0", sum);
            if (op.equals("addsub")) {
                write(outputs, "output1", diff);
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private ByteBuffer buffer() {
        return ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
    }

    private ByteBuffer read(Map<String, TensorHandle> inputs, String name) {
        TensorHandle h = handle(inputs, name);
        ByteBuffer b = buffer();
        h.read(0, b);
        return b.flip();
    }

    private void write(Map<String, TensorHandle> outputs, String name, ByteBuffer data) {
        handle(outputs, name).write(0, data);
    }

    private TensorHandle handle(Map<String, TensorHandle> map, String name) {
        TensorHandle h = map.get(name);
        if (h == null || h.size() != (long) count * 4) {
            throw MemoryBackend.violation(
                    "execute given " + name + " = " + h + "; the API layer must check names and sizes");
        }
        return h;
    }

    @Override
    public void unload() {
        backend.checkOpen("unload");
        if (unloaded) {
            throw MemoryBackend.violation("model unloaded twice");
        }
        if (inFlight.get() != 0) {
            throw MemoryBackend.violation("model unloaded while " + inFlight.get() + " executions were running");
        }
        unloaded = true;
        backend.unloaded(this);
    }

    @Override
    public String toString() {
        return op + " " + dtype.hloName() + "[" + count + "] on core " + core;
    }
}
