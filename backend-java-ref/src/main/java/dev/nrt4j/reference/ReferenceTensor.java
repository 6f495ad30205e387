package dev.nrt4j.reference;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.reference.interpreter.Array;
import dev.nrt4j.reference.interpreter.MemoryGuard;
import dev.nrt4j.reference.sysfs.CoreStats;
import dev.nrt4j.spi.TensorHandle;
import java.lang.ref.SoftReference;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tensor of the reference device: sparse pages of host memory standing in for HBM, with its size
 * reserved on the HBM stack of its core (none for host tensors).
 *
 * <p>Executions read their inputs as interpreter values ({@link #readArray}); the last one decoded is kept
 * while the bytes stay unchanged, so weights written once are not copied again on every execution (for an
 * MLP that copy cost a third of the run). It is kept softly and dropped when the interpreter finds the heap
 * short ({@link MemoryGuard#releaseWhenShort}), so it never costs a value its room. Thread-safe.
 */
final class ReferenceTensor implements TensorHandle {
    private static final int COPY_CHUNK = SparseMemory.PAGE_SIZE;
    /** The tensors holding a decoded value, weakly, so a short heap can take every one back. */
    private static final Set<ReferenceTensor> DECODED =
            Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    static {
        MemoryGuard.releaseWhenShort(ReferenceTensor::dropDecoded);
    }

    /**
     * Counts changes to the bytes, two per change (odd while one runs), so a decoded value is only reused when
     * no change began or ended since it was read.
     */
    private final AtomicLong changes = new AtomicLong();
    /** The bytes last read as a value, with the change count they were read at; null when there is none. */
    private volatile Decoded decoded;

    private final SparseMemory memory;
    private final HbmStack stack;
    /** The runtime-wide core index, or -1 on the host; copies between different cores are refused as libnrt does. */
    private final int core;
    /** Where the allocation shows in sysfs: the core's device memory, or for a host tensor its host memory. */
    private final CoreStats stats;

    ReferenceTensor(long size, HbmStack stack, int core, CoreStats stats) {
        this.memory = new SparseMemory(size);
        this.stack = stack;
        this.core = core;
        this.stats = stats;
        if (core < 0) {
            stats.hostTensorAllocated(size);
        } else {
            stats.tensorAllocated(size);
        }
    }

    @Override
    public long size() {
        return memory.size();
    }

    int core() {
        return core;
    }

    @Override
    public void read(long offset, ByteBuffer dst) {
        memory.read(offset, dst);
    }

    @Override
    public void write(long offset, ByteBuffer src) {
        beginChange();
        try {
            memory.write(offset, src);
        } finally {
            endChange();
        }
    }

    /**
     * The first bytes as an interpreter value of this type and shape: the value an earlier call returned when the
     * bytes have not changed since (values are immutable, so it can be shared), else a fresh copy.
     *
     * @throws IllegalArgumentException if the value needs more bytes than the tensor has
     */
    Array readArray(ElementType type, long[] dims) {
        long before = changes.get();
        Decoded d = decoded;
        if (d != null && d.changes == before && (before & 1) == 0 && d.type == type && Arrays.equals(d.dims, dims)) {
            Array kept = d.value.get();
            if (kept != null) {
                return kept;
            }
        }
        Array a = memory.readArray(type, dims);
        // Kept only if no change ran while it was read (a torn read is still returned, as a plain read would be).
        if ((before & 1) == 0 && changes.get() == before) {
            decoded = new Decoded(before, type, dims.clone(), a);
            DECODED.add(this);
        }
        return a;
    }

    private void beginChange() {
        decoded = null;
        changes.incrementAndGet();
    }

    private void endChange() {
        changes.incrementAndGet();
    }

    private static void dropDecoded() {
        synchronized (DECODED) {
            for (ReferenceTensor t : DECODED) {
                t.decoded = null;
            }
            DECODED.clear();
        }
    }

    /** A decoded value and what it was decoded from. */
    private static final class Decoded {
        final long changes;
        final ElementType type;
        final long[] dims;
        final SoftReference<Array> value;

        Decoded(long changes, ElementType type, long[] dims, Array value) {
            this.changes = changes;
            this.type = type;
            this.dims = dims;
            this.value = new SoftReference<>(value);
        }
    }

    @Override
    public void copyTo(long offset, TensorHandle target, long targetOffset, long length) {
        ReferenceTensor to = (ReferenceTensor) target;
        if (core >= 0 && to.core >= 0 && core != to.core) {
            throw new NeuronException(
                    Status.INVALID,
                    "copy tensor",
                    "device tensors on cores " + core + " and " + to.core + " cannot be copied directly;"
                            + " read the source into host memory and write it to the target");
        }
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(COPY_CHUNK, Math.max(length, 1)));
        // Within one tensor, a forward-overlapping copy must go from the end, as memmove does.
        boolean backwards = to == this && targetOffset > offset;
        long done = 0;
        to.beginChange();
        try {
            while (done < length) {
                int n = (int) Math.min(chunk.capacity(), length - done);
                long at = backwards ? length - done - n : done;
                chunk.clear().limit(n);
                memory.read(offset + at, chunk);
                chunk.flip();
                to.memory.write(targetOffset + at, chunk);
                done += n;
            }
        } finally {
            to.endChange();
        }
    }

    @Override
    public void fill(long offset, long length, byte value) {
        beginChange();
        try {
            memory.fill(offset, length, value);
        } finally {
            endChange();
        }
    }

    @Override
    public void free() {
        beginChange();
        memory.clear();
        endChange();
        DECODED.remove(this);
        if (stack != null) {
            stack.release(memory.size());
        }
        if (core < 0) {
            stats.hostTensorFreed(memory.size());
        } else {
            stats.tensorFreed(memory.size());
        }
    }
}
