package dev.nrt4j.nativert.binding;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * libnrt's structs (nrt-api.md section 3.3) as FFM {@link StructLayout}s, written out member by
 * member with explicit padding as jextract would generate them for x86-64 LP64. The binding reads
 * struct memory through these layouts' offsets; the layout test holds them to the recorded ones.
 */
final class FfmLayouts {
    static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    static final AddressLayout C_POINTER = ValueLayout.ADDRESS;

    private FfmLayouts() {}

    private static MemoryLayout chars(long n, String name) {
        return sequenceLayout(n, ValueLayout.JAVA_BYTE).withName(name);
    }

    static final StructLayout TENSOR_INFO = structLayout(
                    chars(256, "name"),
                    C_INT.withName("usage"),
                    paddingLayout(4),
                    C_LONG.withName("size"),
                    C_INT.withName("dtype"),
                    paddingLayout(4),
                    C_POINTER.withName("shape"),
                    C_INT.withName("ndim"),
                    paddingLayout(4))
            .withName("nrt_tensor_info_t");

    /** The fixed part; {@code tensor_array[]} (flexible) follows at offset 8. */
    static final StructLayout TENSOR_INFO_ARRAY =
            structLayout(C_LONG.withName("tensor_count")).withName("nrt_tensor_info_array_t");

    static final StructLayout VERSION = structLayout(
                    C_LONG.withName("rt_major"),
                    C_LONG.withName("rt_minor"),
                    C_LONG.withName("rt_patch"),
                    C_LONG.withName("rt_maintenance"),
                    chars(128, "rt_detail"),
                    chars(64, "git_hash"))
            .withName("nrt_version_t");

    static final StructLayout INSTANCE_INFO = structLayout(
                    C_INT.withName("family"),
                    C_INT.withName("size"),
                    chars(16, "arch_name"),
                    chars(8, "device_revision"))
            .withName("nrt_instance_info_t");

    static final StructLayout BATCH_OP = structLayout(
                    C_LONG.withName("offset"), C_LONG.withName("size"), C_POINTER.withName("buffer"))
            .withName("nrt_tensor_batch_op_t");

    static final StructLayout BATCH = structLayout(
                    C_POINTER.withName("tensor"),
                    C_POINTER.withName("ops"),
                    C_INT.withName("num_ops"),
                    paddingLayout(4))
            .withName("nrt_tensor_batch_t");

    static final StructLayout DEVICE_ALLOCATION_INFO = structLayout(
                    C_LONG.withName("physical_address"),
                    C_LONG.withName("size"),
                    C_INT.withName("hbm_index"),
                    paddingLayout(4))
            .withName("nrt_tensor_device_allocation_info_t");

    static final StructLayout VNC_MEMORY_STATS = structLayout(
                    C_LONG.withName("bytes_used"), C_LONG.withName("bytes_limit"))
            .withName("nrt_vnc_memory_stats_t");

    static final StructLayout MODEL_INFO = structLayout(C_INT.withName("vnc")).withName("nrt_model_info_t");

    static final StructLayout CC_COMM = structLayout(
                    C_POINTER.withName("replica_group"),
                    C_INT.withName("rank"),
                    C_INT.withName("rank_n"),
                    C_INT.withName("ctx_device_id"),
                    C_INT.withName("ctx_device_count"),
                    C_INT.withName("vnc"),
                    paddingLayout(4))
            .withName("nrt_cc_comm_t");

    static final StructLayout TENSOR_LIST = structLayout(C_POINTER.withName("tensors"), C_LONG.withName("num_tensors"))
            .withName("nrt_tensor_list_t");

    static final StructLayout UCODE_IMG =
            structLayout(C_POINTER.withName("bin"), C_LONG.withName("size")).withName("nrt_ucode_img");

    static final StructLayout UCODE_INFO =
            structLayout(UCODE_IMG.withName("iram"), UCODE_IMG.withName("dram")).withName("nrt_ucode_info");

    static final StructLayout ASYNC_ERROR = structLayout(C_LONG.withName("seq_id"), C_LONG.withName("error_code"))
            .withName("nrta_error_t");

    static final StructLayout DEBUG_EVENT_HEADER = structLayout(
                    C_LONG.withName("data_size"), C_INT.withName("type"), chars(52, "reserved"))
            .withName("ndebug_stream_event_header_t");

    /** The fixed part; {@code tensor_data[]} (flexible) follows at offset 1024. */
    static final StructLayout DEBUG_TENSOR_READ = structLayout(
                    chars(512, "prefix"),
                    C_INT.withName("logical_nc_id"),
                    C_INT.withName("pipe"),
                    chars(16, "tensor_dtype"),
                    sequenceLayout(8, C_LONG).withName("tensor_shape"),
                    C_LONG.withName("tensor_data_size"),
                    chars(416, "reserved0"))
            .withName("ndebug_stream_payload_debug_tensor_read_t");

    static final Map<String, StructLayout> ALL = new LinkedHashMap<>();

    static {
        for (StructLayout l : new StructLayout[] {
            TENSOR_INFO,
            TENSOR_INFO_ARRAY,
            VERSION,
            INSTANCE_INFO,
            BATCH_OP,
            BATCH,
            DEVICE_ALLOCATION_INFO,
            VNC_MEMORY_STATS,
            MODEL_INFO,
            CC_COMM,
            TENSOR_LIST,
            UCODE_IMG,
            UCODE_INFO,
            ASYNC_ERROR,
            DEBUG_EVENT_HEADER,
            DEBUG_TENSOR_READ
        }) {
            ALL.put(l.name().orElseThrow(), l);
        }
    }

    static StructLayout layout(String struct) {
        StructLayout l = ALL.get(struct);
        if (l == null) {
            throw new IllegalArgumentException("no such struct in nrt-api.md section 3.3: " + struct);
        }
        return l;
    }

    static long size(String struct) {
        return layout(struct).byteSize();
    }

    static long offset(String struct, String field) {
        // Flexible array members begin where the fixed part ends (its size, already aligned to 8).
        if (struct.equals("nrt_tensor_info_array_t") && field.equals("tensor_array")
                || struct.equals("ndebug_stream_payload_debug_tensor_read_t") && field.equals("tensor_data")) {
            return size(struct);
        }
        return layout(struct).byteOffset(groupElement(field));
    }

    static final long INFO_USAGE = offset("nrt_tensor_info_t", "usage");
    static final long INFO_SIZE_FIELD = offset("nrt_tensor_info_t", "size");
    static final long INFO_DTYPE = offset("nrt_tensor_info_t", "dtype");
    static final long INFO_SHAPE = offset("nrt_tensor_info_t", "shape");
    static final long INFO_NDIM = offset("nrt_tensor_info_t", "ndim");
    static final long INFO_ENTRIES = offset("nrt_tensor_info_array_t", "tensor_array");
}
