/*
 * libnrt's public declarations as the double uses them: NRT_STATUS, the placement, framework and usage
 * enums, nrt_dtype_t, and the structs nrt-api.md section 3.3 records (x86-64 LP64), written from
 * shared/research/nrt-api.md (sections 3.1-3.3), not copied from AWS's headers.
 *
 * Besides the double, the ABI drift test (AbiDriftIT) writes a header directory nrt/nrt.h,
 * nrt/nrt_status.h, nrt/nrt_experimental.h and nrt/nrt_version.h from this file to prove that its
 * layout probe works without real libnrt headers. Keep it free of anything but declarations.
 */
#ifndef NRT4J_DOUBLE_DECLS_H
#define NRT4J_DOUBLE_DECLS_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    NRT_SUCCESS = 0, NRT_FAILURE = 1, NRT_INVALID = 2, NRT_INVALID_HANDLE = 3, NRT_RESOURCE = 4,
    NRT_TIMEOUT = 5, NRT_HW_ERROR = 6, NRT_QUEUE_FULL = 7, NRT_LOAD_NOT_ENOUGH_NC = 9,
    NRT_UNSUPPORTED_NEFF_VERSION = 10, NRT_FAIL_HOST_MEM_ALLOC = 11, NRT_UNINITIALIZED = 13,
    NRT_CLOSED = 14, NRT_QUEUE_EMPTY = 15, NRT_EXEC_UNIT_UNRECOVERABLE = 101,
    NRT_EXEC_BAD_INPUT = 1002, NRT_EXEC_COMPLETED_WITH_NUM_ERR = 1003,
    NRT_EXEC_COMPLETED_WITH_ERR = 1004, NRT_EXEC_NC_BUSY = 1005, NRT_EXEC_OOB = 1006,
    NRT_COLL_PENDING = 1100, NRT_EXEC_HW_ERR_COLLECTIVES = 1200, NRT_EXEC_HW_ERR_HBM_UE = 1201,
    NRT_EXEC_HW_ERR_NC_UE = 1202, NRT_EXEC_HW_ERR_DMA_ABORT = 1203, NRT_EXEC_SW_NQ_OVERFLOW = 1204,
    NRT_EXEC_HW_ERR_REPAIRABLE_HBM_UE = 1205, NRT_NETWORK_PROXY_FAILURE = 1206
} NRT_STATUS;

typedef enum {
    NRT_TENSOR_PLACEMENT_DEVICE = 0, NRT_TENSOR_PLACEMENT_HOST = 1, NRT_TENSOR_PLACEMENT_VIRTUAL = 2
} nrt_tensor_placement_t;
typedef enum {
    NRT_FRAMEWORK_TYPE_INVALID = 0, NRT_FRAMEWORK_TYPE_NO_FW = 1, NRT_FRAMEWORK_TYPE_TENSORFLOW = 2,
    NRT_FRAMEWORK_TYPE_PYTORCH = 3, NRT_FRAMEWORK_TYPE_MXNET = 4, NRT_FRAMEWORK_TYPE_PRECHECK = 5
} nrt_framework_type_t;
typedef enum { NRT_TENSOR_USAGE_INPUT = 0, NRT_TENSOR_USAGE_OUTPUT = 1 } nrt_tensor_usage_t;
typedef int nrt_dtype_t;

#define NRT_TENSOR_NAME_MAX 256
#define RT_VERSION_DETAIL_LEN 128
#define GIT_HASH_LEN 64

typedef struct nrt_tensor_info {
    char name[NRT_TENSOR_NAME_MAX];
    nrt_tensor_usage_t usage;
    size_t size;
    nrt_dtype_t dtype;
    uint32_t *shape;
    uint32_t ndim;
} nrt_tensor_info_t;

typedef struct nrt_tensor_info_array {
    uint64_t tensor_count;
    nrt_tensor_info_t tensor_array[];
} nrt_tensor_info_array_t;

typedef struct nrt_version {
    uint64_t rt_major, rt_minor, rt_patch, rt_maintenance;
    char rt_detail[RT_VERSION_DETAIL_LEN];
    char git_hash[GIT_HASH_LEN];
} nrt_version_t;

typedef struct nrt_instance_info {
    uint32_t family;
    uint32_t size;
    char arch_name[16];
    char device_revision[8];
} nrt_instance_info_t;

typedef struct nrt_vnc_memory_stats { size_t bytes_used; size_t bytes_limit; } nrt_vnc_memory_stats_t;
typedef struct nrt_model_info { uint32_t vnc; } nrt_model_info_t;

#endif
