package dev.nrt4j.reference;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.DotFlops;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloShape;
import dev.nrt4j.reference.interpreter.InstructionTrace;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonEncoding;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The reference device's profile: a Chrome trace-event JSON file ({@code {"traceEvents":[...]}}) with one
 * complete event ({@code "ph":"X"}) per executed instruction, as {@link dev.nrt4j.RuntimeOptions#profileOutput()}
 * describes. Events are streamed to the file as they happen, so memory stays bounded however long the
 * runtime runs; the file is a complete JSON document once {@link #close()} returns. Thread-safe: events
 * from concurrent executions are written one at a time.
 */
final class ChromeTrace implements AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();

    private final Path path;
    private final JsonGenerator out;
    private final long originNanos = System.nanoTime();
    private boolean closed;
    private JacksonException failure;

    private ChromeTrace(Path path, JsonGenerator out) {
        this.path = path;
        this.out = out;
    }

    /**
     * Creates or truncates the file at {@code path} and starts the trace.
     *
     * @throws NeuronException {@link Status#INVALID} naming the path when it cannot be written
     */
    static ChromeTrace open(Path path) {
        OutputStream file;
        try {
            file = new BufferedOutputStream(Files.newOutputStream(path));
        } catch (IOException | InvalidPathException | UnsupportedOperationException e) {
            throw new NeuronException(
                    Status.INVALID,
                    "open the profile output " + path,
                    "it cannot be written (" + e + "); give a file in a writable directory");
        }
        JsonGenerator out = JSON.createGenerator(ObjectWriteContext.empty(), file, JsonEncoding.UTF8);
        out.writeStartObject();
        out.writeStringProperty("displayTimeUnit", "ms");
        out.writeArrayPropertyStart("traceEvents");
        return new ChromeTrace(path, out);
    }

    /** {@return the hook for models on {@code core}, whose events carry it as their {@code pid}} */
    InstructionTrace forCore(int core) {
        return (instruction, replicaId, startNanos, endNanos) ->
                event(core, instruction, replicaId, startNanos, endNanos);
    }

    private synchronized void event(int core, HloInstruction ins, int rank, long startNanos, long endNanos) {
        if (closed || failure != null) {
            return;
        }
        try {
            out.writeStartObject();
            out.writeStringProperty("name", ins.opcode().text());
            out.writeStringProperty("cat", "hlo");
            out.writeStringProperty("ph", "X");
            out.writeNumberProperty("ts", (startNanos - originNanos) / 1000.0);
            out.writeNumberProperty("dur", Math.max(0, endNanos - startNanos) / 1000.0);
            out.writeNumberProperty("pid", core);
            out.writeNumberProperty("tid", rank);
            out.writeObjectPropertyStart("args");
            out.writeStringProperty("instruction", ins.name());
            out.writeStringProperty("shape", ins.shape().toString());
            out.writeArrayPropertyStart("operands");
            for (HloInstruction o : ins.operands()) {
                out.writeString(o.shape().toString());
            }
            out.writeEndArray();
            if (ins.shape().isArray()) {
                out.writeNumberProperty("bytes", ins.shape().byteSize());
            } else {
                out.writeNumberProperty("bytes", tupleBytes(ins.shape()));
            }
            long flops = DotFlops.of(ins);
            if (flops > 0) {
                out.writeNumberProperty("flops", flops);
            }
            out.writeEndObject();
            out.writeEndObject();
        } catch (JacksonException e) {
            // A full disk must not fail the execution being profiled; close() reports it.
            failure = e;
        }
    }

    private static long tupleBytes(HloShape shape) {
        if (shape.isArray()) {
            return shape.byteSize();
        }
        long total = 0;
        for (HloShape s : shape.tupleShapes()) {
            total += tupleBytes(s);
        }
        return total;
    }

    /**
     * Ends the trace and closes the file; events that arrive later are dropped. Idempotent.
     *
     * @throws NeuronException {@link Status#RESOURCE} naming the file when some of the trace could not be
     *     written (e.g. the disk filled up)
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.writeEndArray();
            out.writeEndObject();
            out.close();
        } catch (JacksonException e) {
            if (failure == null) {
                failure = e;
            }
        }
        if (failure != null) {
            throw new NeuronException(
                    Status.RESOURCE,
                    "write the profile " + path,
                    "the trace is incomplete (" + failure.getMessage() + "); free space or choose another file");
        }
    }
}
