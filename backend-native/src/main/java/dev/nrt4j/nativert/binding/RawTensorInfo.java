package dev.nrt4j.nativert.binding;

import java.util.Arrays;

/**
 * One {@code nrt_tensor_info_t} entry, copied out of the runtime's array before it was freed: the
 * dtype is the raw {@code nrt_dtype_t} number as the runtime reported it (its meaning depends on the
 * runtime version), and {@code size} is the byte size execution checks. Immutable.
 *
 * @param name {@code name}
 * @param usage {@code usage}: {@link LibNrt#USAGE_INPUT} or {@link LibNrt#USAGE_OUTPUT}
 * @param size {@code size} in bytes
 * @param dtype raw {@code dtype}
 * @param shape the {@code ndim} dimensions
 */
public record RawTensorInfo(String name, int usage, long size, int dtype, long[] shape) {
    /** Copies the shape. */
    public RawTensorInfo {
        shape = shape.clone();
    }

    /** A copy of the dimensions. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawTensorInfo r
                && name.equals(r.name)
                && usage == r.usage
                && size == r.size
                && dtype == r.dtype
                && Arrays.equals(shape, r.shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + (usage == LibNrt.USAGE_INPUT ? " (input" : " (output") + ", dtype " + dtype + ", shape "
                + Arrays.toString(shape) + ", " + size + " bytes)";
    }
}
