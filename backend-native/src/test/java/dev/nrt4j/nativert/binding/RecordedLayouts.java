package dev.nrt4j.nativert.binding;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The struct layouts recorded in shared/research/nrt-api.md section 3.3 (x86-64 LP64, gcc, from the
 * SDK 2.28 headers), typed in by hand from that table: every struct's size and every member's offset.
 */
final class RecordedLayouts {
    /** One struct: its C name, sizeof, and member offsets in declaration order. */
    record Struct(String name, long size, Map<String, Long> offsets) {}

    private RecordedLayouts() {}

    private static Struct s(String name, long size, Object... memberOffsets) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < memberOffsets.length; i += 2) {
            m.put((String) memberOffsets[i], ((Number) memberOffsets[i + 1]).longValue());
        }
        return new Struct(name, size, m);
    }

    static final List<Struct> ALL = List.of(
            s("nrt_tensor_info_t", 296, "name", 0, "usage", 256, "size", 264, "dtype", 272, "shape", 280, "ndim", 288),
            s("nrt_tensor_info_array_t", 8, "tensor_count", 0, "tensor_array", 8),
            s(
                    "nrt_version_t",
                    224,
                    "rt_major",
                    0,
                    "rt_minor",
                    8,
                    "rt_patch",
                    16,
                    "rt_maintenance",
                    24,
                    "rt_detail",
                    32,
                    "git_hash",
                    160),
            s("nrt_instance_info_t", 32, "family", 0, "size", 4, "arch_name", 8, "device_revision", 24),
            s("nrt_tensor_batch_op_t", 24, "offset", 0, "size", 8, "buffer", 16),
            s("nrt_tensor_batch_t", 24, "tensor", 0, "ops", 8, "num_ops", 16),
            s("nrt_tensor_device_allocation_info_t", 24, "physical_address", 0, "size", 8, "hbm_index", 16),
            s("nrt_vnc_memory_stats_t", 16, "bytes_used", 0, "bytes_limit", 8),
            s("nrt_model_info_t", 4, "vnc", 0),
            s(
                    "nrt_cc_comm_t",
                    32,
                    "replica_group",
                    0,
                    "rank",
                    8,
                    "rank_n",
                    12,
                    "ctx_device_id",
                    16,
                    "ctx_device_count",
                    20,
                    "vnc",
                    24),
            s("nrt_tensor_list_t", 16, "tensors", 0, "num_tensors", 8),
            s("nrt_ucode_img", 16, "bin", 0, "size", 8),
            s("nrt_ucode_info", 32, "iram", 0, "dram", 16),
            s("nrta_error_t", 16, "seq_id", 0, "error_code", 8),
            s("ndebug_stream_event_header_t", 64, "data_size", 0, "type", 8, "reserved", 12),
            // prefix[512], then logical_nc_id, pipe, tensor_dtype[16], tensor_shape[8], tensor_data_size,
            // reserved0[416]:
            // 1024 bytes before the flexible tensor_data[].
            s(
                    "ndebug_stream_payload_debug_tensor_read_t",
                    1024,
                    "prefix",
                    0,
                    "logical_nc_id",
                    512,
                    "pipe",
                    516,
                    "tensor_dtype",
                    520,
                    "tensor_shape",
                    536,
                    "tensor_data_size",
                    600,
                    "reserved0",
                    608,
                    "tensor_data",
                    1024));
}
