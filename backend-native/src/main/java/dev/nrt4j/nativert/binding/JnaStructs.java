package dev.nrt4j.nativert.binding;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * libnrt's structs (nrt-api.md section 3.3) as JNA {@link Structure}s, so that JNA computes their
 * offsets and sizes with the platform's C alignment rules; the JNA binding reads and writes struct
 * memory at these computed offsets, and the layout test holds them to the recorded ones.
 */
final class JnaStructs {
    private JnaStructs() {}

    /** Base: exposes JNA's computed offsets. */
    abstract static class Layout extends Structure {
        long offsetOf(String field) {
            return fieldOffset(field);
        }
    }

    @Structure.FieldOrder({"name", "usage", "size", "dtype", "shape", "ndim"})
    public static final class TensorInfo extends Layout {
        public byte[] name = new byte[256];
        public int usage;
        public long size;
        public int dtype;
        public Pointer shape;
        public int ndim;
    }

    /** Only the fixed part: the flexible {@code tensor_array[]} starts at its (8-byte aligned) end. */
    @Structure.FieldOrder({"tensor_count"})
    public static final class TensorInfoArray extends Layout {
        public long tensor_count;
    }

    @Structure.FieldOrder({"rt_major", "rt_minor", "rt_patch", "rt_maintenance", "rt_detail", "git_hash"})
    public static final class Version extends Layout {
        public long rt_major;
        public long rt_minor;
        public long rt_patch;
        public long rt_maintenance;
        public byte[] rt_detail = new byte[128];
        public byte[] git_hash = new byte[64];
    }

    @Structure.FieldOrder({"family", "size", "arch_name", "device_revision"})
    public static final class Instance extends Layout {
        public int family;
        public int size;
        public byte[] arch_name = new byte[16];
        public byte[] device_revision = new byte[8];
    }

    @Structure.FieldOrder({"offset", "size", "buffer"})
    public static final class BatchOp extends Layout {
        public long offset;
        public long size;
        public Pointer buffer;
    }

    @Structure.FieldOrder({"tensor", "ops", "num_ops"})
    public static final class Batch extends Layout {
        public Pointer tensor;
        public Pointer ops;
        public int num_ops;
    }

    @Structure.FieldOrder({"physical_address", "size", "hbm_index"})
    public static final class DeviceAllocationInfo extends Layout {
        public long physical_address;
        public long size;
        public int hbm_index;
    }

    @Structure.FieldOrder({"bytes_used", "bytes_limit"})
    public static final class VncMemoryStats extends Layout {
        public long bytes_used;
        public long bytes_limit;
    }

    @Structure.FieldOrder({"vnc"})
    public static final class ModelInfo extends Layout {
        public int vnc;
    }

    @Structure.FieldOrder({"replica_group", "rank", "rank_n", "ctx_device_id", "ctx_device_count", "vnc"})
    public static final class CcComm extends Layout {
        public Pointer replica_group;
        public int rank;
        public int rank_n;
        public int ctx_device_id;
        public int ctx_device_count;
        public int vnc;
    }

    @Structure.FieldOrder({"tensors", "num_tensors"})
    public static final class TensorList extends Layout {
        public Pointer tensors;
        public long num_tensors;
    }

    @Structure.FieldOrder({"bin", "size"})
    public static final class UcodeImg extends Layout {
        public Pointer bin;
        public long size;
    }

    @Structure.FieldOrder({"iram", "dram"})
    public static final class UcodeInfo extends Layout {
        public UcodeImg iram;
        public UcodeImg dram;
    }

    @Structure.FieldOrder({"seq_id", "error_code"})
    public static final class AsyncError extends Layout {
        public long seq_id;
        public long error_code;
    }

    @Structure.FieldOrder({"data_size", "type", "reserved"})
    public static final class DebugEventHeader extends Layout {
        public long data_size;
        public int type;
        public byte[] reserved = new byte[52];
    }

    /** Only the fixed part: the flexible {@code tensor_data[]} starts at its end. */
    @Structure.FieldOrder({
        "prefix",
        "logical_nc_id",
        "pipe",
        "tensor_dtype",
        "tensor_shape",
        "tensor_data_size",
        "reserved0"
    })
    public static final class DebugTensorRead extends Layout {
        public byte[] prefix = new byte[512];
        public int logical_nc_id;
        public int pipe;
        public byte[] tensor_dtype = new byte[16];
        public long[] tensor_shape = new long[8];
        public long tensor_data_size;
        public byte[] reserved0 = new byte[416];
    }

    /** Every struct by its C name. */
    static final Map<String, Layout> ALL = new LinkedHashMap<>();

    static {
        ALL.put("nrt_tensor_info_t", new TensorInfo());
        ALL.put("nrt_tensor_info_array_t", new TensorInfoArray());
        ALL.put("nrt_version_t", new Version());
        ALL.put("nrt_instance_info_t", new Instance());
        ALL.put("nrt_tensor_batch_op_t", new BatchOp());
        ALL.put("nrt_tensor_batch_t", new Batch());
        ALL.put("nrt_tensor_device_allocation_info_t", new DeviceAllocationInfo());
        ALL.put("nrt_vnc_memory_stats_t", new VncMemoryStats());
        ALL.put("nrt_model_info_t", new ModelInfo());
        ALL.put("nrt_cc_comm_t", new CcComm());
        ALL.put("nrt_tensor_list_t", new TensorList());
        ALL.put("nrt_ucode_img", new UcodeImg());
        ALL.put("nrt_ucode_info", new UcodeInfo());
        ALL.put("nrta_error_t", new AsyncError());
        ALL.put("ndebug_stream_event_header_t", new DebugEventHeader());
        ALL.put("ndebug_stream_payload_debug_tensor_read_t", new DebugTensorRead());
    }

    static long size(String struct) {
        return layout(struct).size();
    }

    static long offset(String struct, String field) {
        // The flexible array members JNA cannot declare begin right after the fixed part.
        if (struct.equals("nrt_tensor_info_array_t") && field.equals("tensor_array")) {
            return size(struct);
        }
        if (struct.equals("ndebug_stream_payload_debug_tensor_read_t") && field.equals("tensor_data")) {
            return size(struct);
        }
        return layout(struct).offsetOf(field);
    }

    private static Layout layout(String struct) {
        Layout l = ALL.get(struct);
        if (l == null) {
            throw new IllegalArgumentException("no such struct in nrt-api.md section 3.3: " + struct);
        }
        return l;
    }
}
