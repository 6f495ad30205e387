/*
 * A test double of libnrt (the AWS Neuron runtime library) for nrt4j's native backend tests.
 *
 * It exports libnrt's functions with their exact names, signatures, enum values and struct
 * layouts (shared/research/nrt-api.md), and is faithful about everything a binding can get
 * wrong: the init/close state gates, visible cores taken from the environment at nrt_init,
 * handle validity, bounds, tensor-set semantics, who owns returned memory, the tensor-info array
 * layout and the status codes. It does no real math beyond a few tiny programs that test NEFFs
 * name in a member "nrt4j.program" (copy, add, matmul in f32 and bf16).
 *
 * Test-only knobs (environment, read when used):
 *   NRT4J_DOUBLE_RT_VERSION   runtime version reported by nrt_get_version, default 2.30.50.0;
 *                             below 2.30 the tensor info uses the old sequential dtype numbering
 *   NRT4J_DOUBLE_TOTAL_CORES  cores of the "instance", default 2 (a trn1.2xlarge)
 *   NRT4J_DOUBLE_INSTANCE_SIZE nrt_instance_info_t size code of the trn1 "instance", default 1 (2xlarge; 6 is 32xlarge)
 *   NRT4J_DOUBLE_CORE_BYTES   device memory per core, default 1 GiB
 * Built with -DNRT_DOUBLE_OLD_RUNTIME it leaves out the functions newer runtimes added (status
 * strings, instance info, the vnc-named counts, model info, memory stats, allocate_empty,
 * attach_buffer, output completion), as an older libnrt would.
 * Test-only functions, prefixed nrt4j_double_: live object counts and misuse counts, so tests can
 * prove that the binding frees everything and never passes a dead handle.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <zlib.h>

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
typedef enum { NRT_FRAMEWORK_TYPE_INVALID = 0, NRT_FRAMEWORK_TYPE_NO_FW = 1 } nrt_framework_type_t;
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

/* The layouts nrt-api.md section 3.3 records; the build fails if the compiler disagrees. */
_Static_assert(sizeof(nrt_tensor_info_t) == 296, "nrt_tensor_info_t size");
_Static_assert(offsetof(nrt_tensor_info_t, usage) == 256, "usage");
_Static_assert(offsetof(nrt_tensor_info_t, size) == 264, "size");
_Static_assert(offsetof(nrt_tensor_info_t, dtype) == 272, "dtype");
_Static_assert(offsetof(nrt_tensor_info_t, shape) == 280, "shape");
_Static_assert(offsetof(nrt_tensor_info_t, ndim) == 288, "ndim");
_Static_assert(offsetof(nrt_tensor_info_array_t, tensor_array) == 8, "tensor_array");
_Static_assert(sizeof(nrt_version_t) == 224, "nrt_version_t");
_Static_assert(offsetof(nrt_version_t, git_hash) == 160, "git_hash");
_Static_assert(sizeof(nrt_instance_info_t) == 32, "nrt_instance_info_t");
_Static_assert(offsetof(nrt_instance_info_t, device_revision) == 24, "device_revision");
_Static_assert(sizeof(nrt_vnc_memory_stats_t) == 16, "nrt_vnc_memory_stats_t");

#define MAX_DIMS 8
#define MAX_IO 16
#define MAX_CORES 64
#define NEFF_HEADER 1024
#define MAX_PAYLOAD (64u << 20)

enum kind { K_TENSOR, K_SET, K_MODEL, K_INFO, K_KINDS };
enum state { UNINITIALIZED, INITIALIZED, CLOSED };
enum elem { E_F32, E_BF16, E_F16, E_I32, E_I8, E_U8, E_I64, E_PACKED, E_NONE };
enum op { OP_COPY, OP_ADD, OP_MATMUL };

struct nrt_tensor {
    nrt_tensor_placement_t placement;
    int vnc;
    size_t size;
    unsigned char *data;
    bool owns_data;
    uint64_t completions;
    char name[NRT_TENSOR_NAME_MAX];
};

struct entry { char name[NRT_TENSOR_NAME_MAX]; struct nrt_tensor *tensor; };
struct tensor_set { int count, capacity; struct entry *entries; };

struct io {
    char name[NRT_TENSOR_NAME_MAX];
    int usage;
    size_t size;
    enum elem elem;
    uint32_t dims[MAX_DIMS];
    uint32_t ndim;
};

struct nrt_model {
    int vnc, cores;
    enum op op;
    int count;
    struct io io[MAX_IO];
};

typedef struct nrt_model nrt_model_t;
typedef struct nrt_tensor nrt_tensor_t;
typedef void nrt_tensor_set_t;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static enum state state = UNINITIALIZED;
static int visible_first, visible_count;
static size_t used_bytes[MAX_CORES];
static void **live[K_KINDS];
static int live_count[K_KINDS], live_capacity[K_KINDS];
static int misuse_count;

/* ---- bookkeeping --------------------------------------------------------------------------- */

static void track(enum kind k, void *p) {
    if (live_count[k] == live_capacity[k]) {
        live_capacity[k] = live_capacity[k] ? live_capacity[k] * 2 : 64;
        live[k] = realloc(live[k], sizeof(void *) * (size_t) live_capacity[k]);
    }
    live[k][live_count[k]++] = p;
}

static bool is_live(enum kind k, const void *p) {
    for (int i = live_count[k] - 1; i >= 0; i--) {
        if (live[k][i] == p) return true;
    }
    return false;
}

static void untrack(enum kind k, const void *p) {
    for (int i = 0; i < live_count[k]; i++) {
        if (live[k][i] == p) {
            live[k][i] = live[k][--live_count[k]];
            return;
        }
    }
}

/* A dead or foreign pointer is what crashes a real runtime; here it is counted so tests see it. */
static bool check_live(enum kind k, const void *p) {
    if (p != NULL && is_live(k, p)) return true;
    misuse_count++;
    fprintf(stderr, "nrt-double: %s handle %p is not live\n",
            k == K_TENSOR ? "tensor" : k == K_SET ? "tensor set" : k == K_MODEL ? "model" : "info", p);
    return false;
}

static NRT_STATUS gate(void) {
    return state == INITIALIZED ? NRT_SUCCESS : state == CLOSED ? NRT_CLOSED : NRT_UNINITIALIZED;
}

static long env_long(const char *name, long fallback) {
    const char *v = getenv(name);
    if (v == NULL || *v == 0) return fallback;
    char *end;
    long parsed = strtol(v, &end, 10);
    return *end == 0 ? parsed : fallback;
}

static int total_cores(void) {
    long n = env_long("NRT4J_DOUBLE_TOTAL_CORES", 2);
    return n < 1 ? 1 : n > MAX_CORES ? MAX_CORES : (int) n;
}

static size_t core_bytes(void) {
    return (size_t) env_long("NRT4J_DOUBLE_CORE_BYTES", 1L << 30);
}

/* NEURON_RT_VISIBLE_CORES ("3", "0-3", "3-5,6": contiguous and increasing) wins over NEURON_RT_NUM_CORES. */
static NRT_STATUS select_cores(int *first, int *count) {
    int total = total_cores();
    const char *spec = getenv("NEURON_RT_VISIBLE_CORES");
    if (spec != NULL && *spec != 0) {
        int lo = -1, hi = -1;
        const char *p = spec;
        while (*p) {
            char *end;
            long a = strtol(p, &end, 10), b;
            if (end == p || a < 0) return NRT_INVALID;
            p = end;
            b = a;
            if (*p == '-') {
                p++;
                b = strtol(p, &end, 10);
                if (end == p || b < a) return NRT_INVALID;
                p = end;
            }
            if (lo < 0) lo = (int) a;
            else if (a != hi + 1) return NRT_INVALID;
            hi = (int) b;
            if (*p == ',') p++;
            else if (*p) return NRT_INVALID;
        }
        if (lo < 0) return NRT_INVALID;
        if (hi >= total) return NRT_RESOURCE;
        *first = lo;
        *count = hi - lo + 1;
        return NRT_SUCCESS;
    }
    long n = env_long("NEURON_RT_NUM_CORES", 0);
    if (n < 0) return NRT_INVALID;
    if (n > total) return NRT_RESOURCE;
    *first = 0;
    *count = n == 0 ? total : (int) n;
    return NRT_SUCCESS;
}

/* ---- status, version, lifecycle, topology ---------------------------------------------------- */

#ifndef NRT_DOUBLE_OLD_RUNTIME
const char *nrt_get_status_as_str(NRT_STATUS status) {
    switch (status) {
        case NRT_SUCCESS: return "Success";
        case NRT_FAILURE: return "Non specific failure";
        case NRT_INVALID: return "Invalid NEFF, bad instruction, bad DMA descriptor, input tensor name/size does not match the model, etc.";
        case NRT_INVALID_HANDLE: return "Invalid handle";
        case NRT_RESOURCE: return "Failed to allocate a resource for requested operation";
        case NRT_TIMEOUT: return "Operation timed out";
        case NRT_LOAD_NOT_ENOUGH_NC: return "The number of available NeuronCores is insufficient for the requested operation";
        case NRT_UNSUPPORTED_NEFF_VERSION: return "NEFF version unsupported";
        case NRT_UNINITIALIZED: return "Runtime is not initialized";
        case NRT_CLOSED: return "Runtime is closed";
        case NRT_EXEC_BAD_INPUT: return "Invalid input has been submitted to exec()";
        default: return "Unknown status";
    }
}
#endif

static bool version_at_least_2_30(void) {
    const char *v = getenv("NRT4J_DOUBLE_RT_VERSION");
    unsigned long major = 2, minor = 30;
    if (v != NULL && *v) sscanf(v, "%lu.%lu", &major, &minor);
    return major > 2 || (major == 2 && minor >= 30);
}

NRT_STATUS nrt_get_version(nrt_version_t *ver, size_t size) {
    if (ver == NULL) return NRT_INVALID;
    nrt_version_t v;
    memset(&v, 0, sizeof v);
    v.rt_major = 2; v.rt_minor = 30; v.rt_patch = 50; v.rt_maintenance = 0;
    const char *env = getenv("NRT4J_DOUBLE_RT_VERSION");
    if (env != NULL && *env) {
        unsigned long a = 0, b = 0, c = 0, d = 0;
        sscanf(env, "%lu.%lu.%lu.%lu", &a, &b, &c, &d);
        v.rt_major = a; v.rt_minor = b; v.rt_patch = c; v.rt_maintenance = d;
    }
    snprintf(v.rt_detail, sizeof v.rt_detail, "%lu.%lu.%lu.%lu-nrt4j-double", (unsigned long) v.rt_major,
             (unsigned long) v.rt_minor, (unsigned long) v.rt_patch, (unsigned long) v.rt_maintenance);
    snprintf(v.git_hash, sizeof v.git_hash, "0000000000000000000000000000000000000000");
    memcpy(ver, &v, size < sizeof v ? size : sizeof v);
    return NRT_SUCCESS;
}

NRT_STATUS nrt_init(nrt_framework_type_t framework, const char *fw_version, const char *fal_version) {
    (void) fw_version; (void) fal_version;
    if (framework == NRT_FRAMEWORK_TYPE_INVALID) return NRT_INVALID;
    pthread_mutex_lock(&lock);
    NRT_STATUS s = NRT_SUCCESS;
    if (state != INITIALIZED) {
        s = select_cores(&visible_first, &visible_count);
        if (s == NRT_SUCCESS) {
            state = INITIALIZED;
            memset(used_bytes, 0, sizeof used_bytes);
        }
    }
    pthread_mutex_unlock(&lock);
    return s;
}

void nrt_close(void) {
    pthread_mutex_lock(&lock);
    if (state == INITIALIZED) state = CLOSED;
    pthread_mutex_unlock(&lock);
}

#ifndef NRT_DOUBLE_OLD_RUNTIME
NRT_STATUS nrt_get_instance_info(nrt_instance_info_t *info, size_t instance_info_len) {
    if (info == NULL) return NRT_INVALID;
    nrt_instance_info_t i;
    memset(&i, 0, sizeof i);
    i.family = 2; /* NRT_INSTANCE_TRN1 */
    i.size = (uint32_t) env_long("NRT4J_DOUBLE_INSTANCE_SIZE", 1); /* NRT_INSTANCE_SIZE_2XL */
    snprintf(i.arch_name, sizeof i.arch_name, "trn1");
    snprintf(i.device_revision, sizeof i.device_revision, "v2");
    memcpy(info, &i, instance_info_len < sizeof i ? instance_info_len : sizeof i);
    return NRT_SUCCESS;
}
#endif

NRT_STATUS nrt_get_total_nc_count(uint32_t *vnc_count) {
    if (vnc_count == NULL) return NRT_INVALID;
    *vnc_count = (uint32_t) total_cores();
    return NRT_SUCCESS;
}

#ifndef NRT_DOUBLE_OLD_RUNTIME
NRT_STATUS nrt_get_total_vnc_count(uint32_t *vnc_count) {
    return nrt_get_total_nc_count(vnc_count);
}
#endif

NRT_STATUS nrt_get_visible_nc_count(uint32_t *vnc_count) {
    if (vnc_count == NULL) return NRT_INVALID;
    pthread_mutex_lock(&lock);
    int first, count;
    NRT_STATUS s = NRT_SUCCESS;
    if (state == INITIALIZED) {
        count = visible_count;
    } else {
        s = select_cores(&first, &count);
    }
    pthread_mutex_unlock(&lock);
    if (s == NRT_SUCCESS) *vnc_count = (uint32_t) count;
    return s;
}

#ifndef NRT_DOUBLE_OLD_RUNTIME
NRT_STATUS nrt_get_visible_vnc_count(uint32_t *vnc_count) {
    return nrt_get_visible_nc_count(vnc_count);
}
#endif

/* ---- NEFF parsing -------------------------------------------------------------------------- */

static uint64_t le64(const unsigned char *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

static unsigned char *inflate_payload(const unsigned char *in, size_t n, size_t *out_n) {
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return NULL;
    size_t cap = n * 4 + 4096, len = 0;
    unsigned char *out = malloc(cap);
    z.next_in = (unsigned char *) in;
    z.avail_in = (uInt) n;
    int r;
    do {
        if (len == cap) {
            if (cap >= MAX_PAYLOAD) { r = Z_DATA_ERROR; break; }
            cap *= 2;
            out = realloc(out, cap);
        }
        z.next_out = out + len;
        z.avail_out = (uInt) (cap - len);
        r = inflate(&z, Z_NO_FLUSH);
        len = cap - z.avail_out;
    } while (r == Z_OK);
    inflateEnd(&z);
    if (r != Z_STREAM_END) { free(out); return NULL; }
    *out_n = len;
    return out;
}

struct member { const char *name; const unsigned char *data; size_t size; };

/* Walks a tar archive; calls back for each regular file. Returns false on a malformed archive. */
static bool tar_find(const unsigned char *tar, size_t n, const char *wanted_suffix, bool prefix_sg,
                     struct member *found) {
    size_t at = 0;
    while (at + 512 <= n) {
        const unsigned char *h = tar + at;
        if (h[0] == 0) return false;
        unsigned sum = 0, stored;
        for (int i = 0; i < 512; i++) sum += (i >= 148 && i < 156) ? ' ' : h[i];
        if (sscanf((const char *) h + 148, "%o", &stored) != 1 || stored != sum) return false;
        char name[101];
        memcpy(name, h, 100);
        name[100] = 0;
        unsigned long long size;
        if (sscanf((const char *) h + 124, "%llo", &size) != 1) return false;
        const unsigned char *data = h + 512;
        if (at + 512 + size > n) return false;
        if (h[156] == '0' || h[156] == 0) {
            size_t nl = strlen(name), sl = strlen(wanted_suffix);
            bool match = prefix_sg
                    ? (nl == 4 + sl && name[0] == 's' && name[1] == 'g' && name[2] >= '0' && name[2] <= '9'
                       && name[3] >= '0' && name[3] <= '9' && strcmp(name + 4, wanted_suffix) == 0)
                    : strcmp(name, wanted_suffix) == 0;
            if (match) {
                found->name = (const char *) h;
                found->data = data;
                found->size = size;
                return true;
            }
        }
        at += 512 + ((size + 511) / 512) * 512;
    }
    return false;
}

/* Reads the var entries of def.json: {"var":{"input0":{"type":"input","var_id":0,"size":4},...}}. */
static int parse_def_json(const char *json, size_t n, struct io *io, int max) {
    char *text = strndup(json, n);
    char *p = strstr(text, "\"var\"");
    int count = 0;
    if (p == NULL) { free(text); return -1; }
    p = strchr(p, '{');
    while (p != NULL && count < max) {
        char *q = strchr(p + 1, '"');
        if (q == NULL) break;
        char *e = strchr(q + 1, '"');
        if (e == NULL) break;
        char *body = strchr(e, '{');
        char *close = body ? strchr(body, '}') : NULL;
        if (body == NULL || close == NULL) break;
        *close = 0;
        char *type = strstr(body, "\"type\":\"");
        char *size = strstr(body, "\"size\":");
        if (type != NULL && size != NULL) {
            type += 8;
            int usage = strncmp(type, "input\"", 6) == 0 ? 0 : strncmp(type, "output\"", 7) == 0 ? 1 : -1;
            if (usage >= 0) {
                size_t len = (size_t) (e - q - 1);
                if (len >= NRT_TENSOR_NAME_MAX) len = NRT_TENSOR_NAME_MAX - 1;
                memset(&io[count], 0, sizeof io[count]);
                memcpy(io[count].name, q + 1, len);
                io[count].usage = usage;
                io[count].size = (size_t) strtoull(size + 7, NULL, 10);
                io[count].elem = E_NONE;
                count++;
            }
        }
        p = close + 1;
        if (*p == '}' || strchr(p, '"') == NULL) break;
    }
    free(text);
    return count;
}

static enum elem elem_of(const char *s) {
    if (!strcmp(s, "float32")) return E_F32;
    if (!strcmp(s, "bfloat16")) return E_BF16;
    if (!strcmp(s, "float16")) return E_F16;
    if (!strcmp(s, "int32")) return E_I32;
    if (!strcmp(s, "int8")) return E_I8;
    if (!strcmp(s, "uint8")) return E_U8;
    if (!strcmp(s, "int64")) return E_I64;
    if (!strcmp(s, "packed")) return E_PACKED;
    return E_NONE;
}

static size_t elem_bytes(enum elem e) {
    switch (e) {
        case E_F32: case E_I32: return 4;
        case E_BF16: case E_F16: return 2;
        case E_I8: case E_U8: return 1;
        case E_I64: return 8;
        default: return 1;
    }
}

/* The nrt_dtype_t the runtime reports: hardware codes from 2.30 on, the old sequential enum before. */
static nrt_dtype_t dtype_code(enum elem e) {
    bool current = version_at_least_2_30();
    switch (e) {
        case E_F32: return current ? 0xA : 1;
        case E_F16: return current ? 0x7 : 2;
        case E_BF16: return current ? 0x6 : 3;
        case E_I8: return current ? 0x2 : 4;
        case E_U8: return current ? 0x3 : 5;
        case E_I32: return current ? 0x8 : 8;
        case E_I64: return current ? 0xC : 10;
        case E_PACKED: return 0x2A; /* a type outside the enum, as newer runtimes report for _x4 types */
        default: return 0;
    }
}

/* The program: "op NAME", "cores N", then one line per tensor: "NAME DTYPE DIM...". */
static NRT_STATUS parse_program(const unsigned char *data, size_t n, struct nrt_model *m) {
    char *text = strndup((const char *) data, n);
    char *save = NULL;
    bool have_op = false;
    m->cores = 1;
    for (char *line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        char word[NRT_TENSOR_NAME_MAX], type[32];
        int used = 0;
        if (sscanf(line, "op %31s", type) == 1) {
            have_op = true;
            if (!strcmp(type, "copy")) m->op = OP_COPY;
            else if (!strcmp(type, "add")) m->op = OP_ADD;
            else if (!strcmp(type, "matmul")) m->op = OP_MATMUL;
            else { free(text); return NRT_INVALID; }
        } else if (sscanf(line, "cores %d", &m->cores) == 1) {
            continue;
        } else if (sscanf(line, "%255s %31s%n", word, type, &used) == 2) {
            struct io *io = NULL;
            for (int i = 0; i < m->count; i++) if (!strcmp(m->io[i].name, word)) io = &m->io[i];
            if (io == NULL || (io->elem = elem_of(type)) == E_NONE) { free(text); return NRT_INVALID; }
            char *p = line + used;
            size_t elements = 1;
            while (*p) {
                char *end;
                unsigned long d = strtoul(p, &end, 10);
                if (end == p) break;
                if (io->ndim == MAX_DIMS) { free(text); return NRT_INVALID; }
                io->dims[io->ndim++] = (uint32_t) d;
                elements *= d;
                p = end;
            }
            if (io->elem != E_PACKED && elements * elem_bytes(io->elem) != io->size) { free(text); return NRT_INVALID; }
        }
    }
    free(text);
    if (!have_op) return NRT_INVALID;
    for (int i = 0; i < m->count; i++) if (m->io[i].elem == E_NONE) return NRT_INVALID;
    return NRT_SUCCESS;
}

static NRT_STATUS load_model(const void *neff_bytes, size_t size, int32_t vnc, nrt_model_t **model) {
    const unsigned char *b = neff_bytes;
    if (b == NULL || model == NULL || size < NEFF_HEADER) return NRT_INVALID;
    uint64_t pkg = le64(b), header_size = le64(b + 8), data_size = le64(b + 16), major = le64(b + 24);
    if ((pkg != 1 && pkg != 2) || header_size != NEFF_HEADER || data_size != size - NEFF_HEADER) return NRT_INVALID;
    if (major < 1 || major > 2) return NRT_UNSUPPORTED_NEFF_VERSION;
    const unsigned char *payload = b + NEFF_HEADER;
    size_t payload_n = (size_t) data_size;
    unsigned char *inflated = NULL;
    if (payload_n >= 2 && payload[0] == 0x1f && payload[1] == 0x8b) {
        inflated = inflate_payload(payload, payload_n, &payload_n);
        if (inflated == NULL) return NRT_INVALID;
        payload = inflated;
    }
    struct member def, prog;
    struct nrt_model *m = calloc(1, sizeof *m);
    NRT_STATUS s = NRT_INVALID;
    if (tar_find(payload, payload_n, "/def.json", true, &def) && tar_find(payload, payload_n, "nrt4j.program", false, &prog)) {
        m->count = parse_def_json((const char *) def.data, def.size, m->io, MAX_IO);
        if (m->count > 0) s = parse_program(prog.data, prog.size, m);
    }
    free(inflated);
    if (s == NRT_SUCCESS) {
        if (m->cores > visible_count) s = NRT_LOAD_NOT_ENOUGH_NC;
        else if (vnc < -1 || vnc + m->cores > visible_count) s = NRT_INVALID;
    }
    if (s != NRT_SUCCESS) {
        free(m);
        return s;
    }
    m->vnc = vnc < 0 ? 0 : vnc;
    track(K_MODEL, m);
    *model = m;
    return NRT_SUCCESS;
}

/* ---- models -------------------------------------------------------------------------------- */

NRT_STATUS nrt_load(const void *neff_bytes, size_t size, int32_t vnc, int32_t vnc_count, nrt_model_t **model) {
    (void) vnc_count;
    pthread_mutex_lock(&lock);
    NRT_STATUS s = gate();
    if (s == NRT_SUCCESS) s = load_model(neff_bytes, size, vnc, model);
    pthread_mutex_unlock(&lock);
    return s;
}

NRT_STATUS nrt_load_collectives(const void *neff_bytes, size_t size, int32_t vnc, int32_t vnc_count,
                                uint32_t ctx_device_id, uint32_t ctx_device_count, nrt_model_t **model) {
    if (ctx_device_count == 0 || ctx_device_id >= ctx_device_count) return NRT_INVALID;
    return nrt_load(neff_bytes, size, vnc, vnc_count, model);
}

NRT_STATUS nrt_unload(nrt_model_t *model) {
    pthread_mutex_lock(&lock);
    NRT_STATUS s = gate();
    if (s == NRT_SUCCESS && !check_live(K_MODEL, model)) s = NRT_INVALID_HANDLE;
    if (s == NRT_SUCCESS) {
        untrack(K_MODEL, model);
        free(model);
    }
    pthread_mutex_unlock(&lock);
    return s;
}

NRT_STATUS nrt_get_model_nc_count(const nrt_model_t *model, uint32_t *vnc_count) {
    pthread_mutex_lock(&lock);
    NRT_STATUS s = gate();
    if (s == NRT_SUCCESS && !check_live(K_MODEL, model)) s = NRT_INVALID_HANDLE;
    if (s == NRT_SUCCESS && vnc_count == NULL) s = NRT_INVALID;
    if (s == NRT_SUCCESS) *vnc_count = (uint32_t) model->cores;
    pthread_mutex_unlock(&lock);
    return s;
}

#ifndef NRT_DOUBLE_OLD_RUNTIME
NRT_STATUS nrt_get_model_vnc_count(const nrt_model_t *model, uint32_t *vnc_count) {
    return nrt_get_model_nc_count(model, vnc_count);
}
#endif

#ifndef NRT_DOUBLE_OLD_RUNTIME
NRT_STATUS nrt_get_model_info(const nrt_model_t *model, nrt_model_info_t *info, size_t info_size_in,
                              size_t *info_size_out) {
    pthread_mutex_lock(&lock);
    NRT_STATUS s = gate();
    if (s == NRT_SUCCESS && !check_live(K_MODEL, model)) s = NRT_INVALID_HANDLE;
    if (s == NRT_SUCCESS && info == NULL) s = NRT_INVALID;
    if (s == NRT_SUCCESS) {
        nrt_model_info_t i = { (uint32_t) model->vnc };
        size_t n = info_size_in < sizeof i ? info_size_in : sizeof i;
        memcpy(info, &i, n);
        if (info_size_out) *info_size_out = n;
    }
    pthread_mutex_unlock(&lock);
    return s;
}
#endif

NRT_STATUS nrt_get_model_tensor_info(nrt_model_t *model, nrt_tensor_info_array_t **tensor_info) {
    pthread_mutex_lock(&lock);
    NRT_STATUS s = gate();
    if (s == NRT_SUCCESS && !check_live(K_MODEL, model)) s = NRT_INVALID_HANDLE;
    if (s == NRT_SUCCESS && tensor_info == NULL) s = NRT_INVALID;
    if (s == NRT_SUCCESS) {
        nrt_tensor_info_array_t *a = calloc(1, sizeof *a + sizeof(nrt_tensor_info_t) * (size_t) model->count);
        a->tensor_count = (uint64_t) model->count;
        /* Inputs first, then outputs, as the real runtime lists them. */
        int k = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < model->count; i++) {
                const struct io *io = &model->io[i];
                if (io->usage != pass) continue;
                nrt_tensor_info_t *t = &a->tensor_array[k++];
                snprintf(t->name, sizeof t->name, "%s", io->name);
                t->usage = (nrt_tensor_usage_t) io->usage;
                t->size = io->size;
                t->dtype = dtype_code(io->elem);
                t->ndim = io->ndim;
                t->shape = malloc(sizeof(uint32_t) * (io->ndim ? io->ndim : 1));
                memcpy(t->shape, io->dims, sizeof(uint32_t) * io->ndim);
            }
        }
        track(K_INFO, a);
        *tensor_info = a;
    }
    pthread_mutex_unlock(&lock);
    return s;
}

NRT_STATUS nrt_free_model_tensor_info(nrt_tensor_info_array_t *tensor_info) {
    pthread_mutex_lock(&lock);
    NRT_STATUS s = NRT_SUCCESS;
    if (!check_live(K_INFO, tensor_info)) s = NRT_INVALID_HANDLE;
    if (s == NRT_SUCCESS) {
        untrack(K_INFO, tensor_info);
        for (uint64_t i = 0; i < tensor_info->tensor_count; i++) free(tensor_info->tensor_array[i].shape);
        free(tensor_info);
    }
    pthread_mutex_unlock(&lock);
    return s;
}

/* ---- tensors ------------------------------------------------------------------------------- */

NRT_STATUS nrt_tensor_allocate(nrt_tensor_placement_t tensor_placement, int vnc, size_t size, const char *name,
                               nrt_tensor_t **tensor) {
    pthread_mutex_lock(&lock);
    NRT_STATUS s = gate();
    if (s == NRT_SUCCESS && tensor == NULL) s = NRT_INVALID;
    if (s == NRT_SUCCESS && tensor_placement == NRT_TENSOR_PLACEMENT_DEVICE && (vnc < 0 || vnc >= visible_count)) s = NRT_INVALID;
    if (s == NRT_SUCCESS && tensor_placement != NRT_TENSOR_PLACEMENT_DEVICE && tensor_placement != NRT_TENSOR_PLACEMENT_HOST) s = NRT_INVALID;
    if (s == NRT_SUCCESS && tensor_placement == NRT_TENSOR_PLACEMENT_DEVICE && used_bytes[vnc] + size > core_bytes()) s = NRT_RESOURCE;
    if (s == NRT_SUCCESS) {
        struct nrt_tensor *t = calloc(1, sizeof *t);
        t->data = calloc(size ? size : 1, 1);
        if (t->data == NULL) {
            free(t);
            s = NRT_RESOURCE;
        } else {
            t->placement = tensor_placement;
            t->vnc = tensor_placement == NRT_TENSOR_PLACEMENT_DEVICE ? vnc : -1;
            t->size = size;
            t->owns_data = true;
            snprintf(t->name, sizeof t->name, "%s", name ? name : "");
            if (t->vnc >= 0) used_bytes[t->vnc] += size;
            track(K_TENSOR, t);
            *tensor = t;
        }
    }
    pthread_mutex_unlock(&lock);
    return s;
}

#ifndef NRT_DOUBLE_OLD_RUNTIME
NRT_STATUS nrt_tensor_allocate_empty(const char *name, nrt_tensor_t **tensor) {
    pthread_mutex_lock(&lock);
    NRT_STATUS s = gate();
    if (s == NRT_SUCCESS && tensor == NULL) s = NRT_INVALID;
    if (s == NRT_SUCCESS) {
        struct nrt_tensor *t = calloc(1, sizeof *t);
        t->placement = NRT_TENSOR_PLACEMENT_VIRTUAL;
        t->vnc = -1;
        snprintf(t->name, sizeof t->name, "%s", name ? name : "");
        track(K_TENSOR, t);
        *tensor = t;
    }
    pthread_mutex_unlock(&lock);
    return s;
}
#endif

static void release_storage(struct nrt_tensor *t) {
    if (t->owns_data) {
        free(t->data);
        if (t->vnc >= 0) used_bytes[t->vnc] -= t->size;
    }
    t->data = NULL;
    t->owns_data = false;
}

#ifndef NRT_DOUBLE_OLD_RUNTIME
NRT_STATUS nrt_tensor_attach_buffer(nrt_tensor_t *tensor, void *buffer, size_t size) {
    pthread_mutex_lock(&lock);
    NRT_STATUS s = gate();
    if (s == NRT_SUCCESS && !check_live(K_TENSOR, tensor)) s = NRT_INVALID_HANDLE;
    if (s == NRT_SUCCESS && buffer == NULL) s = NRT_INVALID;
    if (s == NRT_SUCCESS) {
        release_storage(tensor);
        tensor->data = buffer;
        tensor->size = size;
        tensor->vnc = -1;
        tensor->placement = NRT_TENSOR_PLACEMENT_VIRTUAL;
    }
    pthread_mutex_unlock(&lock);
    return s;
}
#endif

void nrt_tensor_free(nrt_tensor_t **tensor) {
    if (tensor == NULL || *tensor == NULL) return;
    pthread_mutex_lock(&lock);
    if (check_live(K_TENSOR, *tensor)) {
        untrack(K_TENSOR, *tensor);
        release_storage(*tensor);
        free(*tensor);
        *tensor = NULL;
    }
    pthread_mutex_unlock(&lock);
}

static NRT_STATUS tensor_io(const nrt_tensor_t *tensor, const void *buf, size_t offset, size_t size) {
    NRT_STATUS s = gate();
    if (s == NRT_SUCCESS && !check_live(K_TENSOR, tensor)) s = NRT_INVALID_HANDLE;
    if (s == NRT_SUCCESS && (buf == NULL || tensor->data == NULL || offset > tensor->size || size > tensor->size - offset)) s = NRT_INVALID;
    return s;
}

NRT_STATUS nrt_tensor_read(const nrt_tensor_t *tensor, void *buf, size_t offset, size_t size) {
    pthread_mutex_lock(&lock);
    NRT_STATUS s = tensor_io(tensor, buf, offset, size);
    if (s == NRT_SUCCESS) memcpy(buf, tensor->data + offset, size);
    pthread_mutex_unlock(&lock);
    return s;
}

NRT_STATUS nrt_tensor_write(nrt_tensor_t *tensor, const void *buf, size_t offset, size_t size) {
    pthread_mutex_lock(&lock);
    NRT_STATUS s = tensor_io(tensor, buf, offset, size);
    if (s == NRT_SUCCESS) memcpy(tensor->data + offset, buf, size);
    pthread_mutex_unlock(&lock);
    return s;
}

NRT_STATUS nrt_tensor_memset(nrt_tensor_t *tensor, uint64_t offset, int value, size_t size) {
    pthread_mutex_lock(&lock);
    NRT_STATUS s = tensor_io(tensor, "", (size_t) offset, size);
    if (s == NRT_SUCCESS) memset(tensor->data + offset, value, size);
    pthread_mutex_unlock(&lock);
    return s;
}

NRT_STATUS nrt_tensor_copy(const nrt_tensor_t *src, size_t src_offset, nrt_tensor_t *dst, size_t dst_offset, size_t size) {
    pthread_mutex_lock(&lock);
    NRT_STATUS s = tensor_io(src, "", src_offset, size);
    if (s == NRT_SUCCESS) s = tensor_io(dst, "", dst_offset, size);
    if (s == NRT_SUCCESS && src->vnc >= 0 && dst->vnc >= 0 && src->vnc != dst->vnc) s = NRT_INVALID;
    if (s == NRT_SUCCESS) memmove(dst->data + dst_offset, src->data + src_offset, size);
    pthread_mutex_unlock(&lock);
    return s;
}

size_t nrt_tensor_get_size(const nrt_tensor_t *tensor) {
    if (tensor == NULL) abort(); /* the real runtime asserts on NULL */
    pthread_mutex_lock(&lock);
    size_t size = check_live(K_TENSOR, tensor) ? tensor->size : 0;
    pthread_mutex_unlock(&lock);
    return size;
}

void *nrt_tensor_get_va(const nrt_tensor_t *tensor) {
    pthread_mutex_lock(&lock);
    void *va = check_live(K_TENSOR, tensor) ? tensor->data : NULL;
    pthread_mutex_unlock(&lock);
    return va;
}

#ifndef NRT_DOUBLE_OLD_RUNTIME
NRT_STATUS nrt_tensor_check_output_completion(const nrt_tensor_t *output_tensor, int64_t timeout,
                                              uint64_t expected_completion_count) {
    (void) timeout;
    pthread_mutex_lock(&lock);
    NRT_STATUS s = output_tensor == NULL ? NRT_INVALID : NRT_SUCCESS;
    if (s == NRT_SUCCESS && !check_live(K_TENSOR, output_tensor)) s = NRT_INVALID_HANDLE;
    /* Executions here are synchronous: a count not reached yet will never be reached. */
    if (s == NRT_SUCCESS && output_tensor->completions < expected_completion_count) s = NRT_TIMEOUT;
    pthread_mutex_unlock(&lock);
    return s;
}
#endif

#ifndef NRT_DOUBLE_OLD_RUNTIME
NRT_STATUS nrt_tensor_reset_output_completion(nrt_tensor_t *output_tensor) {
    pthread_mutex_lock(&lock);
    NRT_STATUS s = output_tensor == NULL ? NRT_INVALID : NRT_SUCCESS;
    if (s == NRT_SUCCESS && !check_live(K_TENSOR, output_tensor)) s = NRT_INVALID_HANDLE;
    if (s == NRT_SUCCESS) output_tensor->completions = 0;
    pthread_mutex_unlock(&lock);
    return s;
}
#endif

#ifndef NRT_DOUBLE_OLD_RUNTIME
NRT_STATUS nrt_get_vnc_memory_stats(uint32_t vnc, nrt_vnc_memory_stats_t *stats, size_t stats_size_in,
                                    size_t *stats_size_out) {
    pthread_mutex_lock(&lock);
    NRT_STATUS s = gate();
    if (s == NRT_SUCCESS && (stats == NULL || vnc >= (uint32_t) visible_count)) s = NRT_INVALID;
    if (s == NRT_SUCCESS) {
        nrt_vnc_memory_stats_t m = { used_bytes[vnc], core_bytes() };
        size_t n = stats_size_in < sizeof m ? stats_size_in : sizeof m;
        memcpy(stats, &m, n);
        if (stats_size_out) *stats_size_out = n;
    }
    pthread_mutex_unlock(&lock);
    return s;
}
#endif

/* ---- tensor sets --------------------------------------------------------------------------- */

NRT_STATUS nrt_allocate_tensor_set(nrt_tensor_set_t **result) {
    pthread_mutex_lock(&lock);
    NRT_STATUS s = gate();
    if (s == NRT_SUCCESS && result == NULL) s = NRT_INVALID;
    if (s == NRT_SUCCESS) {
        struct tensor_set *set = calloc(1, sizeof *set);
        track(K_SET, set);
        *result = set;
    }
    pthread_mutex_unlock(&lock);
    return s;
}

void nrt_destroy_tensor_set(nrt_tensor_set_t **tensor_set) {
    if (tensor_set == NULL || *tensor_set == NULL) return;
    pthread_mutex_lock(&lock);
    if (check_live(K_SET, *tensor_set)) {
        struct tensor_set *set = *tensor_set;
        untrack(K_SET, set);
        free(set->entries); /* the tensors stay: destroying a set never frees them */
        free(set);
        *tensor_set = NULL;
    }
    pthread_mutex_unlock(&lock);
}

NRT_STATUS nrt_add_tensor_to_tensor_set(nrt_tensor_set_t *tensor_set, const char *tensor_name, nrt_tensor_t *tensor) {
    pthread_mutex_lock(&lock);
    NRT_STATUS s = gate();
    if (s == NRT_SUCCESS && !check_live(K_SET, tensor_set)) s = NRT_INVALID_HANDLE;
    if (s == NRT_SUCCESS && !check_live(K_TENSOR, tensor)) s = NRT_INVALID_HANDLE;
    if (s == NRT_SUCCESS && (tensor_name == NULL || strlen(tensor_name) >= NRT_TENSOR_NAME_MAX)) s = NRT_INVALID;
    if (s == NRT_SUCCESS) {
        struct tensor_set *set = tensor_set;
        struct entry *e = NULL;
        for (int i = 0; i < set->count; i++) if (!strcmp(set->entries[i].name, tensor_name)) e = &set->entries[i];
        if (e == NULL) {
            if (set->count == set->capacity) {
                set->capacity = set->capacity ? set->capacity * 2 : 8;
                set->entries = realloc(set->entries, sizeof *set->entries * (size_t) set->capacity);
            }
            e = &set->entries[set->count++];
            snprintf(e->name, sizeof e->name, "%s", tensor_name); /* the name is copied */
        }
        e->tensor = tensor;
    }
    pthread_mutex_unlock(&lock);
    return s;
}

static struct nrt_tensor *set_lookup(const struct tensor_set *set, const char *name) {
    for (int i = 0; i < set->count; i++) if (!strcmp(set->entries[i].name, name)) return set->entries[i].tensor;
    return NULL;
}

NRT_STATUS nrt_get_tensor_from_tensor_set(nrt_tensor_set_t *tensor_set, const char *tensor_name, nrt_tensor_t **tensor) {
    pthread_mutex_lock(&lock);
    NRT_STATUS s = gate();
    if (s == NRT_SUCCESS && !check_live(K_SET, tensor_set)) s = NRT_INVALID_HANDLE;
    if (s == NRT_SUCCESS && (tensor_name == NULL || tensor == NULL)) s = NRT_INVALID;
    if (s == NRT_SUCCESS) {
        struct nrt_tensor *t = set_lookup(tensor_set, tensor_name);
        if (t == NULL) s = NRT_FAILURE; /* *tensor is left untouched */
        else *tensor = t;
    }
    pthread_mutex_unlock(&lock);
    return s;
}

/* ---- execution ----------------------------------------------------------------------------- */

static float bf16_to_f32(uint16_t h) {
    uint32_t bits = (uint32_t) h << 16;
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

static uint16_t f32_to_bf16(float f) {
    uint32_t bits;
    memcpy(&bits, &f, 4);
    if ((bits & 0x7fffffffu) > 0x7f800000u) return (uint16_t) ((bits >> 16) | 0x40);
    bits += 0x7fffu + ((bits >> 16) & 1u); /* round to nearest even */
    return (uint16_t) (bits >> 16);
}

static float load_elem(const unsigned char *p, enum elem e, size_t i) {
    if (e == E_BF16) { uint16_t h; memcpy(&h, p + 2 * i, 2); return bf16_to_f32(h); }
    float f; memcpy(&f, p + 4 * i, 4); return f;
}

static void store_elem(unsigned char *p, enum elem e, size_t i, float v) {
    if (e == E_BF16) { uint16_t h = f32_to_bf16(v); memcpy(p + 2 * i, &h, 2); return; }
    memcpy(p + 4 * i, &v, 4);
}

static NRT_STATUS run(const struct nrt_model *m, struct nrt_tensor **in, int nin, struct nrt_tensor **out, int nout,
                      const struct io **iin, const struct io **iout) {
    if (nout < 1) return NRT_INVALID;
    switch (m->op) {
        case OP_COPY:
            if (nin < 1 || in[0]->size != out[0]->size) return NRT_INVALID;
            memcpy(out[0]->data, in[0]->data, out[0]->size);
            return NRT_SUCCESS;
        case OP_ADD: {
            if (nin < 2) return NRT_INVALID;
            size_t n = out[0]->size / elem_bytes(iout[0]->elem);
            for (size_t i = 0; i < n; i++) {
                store_elem(out[0]->data, iout[0]->elem, i,
                           load_elem(in[0]->data, iin[0]->elem, i) + load_elem(in[1]->data, iin[1]->elem, i));
            }
            return NRT_SUCCESS;
        }
        case OP_MATMUL: {
            if (nin < 2 || iin[0]->ndim != 2 || iin[1]->ndim != 2 || iin[0]->dims[1] != iin[1]->dims[0]) return NRT_INVALID;
            size_t rows = iin[0]->dims[0], inner = iin[0]->dims[1], cols = iin[1]->dims[1];
            for (size_t r = 0; r < rows; r++) {
                for (size_t c = 0; c < cols; c++) {
                    float acc = 0;
                    for (size_t k = 0; k < inner; k++) {
                        acc += load_elem(in[0]->data, iin[0]->elem, r * inner + k)
                               * load_elem(in[1]->data, iin[1]->elem, k * cols + c);
                    }
                    store_elem(out[0]->data, iout[0]->elem, r * cols + c, acc);
                }
            }
            return NRT_SUCCESS;
        }
    }
    return NRT_INVALID;
}

static NRT_STATUS execute(nrt_model_t *model, const nrt_tensor_set_t *input_set, nrt_tensor_set_t *output_set, int repeat) {
    pthread_mutex_lock(&lock);
    NRT_STATUS s = gate();
    if (s == NRT_SUCCESS && !check_live(K_MODEL, model)) s = NRT_INVALID_HANDLE;
    if (s == NRT_SUCCESS && (!check_live(K_SET, input_set) || !check_live(K_SET, output_set))) s = NRT_INVALID_HANDLE;
    if (s == NRT_SUCCESS && repeat < 1) s = NRT_INVALID;
    struct nrt_tensor *in[MAX_IO], *out[MAX_IO];
    const struct io *iin[MAX_IO], *iout[MAX_IO];
    int nin = 0, nout = 0;
    for (int i = 0; s == NRT_SUCCESS && i < model->count; i++) {
        const struct io *io = &model->io[i];
        struct nrt_tensor *t = set_lookup(io->usage == 0 ? input_set : output_set, io->name);
        if (t == NULL || t->data == NULL) {
            fprintf(stderr, "nrt-double: execute: %s '%s' is missing\n", io->usage == 0 ? "input" : "output", io->name);
            s = NRT_EXEC_BAD_INPUT;
        } else if (!check_live(K_TENSOR, t)) {
            s = NRT_INVALID_HANDLE;
        } else if (t->size != io->size) {
            fprintf(stderr, "nrt-double: execute: '%s' has %zu bytes, the model wants %zu\n", io->name, t->size, io->size);
            s = NRT_EXEC_BAD_INPUT;
        } else if (io->usage == 0) {
            iin[nin] = io; in[nin++] = t;
        } else {
            iout[nout] = io; out[nout++] = t;
        }
    }
    for (int r = 0; s == NRT_SUCCESS && r < repeat; r++) {
        s = run(model, in, nin, out, nout, iin, iout);
        /* execute_repeat feeds each iteration's outputs to the next one's inputs, in order. */
        for (int i = 0; s == NRT_SUCCESS && r + 1 < repeat && i < nout && i < nin; i++) {
            if (in[i]->size == out[i]->size) memcpy(in[i]->data, out[i]->data, in[i]->size);
        }
    }
    for (int i = 0; s == NRT_SUCCESS && i < nout; i++) out[i]->completions++;
    pthread_mutex_unlock(&lock);
    return s;
}

NRT_STATUS nrt_execute(nrt_model_t *model, const nrt_tensor_set_t *input_set, nrt_tensor_set_t *output_set) {
    return execute(model, input_set, output_set, 1);
}

NRT_STATUS nrt_execute_repeat(nrt_model_t *model, const nrt_tensor_set_t *input_set, nrt_tensor_set_t *output_set,
                              int repeat_count) {
    return execute(model, input_set, output_set, repeat_count);
}

/* ---- test hooks (not libnrt API) ----------------------------------------------------------- */

/* Live objects of one kind: 0 tensors, 1 tensor sets, 2 models, 3 tensor-info arrays. */
int nrt4j_double_live(int kind) {
    if (kind < 0 || kind >= K_KINDS) return -1;
    pthread_mutex_lock(&lock);
    int n = live_count[kind];
    pthread_mutex_unlock(&lock);
    return n;
}

/* How often a dead, foreign or NULL handle was passed where a live one was needed. */
int nrt4j_double_misuse(void) {
    pthread_mutex_lock(&lock);
    int n = misuse_count;
    pthread_mutex_unlock(&lock);
    return n;
}

/* 0 uninitialized, 1 initialized, 2 closed. */
int nrt4j_double_state(void) {
    return (int) state;
}
