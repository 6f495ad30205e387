package dev.nrt4j.testbackend;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.spi.TensorHandle;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Tensor storage on the heap. Freeing drops the array, so a use after free by the API layer is caught
 * here instead of silently reading stale bytes.
 */
final class MemoryTensor implements TensorHandle {
    static final String HOLD_FREE = "hold-free:";

    private final MemoryBackend backend;
    private final int core;
    private final String name;
    private final long size;
    private final Gate freeGate;
    private volatile byte[] storage;

    MemoryTensor(MemoryBackend backend, int core, String name, long size) {
        this.backend = backend;
        // A tensor named "hold-free:GATE" holds its free() at that gate, so a test can act while a
        // release is provably in progress on another thread.
        this.freeGate = name.startsWith(HOLD_FREE) ? Gate.named(name.substring(HOLD_FREE.length())) : null;
        this.core = core;
        this.name = name;
        this.size = size;
        // Capacity checks keep sizes far below 2 GiB, so one array holds any tensor.
        this.storage = new byte[Math.toIntExact(size)];
    }

    int core() {
        return core;
    }

    @Override
    public long size() {
        return size;
    }

    private byte[] live(String op, long offset, long length) {
        byte[] s = storage;
        if (s == null) {
            throw MemoryBackend.violation(op + " of freed tensor " + this);
        }
        if (offset < 0 || length < 0 || offset > size - length) {
            throw MemoryBackend.violation(op + " of [" + offset + ", +" + length + ") on " + this);
        }
        return s;
    }

    @Override
    public void read(long offset, ByteBuffer dst) {
        byte[] s = live("read", offset, dst.remaining());
        dst.put(s, (int) offset, dst.remaining());
    }

    @Override
    public void write(long offset, ByteBuffer src) {
        byte[] s = live("write", offset, src.remaining());
        src.get(s, (int) offset, src.remaining());
    }

    @Override
    public void copyTo(long offset, TensorHandle target, long targetOffset, long length) {
        if (!(target instanceof MemoryTensor) || ((MemoryTensor) target).backend != backend) {
            throw MemoryBackend.violation("copy from " + this + " to a handle of another backend: " + target);
        }
        MemoryTensor t = (MemoryTensor) target;
        byte[] from = live("copy from", offset, length);
        byte[] to = t.live("copy to", targetOffset, length);
        if (core >= 0 && t.core >= 0 && core != t.core) {
            // libnrt cannot copy device-to-device across cores; the test device says the same.
            throw new NeuronException(
                    Status.INVALID,
                    "copy tensor '" + name + "'",
                    "device tensors on cores " + core + " and " + t.core + " cannot be copied directly");
        }
        System.arraycopy(from, (int) offset, to, (int) targetOffset, (int) length);
    }

    @Override
    public void fill(long offset, long length, byte value) {
        byte[] s = live("fill", offset, length);
        Arrays.fill(s, (int) offset, (int) (offset + length), value);
    }

    @Override
    public void free() {
        backend.checkOpen("free of " + this);
        if (freeGate != null) {
            try {
                if (!freeGate.pass(MemoryBackend.DEFAULT_EXEC_TIMEOUT.toNanos())) {
                    throw MemoryBackend.violation("gate " + freeGate.name() + " never opened for " + this);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (storage == null) {
                throw MemoryBackend.violation("double free of " + this);
            }
            storage = null;
        }
        backend.released(this);
    }

    @Override
    public String toString() {
        return "'" + name + "' (" + size + " bytes on " + (core < 0 ? "host" : "core " + core) + ")";
    }
}
