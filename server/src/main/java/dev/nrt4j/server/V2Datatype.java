package dev.nrt4j.server;

import dev.nrt4j.DType;
import java.util.Optional;

/**
 * The tensor datatypes of the Open Inference Protocol and the nrt4j element type each one is. BYTES
 * (strings) has none: a NeuronCore model takes numbers. Immutable.
 */
enum V2Datatype {
    BOOL(DType.PRED),
    UINT8(DType.UINT8),
    UINT16(DType.UINT16),
    UINT32(DType.UINT32),
    UINT64(DType.UINT64),
    INT8(DType.INT8),
    INT16(DType.INT16),
    INT32(DType.INT32),
    INT64(DType.INT64),
    FP16(DType.FLOAT16),
    FP32(DType.FLOAT32),
    FP64(DType.FLOAT64),
    BF16(DType.BFLOAT16);

    private final DType dtype;

    V2Datatype(DType dtype) {
        this.dtype = dtype;
    }

    DType dtype() {
        return dtype;
    }

    /** The protocol's name for a request's {@code datatype} string, exact (the protocol's names are upper case). */
    static Optional<V2Datatype> named(String name) {
        for (V2Datatype t : values()) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The protocol's name of a model's element type; types it has no name for keep their HLO name. */
    static String nameOf(DType dtype) {
        for (V2Datatype t : values()) {
            if (t.dtype == dtype) {
                return t.name();
            }
        }
        return dtype.hloName();
    }
}
