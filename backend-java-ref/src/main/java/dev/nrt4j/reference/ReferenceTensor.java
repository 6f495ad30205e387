package dev.nrt4j.reference;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.reference.sysfs.CoreStats;
import dev.nrt4j.spi.TensorHandle;
import java.nio.ByteBuffer;

/**
 * A tensor of the reference device: sparse pages of host memory standing in for HBM, with its size
 * reserved on the HBM stack of its core (none for host tensors).
 */
final class ReferenceTensor implements TensorHandle {
    private static final int COPY_CHUNK = SparseMemory.PAGE_SIZE;

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
        memory.write(offset, src);
    }

    @Override
    public void copyTo(long offset, TensorHandle target, long targetOffset, long length) {
        ReferenceTensor to = (ReferenceTensor) target;
        if (core >= 0 && to.core >= 0 && core != to.core) {
            throw new NeuronException(Status.INVALID, "copy tensor",
                    "device tensors on cores " + core + " and " + to.core + " cannot be copied directly;"
                            + " read the source into host memory and write it to the target");
        }
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(COPY_CHUNK, Math.max(length, 1)));
        // Within one tensor, a forward-overlapping copy must go from the end, as memmove does.
        boolean backwards = to == this && targetOffset > offset;
        long done = 0;
        while (done < length) {
            int n = (int) Math.min(chunk.capacity(), length - done);
            long at = backwards ? length - done - n : done;
            chunk.clear().limit(n);
            memory.read(offset + at, chunk);
            chunk.flip();
            to.memory.write(targetOffset + at, chunk);
            done += n;
        }
    }

    @Override
    public void fill(long offset, long length, byte value) {
        memory.fill(offset, length, value);
    }

    @Override
    public void free() {
        memory.clear();
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
