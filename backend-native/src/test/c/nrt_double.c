/*
 * A test double of libnrt (the AWS Neuron runtime library) for nrt4j's native backend tests.
 *
 * It exports libnrt's functions with their exact names, signatures, enum values and struct layouts
 * (shared/research/nrt-api.md, cited below as "nrt-api"), and behaves as libnrt is documented to
 * behave, not as a binding would hope: the init/close state gates, cores claimed per process at
 * nrt_init, handle validity, bounds, tensor-set semantics, who owns returned memory, the tensor-info
 * layout, the status codes, execution timeouts, concurrent executions on different cores and
 * collectives between ranks. Where the documentation is silent the double is hostile (garbage in new
 * memory, the other legal status code, real concurrency); each such choice is marked in the code with
 * "[undocumented; chosen]" and the reason.
 *
 * ---- Programs (format version 2; the contract with the stand-in neuronx-cc) ------------------------
 *
 * A NEFF for the double is a real NEFF: the 1024-byte header, then data_size bytes of payload, a tar
 * (gzip'd or plain) holding sgNN/def.json, whose "var" object names the model's tensors
 *   {"var": {"input0": {"type": "input", "var_id": 0, "size": BYTES}, "output0": {"type": "output", ...}}}
 * (other var types are ignored), and a member nrt4j.program: UTF-8 text, one statement per line.
 * '#' starts a comment that runs to the end of the line; blank lines are ignored; tokens are separated
 * by one or more spaces (no tabs, no carriage returns). The statements:
 *
 *   nrt4j-program 2                   the first non-comment line, exactly these two tokens
 *   cores N                           optional, at most once: NeuronCores the program needs (default 1)
 *   ranks N                           optional, at most once: ranks of a collective program (default 1)
 *   %K = input NAME DTYPE D0 D1 ...   binds def.json input NAME; its byte size must equal NAME's size;
 *                                     no dims is a scalar
 *   %K = const DTYPE VALUE            a scalar: strtod for float types (decimal or C hex float), strtoll
 *                                     (base 10) for integers, in range of the type; 0 or 1 for pred
 *   %K = broadcast %A D0 D1 ...       scalar %A to the given dims, same dtype
 *   %K = add %A %B                    elementwise; equal dtype and dims
 *   %K = multiply %A %B               elementwise; equal dtype and dims
 *   %K = copy %A                      the same value
 *   %K = dot %A %B                    [m,k] x [k,n] -> [m,n], same dtype
 *   %K = all-reduce-sum %A            elementwise sum over the program's ranks, in rank order 0..ranks-1
 *   %K = loop-forever %A              never completes: the execution spins until the model's execution
 *                                     timeout and fails with NRT_TIMEOUT (the value has %A's type)
 *   output NAME %K                    writes %K to def.json output NAME, whose size must be %K's bytes
 *
 * %K are numbered 0, 1, 2, ... in order of definition, each defined once, before use. DTYPE is one of
 * f32 bf16 f16 s32 s64 s8 u8 pred (element bytes 4 2 2 4 8 1 1 1); shapes have 0 to 8 dims. Every
 * def.json input is bound by exactly one input line and every def.json output by exactly one output
 * line. Float arithmetic (add, multiply, dot, all-reduce-sum) is done in f32: bf16 and f16 operands
 * are widened exactly and each op's result is rounded once to its dtype, round to nearest even, as XLA
 * does; dot accumulates each element over k in ascending order, in f32, from 0, multiply then add
 * (built with -ffp-contract=off: no FMA). Integer arithmetic wraps; for pred, add is or and multiply
 * is and (any non-zero byte reads as true; results are 0 or 1). A program that breaks any rule does
 * not load: NRT_INVALID, with one line on stderr saying which line and why.
 *
 * A program with "ranks N", N > 1, loads only through nrt_load_collectives with ctx_device_count == N
 * and ctx_device_id < N (any other count, and nrt_load, is NRT_INVALID; the same holds for N = 1 with
 * nrt_load_collectives); N above the visible cores is NRT_LOAD_NOT_ENOUGH_NC. Ranks of one group (the
 * same program text and N) meet at each all-reduce-sum of an execution.
 *
 * Test-only extension, never emitted by a compiler: DTYPE x4packed, one byte per element, reported by
 * nrt_get_model_tensor_info as dtype 0x2A, a code outside both numberings (as runtimes report packed
 * _x4 types, nrt-api 3.4). It is allowed only on input, copy, loop-forever and output (no arithmetic).
 *
 * The tensor info (nrt_get_model_tensor_info) takes name and size from def.json and dtype and shape
 * from the program (the input line, or the value an output line writes); inputs first, then outputs,
 * each in ascending var_id. pred is reported as UINT8 (libnrt has no boolean dtype).
 *
 * ---- Knobs (environment) -----------------------------------------------------------------------------
 *
 *   NRT4J_DOUBLE_INSTANCE     the instance type posed as, default trn2.3xlarge (see INSTANCES below);
 *                             read at nrt_init (and by the count functions before it)
 *   NEURON_LOGICAL_NC_CONFIG  the LNC, read at nrt_init; default the instance's; logical cores =
 *                             physical cores / LNC
 *   NRT4J_DOUBLE_STACK_BYTES  capacity of one HBM stack, default 1 GiB. trn2: 4 stacks per device,
 *                             physical cores 2k and 2k+1 share stack k; trn1/inf2: one stack per
 *                             physical core. A logical core allocates on the stack of its first
 *                             physical core.
 *   NRT4J_DOUBLE_STATE_DIR    where the per-physical-core lock files live, default
 *                             /tmp/nrt4j-double-<uid>: cores belong to one process (nrt-api 6.1)
 *   NRT4J_DOUBLE_RT_VERSION   the runtime version nrt_get_version reports, default 2.34.10.0; below
 *                             2.30 the tensor info uses the old sequential dtype numbering (nrt-api 3.4);
 *                             below 2.31.24 it poses as a runtime without the v3 nrta API (a call to an
 *                             nrta function is a misuse), below 2.32.31 as one without its completion
 *                             events: e.g. 2.30.50.0 is SDK 2.28's runtime, whose nrta API is v2
 *   NRT4J_DOUBLE_NRTA_QUEUE_DEPTH  nrta requests in flight per core before NRT_QUEUE_FULL, default 4 (nrt_init)
 *   NEURON_RT_VISIBLE_CORES, NEURON_RT_NUM_CORES (nrt_init), NEURON_RT_EXEC_TIMEOUT (nrt_load): as libnrt.
 *   NEURON_RT_INSPECT_ENABLE=1 with NEURON_RT_INSPECT_OUTPUT_DIR (nrt_init): libnrt would write its
 *                             profiles there; the double writes no NTFF but nrt4j-double-inspect.txt,
 *                             recording the two values it saw, so tests can prove they reached it.
 *
 * Built with -DNRT_DOUBLE_OLD_RUNTIME it leaves out the functions newer runtimes added (status
 * strings, instance info, the vnc-named counts, model info, memory stats, allocate_empty,
 * attach_buffer, output completion, the nrta API), as an older libnrt would.
 *
 * Built normally it exports the v3 explicit async API (nrta_execute_schedule, nrta_is_completed,
 * nrta_get_sequence, nrta_event_register_seq_id_completion); see "explicit async" below.
 *
 * Test-only functions, prefixed nrt4j_double_: live object counts and misuse counts, so tests can
 * prove that the binding frees everything and never passes a dead handle; nrta schedule and queue-full
 * counts, so tests can prove which execution path ran.
 *
 * ---- Where libnrt's documentation is silent (each marked "[undocumented; chosen]" below) ---------------
 *
 *   new tensor memory                     garbage, not zeros
 *   HOST placement above 4 MB             NRT_RESOURCE (the 4 MB cap itself is documented)
 *   busy cores at nrt_init                NRT_RESOURCE, with libnrt's "NeuronCore(s) not available" line
 *   NEURON_RT_NUM_CORES=N                 the first N contiguous free logical cores
 *   VISIBLE_CORES/NUM_CORES past the end  NRT_RESOURCE (too few cores; "nrt_init fails")
 *   an LNC the chip lacks, at nrt_init    NRT_INVALID
 *   unknown NRT4J_DOUBLE_INSTANCE         NRT_INVALID (a double-only knob)
 *   untrusted state directory/lock file   NRT_FAILURE (a double-only condition)
 *   NEFF lnc_size != runtime LNC          NRT_INVALID
 *   NEURON_RT_EXEC_TIMEOUT unset          600 s (the docs say 30, 600 or 2); not whole seconds >= 1: NRT_INVALID
 *   vnc -1 with a model on every core     core 0
 *   a set entry the model does not have   NRT_INVALID, like a missing or wrongly sized one (documented)
 *   a second nrt_init                     a no-op
 *   pred in tensor info                   UINT8
 *
 * ---- Concurrency ---------------------------------------------------------------------------------------
 *
 * g_lock guards the bookkeeping (state, handle tables, memory accounting, pins) and is held only for
 * short stretches. An execution pins its model and tensors under g_lock, then claims its cores (a
 * NeuronCore runs one execution at a time; others queue on core_cv), then runs with no lock held; a
 * tensor or model freed meanwhile is released when the last pin goes. Collective rendezvous uses
 * coll_lock. Lock order: g_lock before coll_lock; core_lock is never held with another.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "nrt_decls.h"

/* The layouts nrt-api 3.3 records; the build fails if the compiler disagrees. */
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
_Static_assert(sizeof(nrt_model_info_t) == 4, "nrt_model_info_t");

#define MAX_DIMS 8
#define MAX_IO 64
#define MAX_PHYS 128
#define MAX_STACKS 64
#define MAX_STMTS 4096
#define MAX_RANKS 64
#define NEFF_HEADER 1024
#define NEFF_LNC_OFFSET 0x228
#define MAX_PAYLOAD (64u << 20)
/* libnrt sizes are size_t: a value may pass 2 GiB. The bound only keeps a forged program's mallocs finite. */
#define MAX_VALUE_BYTES ((size_t) 1 << 36)
/* nrt-api 3.2: deprecated HOST placement is DMA-able contiguous host memory of at most 4 MB. */
#define HOST_PLACEMENT_MAX ((size_t) 4 << 20)
/* nrt-api 7: the dev guide gives 600 s on trn1/inf2 (the configuration-guide table says 30, its prose 2).
 * [undocumented; chosen] 600, the trn1/inf2 figure of the developer guide, also used on trn2 as AWS's
 * trn2 tutorials set it. */
#define DEFAULT_EXEC_TIMEOUT_S 600L

enum kind { K_TENSOR, K_SET, K_MODEL, K_INFO, K_KINDS };
enum state { UNINITIALIZED, INITIALIZED, CLOSED };

/* ---- instances ------------------------------------------------------------------------------------- */

struct instance_type {
    const char *name;
    uint32_t family, size;          /* nrt_instance_info_t codes, nrt-api 3.2 */
    const char *arch, *revision;
    int devices, phys_per_device, stacks_per_device;
    unsigned lnc_mask;              /* bit n set: LNC n is supported */
    int default_lnc;
};

/* Family TRN1=2, INF2=4, TRN2=5; size 1XL=0, 2XL=1, 32XL=6, 48XL=7, 3XL=8 (nrt-api 3.2). LNC 2 exists
 * only on Trn2/Trn3, whose default it is (nrt-api 7, NEURON_LOGICAL_NC_CONFIG). */
static const struct instance_type INSTANCES[] = {
    {"trn2.3xlarge", 5, 8, "trn2", "v3", 1, 8, 4, (1u << 1) | (1u << 2), 2},
    {"trn2.48xlarge", 5, 7, "trn2", "v3", 16, 8, 4, (1u << 1) | (1u << 2), 2},
    {"trn1.2xlarge", 2, 1, "trn1", "v2", 1, 2, 2, 1u << 1, 1},
    {"trn1.32xlarge", 2, 6, "trn1", "v2", 16, 2, 2, 1u << 1, 1},
    {"inf2.xlarge", 4, 0, "inf2", "v2", 1, 2, 2, 1u << 1, 1},
};
#define DEFAULT_INSTANCE 0

/* ---- dtypes ---------------------------------------------------------------------------------------- */

enum dt { DT_F32, DT_BF16, DT_F16, DT_S32, DT_S64, DT_S8, DT_U8, DT_PRED, DT_X4PACKED, DT_COUNT };

static const struct {
    const char *name;
    size_t bytes;
    nrt_dtype_t current, old;   /* nrt_dtype_t from runtime 2.30 on, and before (nrt-api 3.4) */
    bool is_float, is_signed;
} DT[DT_COUNT] = {
    [DT_F32] = {"f32", 4, 0xA, 1, true, true},
    [DT_BF16] = {"bf16", 2, 0x6, 3, true, true},
    [DT_F16] = {"f16", 2, 0x7, 2, true, true},
    [DT_S32] = {"s32", 4, 0x8, 8, false, true},
    [DT_S64] = {"s64", 8, 0xC, 10, false, true},
    [DT_S8] = {"s8", 1, 0x2, 4, false, true},
    [DT_U8] = {"u8", 1, 0x3, 5, false, false},
    /* [undocumented; chosen] libnrt has no boolean dtype; pred is stored as bytes and reported UINT8. */
    [DT_PRED] = {"pred", 1, 0x3, 5, false, false},
    /* Test-only: a code outside both numberings, as newer runtimes report packed _x4 types. */
    [DT_X4PACKED] = {"x4packed", 1, 0x2A, 0x2A, false, false},
};

/* ---- objects --------------------------------------------------------------------------------------- */

enum opc { O_INPUT, O_CONST, O_BROADCAST, O_ADD, O_MULTIPLY, O_COPY, O_DOT, O_ALL_REDUCE, O_LOOP_FOREVER };

struct stmt {
    enum opc op;
    enum dt dt;
    uint32_t ndim;
    uint32_t dims[MAX_DIMS];
    size_t elems;
    int a, b;                       /* operand values */
    int io;                         /* O_INPUT: index into the model's io */
    unsigned char cval[8];          /* O_CONST: the scalar, stored in dt */
};

struct io {
    char name[NRT_TENSOR_NAME_MAX];
    int usage;
    long long var_id;
    size_t size;
    int value;                      /* the program value bound to it */
};

struct group;

struct nrt_model {
    uint64_t epoch;
    int pins;
    bool unloaded;
    int vnc, cores;                 /* visible cores vnc .. vnc+cores-1 */
    long timeout_s;                 /* NEURON_RT_EXEC_TIMEOUT, read at load */
    int rank, ranks;
    struct group *group;
    int nstmt;
    struct stmt *stmt;
    int nio;
    struct io io[MAX_IO];
};

struct nrt_tensor {
    uint64_t epoch;
    int pins;
    bool freed;
    nrt_tensor_placement_t placement;
    int vnc;                        /* visible core, -1 off the device */
    int stack;                      /* HBM stack charged, -1 none */
    size_t size;
    unsigned char *data;
    bool owns_data;
    uint64_t completions;
    char name[NRT_TENSOR_NAME_MAX];
};

struct entry { char name[NRT_TENSOR_NAME_MAX]; struct nrt_tensor *tensor; };
struct tensor_set { int count, capacity; struct entry *entries; };

typedef struct nrt_model nrt_model_t;
typedef struct nrt_tensor nrt_tensor_t;
typedef void nrt_tensor_set_t;

/* ---- global state (g_lock) ------------------------------------------------------------------------- */

struct live_entry { void *p; uint64_t epoch; };

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static enum state state = UNINITIALIZED;
static uint64_t epoch;                       /* bumped by every nrt_init */
static const struct instance_type *inst;     /* the instance of this init */
static int lnc = 1;
static int visible_first, visible_count;     /* logical cores claimed at init */
static size_t stack_bytes;
static size_t used_bytes[MAX_STACKS];
static int models_on[MAX_PHYS];              /* loaded models per visible core */
static int lock_fd[MAX_PHYS];                /* held lock files per physical core, -1 none */
static struct live_entry *live[K_KINDS];
static int live_count[K_KINDS], live_capacity[K_KINDS];
static int misuse_count;
static uint64_t garbage_seed = 0x9E3779B97F4A7C15ull;

/* Executions: one at a time per core. */
static pthread_mutex_t core_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t core_cv;
static bool core_busy[MAX_PHYS];

/* Collectives. */
static pthread_mutex_t coll_lock = PTHREAD_MUTEX_INITIALIZER;

#ifndef NRT_DOUBLE_OLD_RUNTIME
/* Explicit async (defined with the nrta functions below). */
static bool nrta_read_depth(void);
static void nrta_drain_at_close(void);
#endif

__attribute__((constructor)) static void double_init(void) {
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(&core_cv, &a);
    pthread_condattr_destroy(&a);
    for (int i = 0; i < MAX_PHYS; i++) lock_fd[i] = -1;
}

/* libnrt logs errors to the console unless NEURON_RT_LOG_LEVEL=QUIET (the configuration guide's way to
 * silence it); the build's tests set QUIET so the console shows results, not the double's complaints. */
static bool console_quiet(void) {
    const char *level = getenv("NEURON_RT_LOG_LEVEL");
    return level != NULL && strcasecmp(level, "QUIET") == 0;
}

static void say(const char *function, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(const char *function, const char *fmt, ...) {
    if (console_quiet()) return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "nrt-double: %s: %s\n", function, line);
}

/* ---- bookkeeping ----------------------------------------------------------------------------------- */

static const char *kind_name(enum kind k) {
    return k == K_TENSOR ? "tensor" : k == K_SET ? "tensor set" : k == K_MODEL ? "model" : "tensor info";
}

static void track(enum kind k, void *p) {
    if (live_count[k] == live_capacity[k]) {
        int cap = live_capacity[k] ? live_capacity[k] * 2 : 64;
        struct live_entry *grown = realloc(live[k], sizeof *grown * (size_t) cap);
        if (grown == NULL) abort();
        live[k] = grown;
        live_capacity[k] = cap;
    }
    live[k][live_count[k]].p = p;
    live[k][live_count[k]].epoch = epoch;
    live_count[k]++;
}

static struct live_entry *find_live(enum kind k, const void *p) {
    for (int i = live_count[k] - 1; i >= 0; i--) {
        if (live[k][i].p == p) return &live[k][i];
    }
    return NULL;
}

static void untrack(enum kind k, const void *p) {
    for (int i = 0; i < live_count[k]; i++) {
        if (live[k][i].p == p) {
            live[k][i] = live[k][--live_count[k]];
            return;
        }
    }
}

/* A dead or foreign pointer is what crashes a real runtime; here it is counted so tests see it. A
 * handle made before the last nrt_close is as dead as a freed one (the runtime freed it at close). */
static bool check_live(enum kind k, const void *p) {
    struct live_entry *e = p == NULL ? NULL : find_live(k, p);
    if (e != NULL && (k == K_INFO || e->epoch == epoch)) return true;
    misuse_count++;
    if (console_quiet()) {
        /* counted above; nothing to print */
    } else if (e != NULL) {
        fprintf(stderr, "nrt-double: %s handle %p was made before the last nrt_close and is dead\n", kind_name(k), p);
    } else {
        fprintf(stderr, "nrt-double: %s handle %p is not live\n", kind_name(k), p);
    }
    return false;
}

static NRT_STATUS gate(void) {
    return state == INITIALIZED ? NRT_SUCCESS : state == CLOSED ? NRT_CLOSED : NRT_UNINITIALIZED;
}

/* A whole decimal number, nothing else; false for anything else (the caller says what is wrong). */
static bool parse_long(const char *s, long *out) {
    if (s == NULL || *s == 0) return false;
    for (const char *p = s; *p; p++) {
        if (!((*p >= '0' && *p <= '9') || (p == s && *p == '-'))) return false;
    }
    errno = 0;
    char *end;
    long v = strtol(s, &end, 10);
    if (errno != 0 || *end != 0 || end == s) return false;
    *out = v;
    return true;
}

static const struct instance_type *instance_from_env(void) {
    const char *name = getenv("NRT4J_DOUBLE_INSTANCE");
    if (name == NULL || *name == 0) return &INSTANCES[DEFAULT_INSTANCE];
    for (size_t i = 0; i < sizeof INSTANCES / sizeof INSTANCES[0]; i++) {
        if (strcmp(INSTANCES[i].name, name) == 0) return &INSTANCES[i];
    }
    say("nrt_init", "NRT4J_DOUBLE_INSTANCE=%s is not an instance type the double knows (trn2.3xlarge, trn2.48xlarge,"
        " trn1.2xlarge, trn1.32xlarge, inf2.xlarge)", name);
    return NULL;
}

/* NEURON_LOGICAL_NC_CONFIG for this instance, or 0 when the chip does not have it. */
static int lnc_from_env(const struct instance_type *t, const char *function) {
    const char *v = getenv("NEURON_LOGICAL_NC_CONFIG");
    if (v == NULL || *v == 0) return t->default_lnc;
    long n;
    if (!parse_long(v, &n) || n < 1 || n > 8 || !(t->lnc_mask & (1u << n))) {
        say(function, "NEURON_LOGICAL_NC_CONFIG=%s: %s supports LNC %s", v, t->name,
            t->lnc_mask == ((1u << 1) | (1u << 2)) ? "1 or 2" : "1 only");
        return 0;
    }
    return (int) n;
}

static int physical_total(const struct instance_type *t) {
    return t->devices * t->phys_per_device;
}

/* The HBM stack of physical core p. */
static int stack_of_physical(const struct instance_type *t, int p) {
    int d = p / t->phys_per_device, local = p % t->phys_per_device;
    return d * t->stacks_per_device + local / (t->phys_per_device / t->stacks_per_device);
}

/* The stack a visible core allocates on (its first physical core's). */
static int stack_of_visible(int vnc) {
    return stack_of_physical(inst, (visible_first + vnc) * lnc);
}

/* NEURON_RT_VISIBLE_CORES ("3", "0-3", "3-5,6": contiguous and increasing) wins over NEURON_RT_NUM_CORES
 * (nrt-api 7). Logical core numbers. *exact says whether the cores are named (true) or only counted. */
static NRT_STATUS core_request(int total, int *first, int *count, bool *exact, const char *function) {
    const char *spec = getenv("NEURON_RT_VISIBLE_CORES");
    if (spec != NULL && *spec != 0) {
        long lo = -1, hi = -1;
        const char *p = spec;
        while (*p) {
            char *end;
            if (*p < '0' || *p > '9') goto bad;
            long a = strtol(p, &end, 10), b;
            p = end;
            b = a;
            if (*p == '-') {
                p++;
                if (*p < '0' || *p > '9') goto bad;
                b = strtol(p, &end, 10);
                if (b < a) goto bad;
                p = end;
            }
            if (lo < 0) lo = a;
            else if (a != hi + 1) goto bad;
            hi = b;
            if (*p == ',') p++;
            else if (*p) goto bad;
        }
        if (lo < 0) goto bad;
        if (hi >= total) {
            say(function, "NEURON_RT_VISIBLE_CORES=%s names core %ld; this instance has logical cores 0-%d", spec, hi, total - 1);
            return NRT_RESOURCE;
        }
        *first = (int) lo;
        *count = (int) (hi - lo + 1);
        *exact = true;
        return NRT_SUCCESS;
    bad:
        say(function, "NEURON_RT_VISIBLE_CORES=%s is not a contiguous increasing set like 0, 0-3 or 3-5,6", spec);
        return NRT_INVALID;
    }
    const char *num = getenv("NEURON_RT_NUM_CORES");
    long n = 0;
    if (num != NULL && *num != 0 && (!parse_long(num, &n) || n < 0)) {
        say(function, "NEURON_RT_NUM_CORES=%s is not a count of cores", num);
        return NRT_INVALID;
    }
    if (n > total) {
        say(function, "NEURON_RT_NUM_CORES=%ld but this instance has %d logical cores", n, total);
        return NRT_RESOURCE;
    }
    *first = 0;
    *count = n == 0 ? total : (int) n;
    *exact = n == 0;
    return NRT_SUCCESS;
}

/* ---- cores belong to one process: lock files ---------------------------------------------------- */

/* The state directory, opened after checking that nobody else could have planted or changed it. */
static int open_state_dir(void) {
    char path[PATH_MAX];
    const char *d = getenv("NRT4J_DOUBLE_STATE_DIR");
    if (d != NULL && *d != 0) snprintf(path, sizeof path, "%s", d);
    else snprintf(path, sizeof path, "/tmp/nrt4j-double-%u", (unsigned) geteuid());
    if (mkdir(path, 0700) != 0 && errno != EEXIST) {
        say("nrt_init", "cannot create the state directory %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (lstat(path, &st) != 0) {
        say("nrt_init", "cannot stat the state directory %s: %s", path, strerror(errno));
        return -1;
    }
    if (S_ISLNK(st.st_mode)) {
        say("nrt_init", "the state directory %s is a symbolic link; refusing to use it", path);
        return -1;
    }
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        say("nrt_init", "cannot open the state directory %s: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) != 0 || !S_ISDIR(st.st_mode)) {
        say("nrt_init", "the state directory %s is not a directory", path);
        close(fd);
        return -1;
    }
    if (st.st_uid != geteuid()) {
        say("nrt_init", "the state directory %s belongs to uid %u, not to this process's uid %u; refusing to use it",
            path, (unsigned) st.st_uid, (unsigned) geteuid());
        close(fd);
        return -1;
    }
    if (st.st_mode & (S_IWGRP | S_IWOTH)) {
        say("nrt_init", "the state directory %s is writable by group or others (mode %03o); refusing to use it",
            path, (unsigned) (st.st_mode & 0777));
        close(fd);
        return -1;
    }
    return fd;
}

/* Takes the lock of physical core p; false when another process (or open file) holds it. */
static int try_lock_physical(int dir, int p, bool *busy) {
    char name[32];
    snprintf(name, sizeof name, "nc%03d.lock", p);
    *busy = false;
    int fd = openat(dir, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0600);
    if (fd < 0) {
        say("nrt_init", "cannot open the lock file %s of physical core %d: %s", name, p, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
        say("nrt_init", "the lock file %s is not a regular file of this uid; refusing it", name);
        close(fd);
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK) {
            char pid[32] = "";
            ssize_t n = pread(fd, pid, sizeof pid - 1, 0);
            pid[n > 0 ? n : 0] = 0;
            pid[strcspn(pid, "\n")] = 0;
            /* The log line libnrt prints in this case (nrt-api 6.1), with the holder. */
            say("nrt_init", "nrt_allocate_neuron_cores NeuronCore(s) not available: physical core %d is held by process %s",
                p, *pid ? pid : "(unknown)");
            *busy = true;
        } else {
            say("nrt_init", "cannot lock %s: %s", name, strerror(errno));
        }
        close(fd);
        return -1;
    }
    char pid[32];
    int len = snprintf(pid, sizeof pid, "%ld\n", (long) getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t) len, 0) != len) {
        /* The pid is only for messages; the lock is what counts. */
    }
    return fd;
}

static void unlock_all_physical(void) {
    for (int p = 0; p < MAX_PHYS; p++) {
        if (lock_fd[p] >= 0) {
            close(lock_fd[p]);  /* drops the flock */
            lock_fd[p] = -1;
        }
    }
}

/* Locks the physical cores of logical cores first..first+count-1; on failure releases what it took.
 * Returns NRT_SUCCESS, NRT_RESOURCE (busy) or NRT_FAILURE (the state directory or a file is unusable);
 * *busy_logical is the first busy logical core. */
static NRT_STATUS lock_logical(int dir, int first, int count, int *busy_logical) {
    for (int l = first; l < first + count; l++) {
        for (int p = l * lnc; p < (l + 1) * lnc; p++) {
            bool busy;
            int fd = try_lock_physical(dir, p, &busy);
            if (fd < 0) {
                for (int q = first * lnc; q < MAX_PHYS && q < p; q++) {
                    if (lock_fd[q] >= 0) { close(lock_fd[q]); lock_fd[q] = -1; }
                }
                *busy_logical = l;
                return busy ? NRT_RESOURCE : NRT_FAILURE;
            }
            lock_fd[p] = fd;
        }
    }
    return NRT_SUCCESS;
}

/* ---- status, version, lifecycle, topology ---------------------------------------------------------- */

#ifndef NRT_DOUBLE_OLD_RUNTIME
const char *nrt_get_status_as_str(NRT_STATUS status) {
    switch (status) {
        case NRT_SUCCESS: return "Success";
        case NRT_FAILURE: return "Non specific failure";
        case NRT_INVALID: return "Invalid NEFF, bad instruction, bad DMA descriptor, input tensor name/size does not match the model, etc.";
        case NRT_INVALID_HANDLE: return "Invalid handle";
        case NRT_RESOURCE: return "Failed to allocate a resource for requested operation";
        case NRT_TIMEOUT: return "Operation timed out";
        case NRT_QUEUE_FULL: return "Execution input queue is full";
        case NRT_LOAD_NOT_ENOUGH_NC: return "The number of available NeuronCores is insufficient for the requested operation";
        case NRT_UNSUPPORTED_NEFF_VERSION: return "NEFF version unsupported";
        case NRT_UNINITIALIZED: return "Runtime is not initialized";
        case NRT_CLOSED: return "Runtime is closed";
        case NRT_EXEC_BAD_INPUT: return "Invalid input has been submitted to exec()";
        default: return "Unknown status";
    }
}
#endif

/* The version posed as: NRT4J_DOUBLE_RT_VERSION (a.b.c.d), default 2.34.10.0 (SDK 2.32), a runtime with the
 * v3 nrta API and its completion events, as this double exports them (nrt-api 4.9, 4.12). */
static void posed_version(unsigned long v[4]) {
    v[0] = 2; v[1] = 34; v[2] = 10; v[3] = 0;
    const char *env = getenv("NRT4J_DOUBLE_RT_VERSION");
    if (env != NULL && *env) {
        v[0] = v[1] = v[2] = v[3] = 0;
        sscanf(env, "%lu.%lu.%lu.%lu", &v[0], &v[1], &v[2], &v[3]);
    }
}

static bool version_at_least(unsigned long major, unsigned long minor, unsigned long patch) {
    unsigned long v[4];
    posed_version(v);
    if (v[0] != major) return v[0] > major;
    if (v[1] != minor) return v[1] > minor;
    return v[2] >= patch;
}

static bool version_at_least_2_30(void) {
    return version_at_least(2, 30, 0);
}

NRT_STATUS nrt_get_version(nrt_version_t *ver, size_t size) {
    if (ver == NULL) return NRT_INVALID;
    nrt_version_t v;
    memset(&v, 0, sizeof v);
    unsigned long p[4];
    posed_version(p);
    v.rt_major = p[0]; v.rt_minor = p[1]; v.rt_patch = p[2]; v.rt_maintenance = p[3];
    snprintf(v.rt_detail, sizeof v.rt_detail, "%lu.%lu.%lu.%lu-nrt4j-double", (unsigned long) v.rt_major,
             (unsigned long) v.rt_minor, (unsigned long) v.rt_patch, (unsigned long) v.rt_maintenance);
    snprintf(v.git_hash, sizeof v.git_hash, "0000000000000000000000000000000000000000");
    memcpy(ver, &v, size < sizeof v ? size : sizeof v);
    return NRT_SUCCESS;
}

/* What libnrt's inspect switch would profile into (nrt-api 7): recorded, not profiled. */
static void inspect_record(void) {
    const char *on = getenv("NEURON_RT_INSPECT_ENABLE");
    const char *dir = getenv("NEURON_RT_INSPECT_OUTPUT_DIR");
    if (on == NULL || strcmp(on, "1") != 0 || dir == NULL || *dir == '\0') return;
    char path[4096];
    int len = snprintf(path, sizeof path, "%s/nrt4j-double-inspect.txt", dir);
    if (len < 0 || (size_t) len >= sizeof path) return;
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        say("nrt_init", "cannot write to NEURON_RT_INSPECT_OUTPUT_DIR=%s", dir);
        return;
    }
    fprintf(f, "NEURON_RT_INSPECT_ENABLE=%s\nNEURON_RT_INSPECT_OUTPUT_DIR=%s\n", on, dir);
    fclose(f);
}

NRT_STATUS nrt_init(nrt_framework_type_t framework, const char *fw_version, const char *fal_version) {
    (void) fw_version; (void) fal_version;
    if (framework <= NRT_FRAMEWORK_TYPE_INVALID || framework > NRT_FRAMEWORK_TYPE_PRECHECK) {
        say("nrt_init", "framework type %d is not an nrt_framework_type_t (use NRT_FRAMEWORK_TYPE_NO_FW, 1)", (int) framework);
        return NRT_INVALID;
    }
    pthread_mutex_lock(&g_lock);
    NRT_STATUS s = NRT_SUCCESS;
    if (state == INITIALIZED) goto done; /* [undocumented; chosen] a second init is a no-op, as 3P-RE says */
    const struct instance_type *t = instance_from_env();
    if (t == NULL) { s = NRT_INVALID; goto done; }
    /* [undocumented; chosen] an LNC the chip does not have fails nrt_init with NRT_INVALID: the value is
     * an invalid configuration, nothing is short. */
    int n = lnc_from_env(t, "nrt_init");
    if (n == 0) { s = NRT_INVALID; goto done; }
    long sb = 1L << 30;
    const char *sbv = getenv("NRT4J_DOUBLE_STACK_BYTES");
    if (sbv != NULL && *sbv && (!parse_long(sbv, &sb) || sb <= 0)) {
        say("nrt_init", "NRT4J_DOUBLE_STACK_BYTES=%s is not a positive number of bytes", sbv);
        s = NRT_INVALID;
        goto done;
    }
#ifndef NRT_DOUBLE_OLD_RUNTIME
    if (!nrta_read_depth()) { s = NRT_INVALID; goto done; }
#endif
    int total = physical_total(t) / n, first = 0, count = 0;
    bool exact = false;
    s = core_request(total, &first, &count, &exact, "nrt_init");
    if (s != NRT_SUCCESS) goto done;
    /* [undocumented; chosen] a state directory (or lock file) the double cannot trust fails nrt_init
     * with NRT_FAILURE: a condition of the double's own machinery, for which no specific code fits. */
    int dir = open_state_dir();
    if (dir < 0) { s = NRT_FAILURE; goto done; }
    inst = t;
    lnc = n;
    int busy = -1;
    if (exact) {
        /* Named cores (or all of them): every one must be free. [undocumented; chosen] a busy core is
         * NRT_RESOURCE: libnrt logs "nrt_allocate_neuron_cores NeuronCore(s) not available" (nrt-api 6.1)
         * and a core held by another process is a resource this one cannot get. */
        s = lock_logical(dir, first, count, &busy);
    } else {
        /* [undocumented; chosen] NEURON_RT_NUM_CORES=N takes the first N contiguous logical cores that
         * are free, skipping cores other processes hold; none such is NRT_RESOURCE as above. */
        s = NRT_RESOURCE;
        for (int start = 0; start + count <= total; start++) {
            s = lock_logical(dir, start, count, &busy);
            if (s == NRT_SUCCESS) { first = start; break; }
            if (s != NRT_RESOURCE) break;
            start = busy; /* the window cannot contain the busy core */
        }
        if (s == NRT_RESOURCE) {
            say("nrt_init", "nrt_allocate_neuron_cores NeuronCore(s) not available: no %d contiguous free logical cores", count);
        }
    }
    close(dir);
    if (s != NRT_SUCCESS) goto done;
    visible_first = first;
    visible_count = count;
    stack_bytes = (size_t) sb;
    memset(used_bytes, 0, sizeof used_bytes);
    memset(models_on, 0, sizeof models_on);
    epoch++;
    state = INITIALIZED;
    inspect_record();
done:
    pthread_mutex_unlock(&g_lock);
    return s;
}

void nrt_close(void) {
    pthread_mutex_lock(&g_lock);
    if (state == INITIALIZED) {
#ifndef NRT_DOUBLE_OLD_RUNTIME
        nrta_drain_at_close();
#endif
        state = CLOSED;
        unlock_all_physical();
    }
    pthread_mutex_unlock(&g_lock);
}

#ifndef NRT_DOUBLE_OLD_RUNTIME
NRT_STATUS nrt_get_instance_info(nrt_instance_info_t *info, size_t instance_info_len) {
    if (info == NULL) return NRT_INVALID;
    pthread_mutex_lock(&g_lock);
    const struct instance_type *t = state == INITIALIZED ? inst : instance_from_env();
    pthread_mutex_unlock(&g_lock);
    if (t == NULL) return NRT_INVALID;
    nrt_instance_info_t i;
    memset(&i, 0, sizeof i);
    i.family = t->family;
    i.size = t->size;
    snprintf(i.arch_name, sizeof i.arch_name, "%s", t->arch);
    snprintf(i.device_revision, sizeof i.device_revision, "%s", t->revision);
    memcpy(info, &i, instance_info_len < sizeof i ? instance_info_len : sizeof i);
    return NRT_SUCCESS;
}
#endif

/* Logical cores of the instance: of this init, or (before it) as the environment says now. */
static NRT_STATUS total_logical(int *total, const char *function) {
    if (state == INITIALIZED) {
        *total = physical_total(inst) / lnc;
        return NRT_SUCCESS;
    }
    const struct instance_type *t = instance_from_env();
    if (t == NULL) return NRT_INVALID;
    int n = lnc_from_env(t, function);
    if (n == 0) return NRT_INVALID;
    *total = physical_total(t) / n;
    return NRT_SUCCESS;
}

NRT_STATUS nrt_get_total_nc_count(uint32_t *vnc_count) {
    if (vnc_count == NULL) return NRT_INVALID;
    pthread_mutex_lock(&g_lock);
    int total = 0;
    NRT_STATUS s = total_logical(&total, "nrt_get_total_nc_count");
    pthread_mutex_unlock(&g_lock);
    if (s == NRT_SUCCESS) *vnc_count = (uint32_t) total;
    return s;
}

#ifndef NRT_DOUBLE_OLD_RUNTIME
NRT_STATUS nrt_get_total_vnc_count(uint32_t *vnc_count) {
    return nrt_get_total_nc_count(vnc_count);
}
#endif

NRT_STATUS nrt_get_visible_nc_count(uint32_t *vnc_count) {
    if (vnc_count == NULL) return NRT_INVALID;
    pthread_mutex_lock(&g_lock);
    int count = 0, first, total;
    bool exact;
    NRT_STATUS s = NRT_SUCCESS;
    if (state == INITIALIZED) {
        count = visible_count;
    } else {
        s = total_logical(&total, "nrt_get_visible_nc_count");
        if (s == NRT_SUCCESS) s = core_request(total, &first, &count, &exact, "nrt_get_visible_nc_count");
    }
    pthread_mutex_unlock(&g_lock);
    if (s == NRT_SUCCESS) *vnc_count = (uint32_t) count;
    return s;
}

#ifndef NRT_DOUBLE_OLD_RUNTIME
NRT_STATUS nrt_get_visible_vnc_count(uint32_t *vnc_count) {
    return nrt_get_visible_nc_count(vnc_count);
}
#endif

/* ---- numbers --------------------------------------------------------------------------------------- */

static float f16_to_f32(uint16_t h) {
    uint32_t s = (uint32_t) (h & 0x8000u) << 16, e = (h >> 10) & 0x1fu, m = h & 0x3ffu;
    if (e == 0) {
        float v = ldexpf((float) m, -24);
        return s ? -v : v;
    }
    uint32_t bits = e == 31 ? (s | 0x7f800000u | (m << 13)) : (s | ((e + 112) << 23) | (m << 13));
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

/* v rounded to nearest even in a binary format of p significant bits, minimum normal exponent emin and
 * largest finite value max; exact for every double input (one rounding, gradual underflow). */
static double round_format(double v, int p, int emin, double max) {
    if (!isfinite(v) || v == 0) return v;
    int e = ilogb(v);
    if (e < emin) e = emin;
    double r = ldexp(nearbyint(ldexp(v, p - 1 - e)), e - (p - 1));
    return fabs(r) > max ? copysign(INFINITY, v) : r;
}

static uint16_t to_f16(double v) {
    uint16_t sign = signbit(v) ? 0x8000 : 0;
    if (isnan(v)) return sign | 0x7e00;
    double r = fabs(round_format(v, 11, -14, 65504.0));
    if (isinf(r)) return sign | 0x7c00;
    if (r == 0) return sign;
    int e = ilogb(r);
    if (e < -14) return sign | (uint16_t) ldexp(r, 24);
    return sign | (uint16_t) ((e + 15) << 10) | (uint16_t) (ldexp(r, 10 - e) - 1024);
}

static uint16_t to_bf16(double v) {
    float f = (float) (isnan(v) ? v : round_format(v, 8, -126, 0x1.FEp127));
    uint32_t bits;
    memcpy(&bits, &f, 4);
    if (isnan(v)) bits |= 0x00400000u; /* stays a (quiet) NaN after the cut */
    return (uint16_t) (bits >> 16);
}

static float get_f(const unsigned char *p, enum dt t, size_t i) {
    if (t == DT_F32) { float f; memcpy(&f, p + 4 * i, 4); return f; }
    uint16_t h;
    memcpy(&h, p + 2 * i, 2);
    if (t == DT_F16) return f16_to_f32(h);
    uint32_t bits = (uint32_t) h << 16;
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

/* Stores v rounded once to t (f32: the C conversion, round to nearest even). */
static void put_f(unsigned char *p, enum dt t, size_t i, double v) {
    if (t == DT_F32) { float f = (float) v; memcpy(p + 4 * i, &f, 4); return; }
    uint16_t h = t == DT_F16 ? to_f16(v) : to_bf16(v);
    memcpy(p + 2 * i, &h, 2);
}

/* Integers and pred as 64-bit two's complement (signed types sign-extended); pred reads as 0 or 1. */
static uint64_t get_i(const unsigned char *p, enum dt t, size_t i) {
    switch (t) {
        case DT_S32: { int32_t v; memcpy(&v, p + 4 * i, 4); return (uint64_t) (int64_t) v; }
        case DT_S64: { uint64_t v; memcpy(&v, p + 8 * i, 8); return v; }
        case DT_S8: return (uint64_t) (int64_t) (int8_t) p[i];
        case DT_PRED: return p[i] != 0;
        default: return p[i];
    }
}

/* Stores the low bits of v (the wrap of two's complement); pred stores 0 or 1. */
static void put_i(unsigned char *p, enum dt t, size_t i, uint64_t v) {
    switch (t) {
        case DT_S32: { uint32_t w = (uint32_t) v; memcpy(p + 4 * i, &w, 4); return; }
        case DT_S64: memcpy(p + 8 * i, &v, 8); return;
        case DT_PRED: p[i] = v != 0; return;
        default: p[i] = (unsigned char) v; return;
    }
}

/* ---- NEFF container --------------------------------------------------------------------------------- */

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
    if (out == NULL) { inflateEnd(&z); return NULL; }
    z.next_in = (unsigned char *) in;
    z.avail_in = (uInt) n;
    int r;
    do {
        if (len == cap) {
            if (cap >= MAX_PAYLOAD) { r = Z_MEM_ERROR; break; }
            cap *= 2;
            unsigned char *grown = realloc(out, cap);
            if (grown == NULL) { r = Z_MEM_ERROR; break; }
            out = grown;
        }
        z.next_out = out + len;
        z.avail_out = (uInt) (cap - len);
        r = inflate(&z, Z_NO_FLUSH);
        len = cap - z.avail_out;
    } while (r == Z_OK);
    inflateEnd(&z);
    if (r != Z_STREAM_END) {
        if (r == Z_MEM_ERROR) say("nrt_load", "the payload inflates to more than %u bytes", MAX_PAYLOAD);
        else say("nrt_load", "the gzip payload is corrupt");
        free(out);
        return NULL;
    }
    *out_n = len;
    return out;
}

struct member { const unsigned char *data; size_t size; };

/* Finds a regular file in a tar archive: by exact name, or (prefix_sg) as sgNN followed by the suffix. */
static bool tar_find(const unsigned char *tar, size_t n, const char *wanted_suffix, bool prefix_sg, struct member *found) {
    size_t at = 0;
    while (at + 512 <= n) {
        const unsigned char *h = tar + at;
        if (h[0] == 0) return false;
        unsigned sum = 0, stored;
        for (int i = 0; i < 512; i++) sum += (i >= 148 && i < 156) ? ' ' : h[i];
        char field[13];
        memcpy(field, h + 148, 8);
        field[8] = 0;
        if (sscanf(field, "%o", &stored) != 1 || stored != sum) return false;
        char name[101];
        memcpy(name, h, 100);
        name[100] = 0;
        unsigned long long size;
        memcpy(field, h + 124, 12);
        field[12] = 0;
        if (sscanf(field, "%llo", &size) != 1) return false;
        if (size > n - at - 512) return false;
        if (h[156] == '0' || h[156] == 0) {
            size_t nl = strlen(name), sl = strlen(wanted_suffix);
            bool match = prefix_sg
                    ? (nl == 4 + sl && name[0] == 's' && name[1] == 'g' && name[2] >= '0' && name[2] <= '9'
                       && name[3] >= '0' && name[3] <= '9' && strcmp(name + 4, wanted_suffix) == 0)
                    : strcmp(name, wanted_suffix) == 0;
            if (match) {
                found->data = h + 512;
                found->size = (size_t) size;
                return true;
            }
        }
        at += 512 + (size_t) ((size + 511) / 512) * 512;
    }
    return false;
}

/* ---- def.json: a small strict JSON reader ----------------------------------------------------------- */

struct json { const char *p, *end; const char *err; };

static void j_ws(struct json *j) {
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t')) j->p++;
}

static bool j_char(struct json *j, char c) {
    j_ws(j);
    if (j->p < j->end && *j->p == c) { j->p++; return true; }
    return false;
}

static bool j_fail(struct json *j, const char *why) {
    if (j->err == NULL) j->err = why;
    return false;
}

/* A string into out (NUL-terminated, at most cap-1 bytes; longer is an error). */
static bool j_string(struct json *j, char *out, size_t cap) {
    if (!j_char(j, '"')) return j_fail(j, "expected a string");
    size_t n = 0;
    while (j->p < j->end && *j->p != '"') {
        unsigned char c = (unsigned char) *j->p++;
        if (c < 0x20) return j_fail(j, "control character in a string");
        if (c == '\\') {
            if (j->p >= j->end) return j_fail(j, "unterminated string");
            char e = *j->p++;
            switch (e) {
                case '"': case '\\': case '/': c = (unsigned char) e; break;
                case 'b': c = '\b'; break;
                case 'f': c = '\f'; break;
                case 'n': c = '\n'; break;
                case 'r': c = '\r'; break;
                case 't': c = '\t'; break;
                case 'u': {
                    unsigned cp = 0;
                    for (int k = 0; k < 4; k++) {
                        if (j->p >= j->end) return j_fail(j, "bad \\u escape");
                        char h = *j->p++;
                        int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                                : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                        if (d < 0) return j_fail(j, "bad \\u escape");
                        cp = cp * 16 + (unsigned) d;
                    }
                    if (cp == 0 || cp >= 0x80) return j_fail(j, "\\u escapes outside ASCII are not supported here");
                    c = (unsigned char) cp;
                    break;
                }
                default: return j_fail(j, "bad escape in a string");
            }
        }
        if (out == NULL) continue;
        if (n + 1 >= cap) return j_fail(j, "a name longer than 255 bytes");
        out[n++] = (char) c;
    }
    if (j->p >= j->end) return j_fail(j, "unterminated string");
    j->p++;
    if (out != NULL) out[n] = 0;
    return true;
}

static bool j_skip(struct json *j, int depth);

static bool j_number(struct json *j, double *v) {
    j_ws(j);
    const char *s = j->p;
    if (j->p < j->end && *j->p == '-') j->p++;
    while (j->p < j->end && ((*j->p >= '0' && *j->p <= '9') || *j->p == '.' || *j->p == 'e' || *j->p == 'E'
                             || *j->p == '+' || *j->p == '-')) j->p++;
    if (j->p == s) return j_fail(j, "expected a value");
    char buf[64];
    size_t len = (size_t) (j->p - s);
    if (len >= sizeof buf) return j_fail(j, "a number too long");
    memcpy(buf, s, len);
    buf[len] = 0;
    char *end;
    *v = strtod(buf, &end);
    if (*end != 0) return j_fail(j, "a malformed number");
    return true;
}

static bool j_skip(struct json *j, int depth) {
    if (depth > 64) return j_fail(j, "nested too deep");
    j_ws(j);
    if (j->p >= j->end) return j_fail(j, "ends early");
    char c = *j->p;
    if (c == '"') return j_string(j, NULL, 0);
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        j->p++;
        if (j_char(j, close)) return true;
        do {
            if (c == '{') {
                if (!j_string(j, NULL, 0) || !j_char(j, ':')) return j_fail(j, "malformed object");
            }
            if (!j_skip(j, depth + 1)) return false;
        } while (j_char(j, ','));
        return j_char(j, close) || j_fail(j, "malformed object or array");
    }
    static const char *const words[] = {"true", "false", "null"};
    for (int k = 0; k < 3; k++) {
        size_t l = strlen(words[k]);
        if ((size_t) (j->end - j->p) >= l && memcmp(j->p, words[k], l) == 0) { j->p += l; return true; }
    }
    double ignored;
    return j_number(j, &ignored);
}

/* One entry of "var": {"type": "input"|"output"|..., "var_id": N, "size": N, ...}. */
static bool j_var(struct json *j, struct io *io, bool *keep) {
    char key[64], type[64] = "";
    double size = -1, var_id = -1;
    if (!j_char(j, '{')) return j_fail(j, "a var entry is not an object");
    if (!j_char(j, '}')) {
        do {
            if (!j_string(j, key, sizeof key) || !j_char(j, ':')) return j_fail(j, "malformed var entry");
            if (strcmp(key, "type") == 0) {
                if (!j_string(j, type, sizeof type)) return false;
            } else if (strcmp(key, "size") == 0) {
                if (!j_number(j, &size)) return false;
            } else if (strcmp(key, "var_id") == 0) {
                if (!j_number(j, &var_id)) return false;
            } else if (!j_skip(j, 2)) {
                return false;
            }
        } while (j_char(j, ','));
        if (!j_char(j, '}')) return j_fail(j, "malformed var entry");
    }
    *keep = strcmp(type, "input") == 0 || strcmp(type, "output") == 0;
    if (!*keep) return true;
    if (!(size >= 0 && size <= 1e15 && size == floor(size))) return j_fail(j, "an input or output without a whole \"size\"");
    if (var_id != -1 && !(var_id >= 0 && var_id <= 1e15 && var_id == floor(var_id))) return j_fail(j, "a bad \"var_id\"");
    io->usage = type[0] == 'i' ? NRT_TENSOR_USAGE_INPUT : NRT_TENSOR_USAGE_OUTPUT;
    io->size = (size_t) size;
    io->var_id = (long long) var_id;
    io->value = -1;
    return true;
}

static int io_order(const void *a, const void *b) {
    const struct io *x = a, *y = b;
    if (x->usage != y->usage) return x->usage - y->usage;
    if (x->var_id != y->var_id) return x->var_id < y->var_id ? -1 : 1;
    return 0;
}

/* The inputs and outputs of def.json, inputs first then outputs, each by var_id. -1 on error. */
static int parse_def_json(const char *text, size_t n, struct io *io) {
    struct json j = {text, text + n, NULL};
    char key[NRT_TENSOR_NAME_MAX];
    int count = 0;
    bool have_var = false;
    if (!j_char(&j, '{')) { j_fail(&j, "not a JSON object"); goto fail; }
    if (!j_char(&j, '}')) {
        do {
            if (!j_string(&j, key, sizeof key) || !j_char(&j, ':')) { j_fail(&j, "malformed object"); goto fail; }
            if (strcmp(key, "var") != 0) {
                if (!j_skip(&j, 1)) goto fail;
                continue;
            }
            have_var = true;
            if (!j_char(&j, '{')) { j_fail(&j, "\"var\" is not an object"); goto fail; }
            if (j_char(&j, '}')) continue;
            do {
                struct io entry;
                memset(&entry, 0, sizeof entry);
                bool keep;
                if (!j_string(&j, entry.name, sizeof entry.name) || !j_char(&j, ':')) { j_fail(&j, "malformed \"var\""); goto fail; }
                if (!j_var(&j, &entry, &keep)) goto fail;
                if (!keep) continue;
                for (int i = 0; i < count; i++) {
                    if (strcmp(io[i].name, entry.name) == 0) { j_fail(&j, "a variable named twice"); goto fail; }
                }
                if (count == MAX_IO) { j_fail(&j, "more than 64 inputs and outputs"); goto fail; }
                if (entry.var_id < 0) entry.var_id = count;
                io[count++] = entry;
            } while (j_char(&j, ','));
            if (!j_char(&j, '}')) { j_fail(&j, "malformed \"var\""); goto fail; }
        } while (j_char(&j, ','));
        if (!j_char(&j, '}')) { j_fail(&j, "malformed object"); goto fail; }
    }
    j_ws(&j);
    if (j.p != j.end) { j_fail(&j, "text after the object"); goto fail; }
    if (!have_var) { j_fail(&j, "no \"var\" object"); goto fail; }
    qsort(io, (size_t) count, sizeof *io, io_order);
    return count;
fail:
    say("nrt_load", "def.json: %s (at byte %ld)", j.err ? j.err : "malformed", (long) (j.p - text));
    return -1;
}

/* ---- the program ------------------------------------------------------------------------------------ */

struct parser { int line; const char *why; char detail[300]; };

static bool perr(struct parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool perr(struct parser *ps, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->detail, sizeof ps->detail, fmt, ap);
    va_end(ap);
    return false;
}

static int dt_of(const char *s) {
    for (int t = 0; t < DT_COUNT; t++) if (strcmp(DT[t].name, s) == 0) return t;
    return -1;
}

/* A decimal count: digits only, no sign, at most max. */
static bool parse_count(const char *s, unsigned long max, unsigned long *out) {
    if (*s == 0 || strlen(s) > 12) return false;
    for (const char *p = s; *p; p++) if (*p < '0' || *p > '9') return false;
    if (s[0] == '0' && s[1] != 0) return false;
    unsigned long v = strtoul(s, NULL, 10);
    if (v > max) return false;
    *out = v;
    return true;
}

/* "%K" naming an already defined value. */
static bool parse_ref(struct parser *ps, const char *s, int defined, int *out) {
    unsigned long k;
    if (s[0] != '%' || !parse_count(s + 1, MAX_STMTS, &k)) return perr(ps, "'%s' is not a value reference like %%0", s);
    if ((int) k >= defined) return perr(ps, "%s is used before it is defined", s);
    *out = (int) k;
    return true;
}

static bool parse_dims(struct parser *ps, char **tok, int ntok, struct stmt *st) {
    if (ntok > MAX_DIMS) return perr(ps, "%d dims; at most %d", ntok, MAX_DIMS);
    st->ndim = (uint32_t) ntok;
    size_t elems = 1;
    for (int i = 0; i < ntok; i++) {
        unsigned long d;
        if (!parse_count(tok[i], UINT32_MAX, &d)) return perr(ps, "dim '%s' is not a whole number", tok[i]);
        st->dims[i] = (uint32_t) d;
        if (d != 0 && elems > MAX_VALUE_BYTES / d) return perr(ps, "the shape is too large");
        elems *= d;
    }
    if (elems * DT[st->dt].bytes > MAX_VALUE_BYTES) return perr(ps, "the shape is too large");
    st->elems = elems;
    return true;
}

static bool parse_const(struct parser *ps, const char *v, struct stmt *st) {
    char *end;
    st->ndim = 0;
    st->elems = 1;
    if (DT[st->dt].is_float) {
        errno = 0;
        double d = strtod(v, &end);
        if (end == v || *end != 0) return perr(ps, "'%s' is not a %s constant", v, DT[st->dt].name);
        put_f(st->cval, st->dt, 0, d);
        return true;
    }
    if (st->dt == DT_PRED) {
        if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0) return perr(ps, "a pred constant is 0 or 1, not '%s'", v);
        st->cval[0] = v[0] == '1';
        return true;
    }
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (end == v || *end != 0 || errno == ERANGE) return perr(ps, "'%s' is not a %s constant", v, DT[st->dt].name);
    long long lo = st->dt == DT_S8 ? -128 : st->dt == DT_U8 ? 0 : st->dt == DT_S32 ? INT32_MIN : LLONG_MIN;
    long long hi = st->dt == DT_S8 ? 127 : st->dt == DT_U8 ? 255 : st->dt == DT_S32 ? INT32_MAX : LLONG_MAX;
    if (x < lo || x > hi) return perr(ps, "%s is out of range for %s", v, DT[st->dt].name);
    put_i(st->cval, st->dt, 0, (uint64_t) x);
    return true;
}

static bool same_shape(const struct stmt *a, const struct stmt *b) {
    if (a->ndim != b->ndim) return false;
    for (uint32_t i = 0; i < a->ndim; i++) if (a->dims[i] != b->dims[i]) return false;
    return true;
}

static void shape_text(const struct stmt *s, char *out, size_t cap) {
    int n = snprintf(out, cap, "%s[", DT[s->dt].name);
    for (uint32_t i = 0; i < s->ndim && n > 0 && (size_t) n < cap; i++) n += snprintf(out + n, cap - (size_t) n, i ? ",%u" : "%u", s->dims[i]);
    if (n > 0 && (size_t) n < cap) snprintf(out + n, cap - (size_t) n, "]");
}

static struct io *find_io(struct nrt_model *m, const char *name) {
    for (int i = 0; i < m->nio; i++) if (strcmp(m->io[i].name, name) == 0) return &m->io[i];
    return NULL;
}

/* One statement (its tokens). */
static bool parse_statement(struct parser *ps, struct nrt_model *m, char **tok, int ntok, bool *have_cores, bool *have_ranks) {
    if (strcmp(tok[0], "cores") == 0 || strcmp(tok[0], "ranks") == 0) {
        bool cores = tok[0][0] == 'c';
        unsigned long n;
        if (ntok != 2 || !parse_count(tok[1], cores ? MAX_PHYS : MAX_RANKS, &n) || n == 0) {
            return perr(ps, "'%s N' takes one whole number from 1 to %d", tok[0], cores ? MAX_PHYS : MAX_RANKS);
        }
        if (cores ? *have_cores : *have_ranks) return perr(ps, "'%s' is given twice", tok[0]);
        if (cores) { *have_cores = true; m->cores = (int) n; }
        else { *have_ranks = true; m->ranks = (int) n; }
        return true;
    }
    if (strcmp(tok[0], "output") == 0) {
        int v;
        if (ntok != 3) return perr(ps, "'output NAME %%K' takes two operands");
        struct io *io = find_io(m, tok[1]);
        if (io == NULL || io->usage != NRT_TENSOR_USAGE_OUTPUT) return perr(ps, "'%s' is not an output in def.json", tok[1]);
        if (io->value >= 0) return perr(ps, "output '%s' is written twice", tok[1]);
        if (!parse_ref(ps, tok[2], m->nstmt, &v)) return false;
        const struct stmt *s = &m->stmt[v];
        if (s->elems * DT[s->dt].bytes != io->size) {
            char sh[128];
            shape_text(s, sh, sizeof sh);
            return perr(ps, "output '%s' has %zu bytes in def.json but %s is %s, %zu bytes", tok[1], io->size, tok[2], sh,
                        s->elems * DT[s->dt].bytes);
        }
        io->value = v;
        return true;
    }
    if (tok[0][0] != '%') return perr(ps, "'%s' does not start a statement (nrt4j-program 2, cores, ranks, %%K = ..., output)", tok[0]);
    unsigned long k;
    if (!parse_count(tok[0] + 1, MAX_STMTS, &k)) return perr(ps, "'%s' is not a value name like %%0", tok[0]);
    if ((int) k != m->nstmt) return perr(ps, "%s is defined out of order; the next value is %%%d", tok[0], m->nstmt);
    if (m->nstmt == MAX_STMTS) return perr(ps, "more than %d values", MAX_STMTS);
    if (ntok < 3 || strcmp(tok[1], "=") != 0) return perr(ps, "expected '%s = OP ...'", tok[0]);
    struct stmt *st = &m->stmt[m->nstmt];
    memset(st, 0, sizeof *st);
    st->io = -1;
    const char *op = tok[2];
    char **arg = tok + 3;
    int nargs = ntok - 3;
    if (strcmp(op, "input") == 0) {
        if (nargs < 2) return perr(ps, "'input NAME DTYPE DIMS...' needs a name and a dtype");
        struct io *io = find_io(m, arg[0]);
        if (io == NULL || io->usage != NRT_TENSOR_USAGE_INPUT) return perr(ps, "'%s' is not an input in def.json", arg[0]);
        if (io->value >= 0) return perr(ps, "input '%s' is bound twice", arg[0]);
        int t = dt_of(arg[1]);
        if (t < 0) return perr(ps, "'%s' is not a dtype (f32 bf16 f16 s32 s64 s8 u8 pred)", arg[1]);
        st->op = O_INPUT;
        st->dt = (enum dt) t;
        if (!parse_dims(ps, arg + 2, nargs - 2, st)) return false;
        if (st->elems * DT[st->dt].bytes != io->size) {
            return perr(ps, "input '%s' has %zu bytes in def.json but the line says %zu", arg[0], io->size, st->elems * DT[st->dt].bytes);
        }
        st->io = (int) (io - m->io);
        io->value = m->nstmt;
    } else if (strcmp(op, "const") == 0) {
        if (nargs != 2) return perr(ps, "'const DTYPE VALUE' takes two operands");
        int t = dt_of(arg[0]);
        if (t < 0 || t == DT_X4PACKED) return perr(ps, "'%s' is not a dtype for a constant", arg[0]);
        st->op = O_CONST;
        st->dt = (enum dt) t;
        if (!parse_const(ps, arg[1], st)) return false;
    } else if (strcmp(op, "broadcast") == 0) {
        if (nargs < 1) return perr(ps, "'broadcast %%A DIMS...' needs an operand");
        if (!parse_ref(ps, arg[0], m->nstmt, &st->a)) return false;
        const struct stmt *a = &m->stmt[st->a];
        if (a->ndim != 0) return perr(ps, "broadcast takes a scalar; %s has %u dims", arg[0], a->ndim);
        if (a->dt == DT_X4PACKED) return perr(ps, "x4packed values cannot be broadcast");
        st->op = O_BROADCAST;
        st->dt = a->dt;
        if (!parse_dims(ps, arg + 1, nargs - 1, st)) return false;
    } else if (strcmp(op, "add") == 0 || strcmp(op, "multiply") == 0 || strcmp(op, "dot") == 0) {
        if (nargs != 2) return perr(ps, "'%s %%A %%B' takes two operands", op);
        if (!parse_ref(ps, arg[0], m->nstmt, &st->a) || !parse_ref(ps, arg[1], m->nstmt, &st->b)) return false;
        const struct stmt *a = &m->stmt[st->a], *b = &m->stmt[st->b];
        char sa[128], sb[128];
        shape_text(a, sa, sizeof sa);
        shape_text(b, sb, sizeof sb);
        if (a->dt != b->dt) return perr(ps, "%s of %s and %s: the dtypes differ", op, sa, sb);
        if (a->dt == DT_X4PACKED) return perr(ps, "no arithmetic on x4packed values");
        st->dt = a->dt;
        if (op[0] == 'd') {
            if (a->ndim != 2 || b->ndim != 2 || a->dims[1] != b->dims[0]) return perr(ps, "dot of %s and %s: needs [m,k] and [k,n]", sa, sb);
            st->op = O_DOT;
            st->ndim = 2;
            st->dims[0] = a->dims[0];
            st->dims[1] = b->dims[1];
            if (st->dims[1] != 0 && st->dims[0] > MAX_VALUE_BYTES / DT[st->dt].bytes / st->dims[1]) return perr(ps, "the shape is too large");
            st->elems = (size_t) st->dims[0] * st->dims[1];
        } else {
            if (!same_shape(a, b)) return perr(ps, "%s of %s and %s: the shapes differ", op, sa, sb);
            st->op = op[0] == 'a' ? O_ADD : O_MULTIPLY;
            st->ndim = a->ndim;
            memcpy(st->dims, a->dims, sizeof st->dims);
            st->elems = a->elems;
        }
    } else if (strcmp(op, "copy") == 0 || strcmp(op, "all-reduce-sum") == 0 || strcmp(op, "loop-forever") == 0) {
        if (nargs != 1) return perr(ps, "'%s %%A' takes one operand", op);
        if (!parse_ref(ps, arg[0], m->nstmt, &st->a)) return false;
        const struct stmt *a = &m->stmt[st->a];
        st->op = op[0] == 'c' ? O_COPY : op[0] == 'a' ? O_ALL_REDUCE : O_LOOP_FOREVER;
        if (st->op == O_ALL_REDUCE && a->dt == DT_X4PACKED) return perr(ps, "no arithmetic on x4packed values");
        st->dt = a->dt;
        st->ndim = a->ndim;
        memcpy(st->dims, a->dims, sizeof st->dims);
        st->elems = a->elems;
    } else {
        return perr(ps, "'%s' is not an op (input const broadcast add multiply copy dot all-reduce-sum loop-forever)", op);
    }
    m->nstmt++;
    return true;
}

/* Parses and checks the whole program against def.json (already in m->io). */
static bool parse_program(const unsigned char *data, size_t n, struct nrt_model *m) {
    struct parser ps = {0, NULL, ""};
    bool ok = true, have_header = false, have_cores = false, have_ranks = false;
    m->cores = 1;
    m->ranks = 1;
    m->stmt = calloc(MAX_STMTS, sizeof *m->stmt);
    if (m->stmt == NULL) return false;
    if (memchr(data, 0, n) != NULL) {
        say("nrt_load", "nrt4j.program contains a NUL byte; it is text");
        return false;
    }
    char *text = malloc(n + 1);
    if (text == NULL) return false;
    memcpy(text, data, n);
    text[n] = 0;
    char *line = text;
    while (ok && line != NULL) {
        char *next = strchr(line, '\n');
        if (next) *next++ = 0;
        ps.line++;
        char *hash = strchr(line, '#');
        if (hash) *hash = 0;
        for (char *c = line; *c; c++) {
            if ((unsigned char) *c < 0x20 || *c == 0x7f) {
                ok = perr(&ps, "control character 0x%02x; tokens are separated by spaces", (unsigned) (unsigned char) *c);
                break;
            }
        }
        char *tok[MAX_DIMS + 8];
        int ntok = 0;
        for (char *c = line; ok && *c;) {
            while (*c == ' ') c++;
            if (!*c) break;
            if (ntok == (int) (sizeof tok / sizeof tok[0])) { ok = perr(&ps, "too many tokens"); break; }
            tok[ntok++] = c;
            while (*c && *c != ' ') c++;
            if (*c) *c++ = 0;
        }
        if (ok && ntok > 0) {
            if (!have_header) {
                if (ntok != 2 || strcmp(tok[0], "nrt4j-program") != 0 || strcmp(tok[1], "2") != 0) {
                    ok = perr(&ps, "the first statement must be 'nrt4j-program 2' (this double reads format 2 only)");
                }
                have_header = true;
            } else {
                ok = parse_statement(&ps, m, tok, ntok, &have_cores, &have_ranks);
            }
        }
        line = next;
    }
    free(text);
    if (!ok) {
        say("nrt_load", "nrt4j.program line %d: %s", ps.line, ps.detail);
        return false;
    }
    if (!have_header) {
        say("nrt_load", "nrt4j.program is empty; it must start with 'nrt4j-program 2'");
        return false;
    }
    for (int i = 0; i < m->nio; i++) {
        if (m->io[i].value < 0) {
            say("nrt_load", "nrt4j.program: def.json %s '%s' is never %s", m->io[i].usage == 0 ? "input" : "output", m->io[i].name,
                m->io[i].usage == 0 ? "bound by an input line" : "written by an output line");
            return false;
        }
    }
    return true;
}

static uint64_t fnv1a(const unsigned char *p, size_t n) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) { h ^= p[i]; h *= 0x100000001b3ull; }
    return h;
}

/* ---- collectives -------------------------------------------------------------------------------------- */

struct round {
    int arrived, holders;
    bool done;
    enum dt dt;
    size_t elems;
    unsigned char *contrib[MAX_RANKS];
    unsigned char *result;
};

struct group {
    uint64_t hash;
    int ranks, users;
    struct round *cur;
    pthread_cond_t cv;
    struct group *next;
};

static struct group *groups;

/* The group of a program (coll_lock held); NULL when memory is short. */
static struct group *group_for(uint64_t hash, int ranks) {
    for (struct group *g = groups; g; g = g->next) {
        if (g->hash == hash && g->ranks == ranks) { g->users++; return g; }
    }
    struct group *g = calloc(1, sizeof *g);
    if (g == NULL) return NULL;
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(&g->cv, &a);
    pthread_condattr_destroy(&a);
    g->hash = hash;
    g->ranks = ranks;
    g->users = 1;
    g->next = groups;
    groups = g;
    return g;
}

static void free_round(struct round *r) {
    for (int i = 0; i < MAX_RANKS; i++) free(r->contrib[i]);
    free(r->result);
    free(r);
}

/* coll_lock held: drops a user; the last one frees the group (no round can be pending then). */
static void group_release(struct group *g) {
    if (--g->users > 0) return;
    for (struct group **p = &groups; *p; p = &(*p)->next) {
        if (*p == g) { *p = g->next; break; }
    }
    if (g->cur) free_round(g->cur);
    pthread_cond_destroy(&g->cv);
    free(g);
}

static void reduce_sum(struct round *r, int ranks) {
    size_t bytes = r->elems * DT[r->dt].bytes;
    r->result = malloc(bytes ? bytes : 1);
    if (r->result == NULL) abort();
    for (size_t i = 0; i < r->elems; i++) {
        if (DT[r->dt].is_float) {
            float acc = get_f(r->contrib[0], r->dt, i);
            for (int k = 1; k < ranks; k++) {
                float x = get_f(r->contrib[k], r->dt, i);
                acc = acc + x;
            }
            put_f(r->result, r->dt, i, acc);
        } else {
            uint64_t acc = get_i(r->contrib[0], r->dt, i);
            for (int k = 1; k < ranks; k++) {
                uint64_t x = get_i(r->contrib[k], r->dt, i);
                acc = r->dt == DT_PRED ? (acc | x) : acc + x;
            }
            put_i(r->result, r->dt, i, acc);
        }
    }
}

/* Rank `rank` brings `in`; on success `out` holds the sum over all ranks. A rank whose peers do not all
 * arrive by the deadline takes its contribution back (the group is clean for the next round) and gets
 * NRT_TIMEOUT. A rank already waiting in the current round (the same rank executing twice at once)
 * waits for the next round. */
static NRT_STATUS all_reduce(struct group *g, int rank, enum dt t, size_t elems, const unsigned char *in,
                             unsigned char *out, const struct timespec *deadline) {
    size_t bytes = elems * DT[t].bytes;
    NRT_STATUS s = NRT_SUCCESS;
    pthread_mutex_lock(&coll_lock);
    for (;;) {
        if (g->cur == NULL) {
            g->cur = calloc(1, sizeof *g->cur);
            if (g->cur == NULL) abort();
            g->cur->dt = t;
            g->cur->elems = elems;
        }
        if (g->cur->contrib[rank] == NULL) break;
        if (pthread_cond_timedwait(&g->cv, &coll_lock, deadline) == ETIMEDOUT) {
            pthread_mutex_unlock(&coll_lock);
            return NRT_TIMEOUT;
        }
    }
    struct round *r = g->cur;
    if (r->dt != t || r->elems != elems) {
        /* Ranks of one group run the same program text, so this means the ranks disagree. */
        say("nrt_execute", "all-reduce-sum: rank %d brings %zu %s elements, the others %zu %s", rank, elems, DT[t].name,
            r->elems, DT[r->dt].name);
        pthread_mutex_unlock(&coll_lock);
        return NRT_INVALID;
    }
    r->contrib[rank] = malloc(bytes ? bytes : 1);
    if (r->contrib[rank] == NULL) abort();
    memcpy(r->contrib[rank], in, bytes);
    r->arrived++;
    r->holders++;
    if (r->arrived == g->ranks) {
        reduce_sum(r, g->ranks);
        r->done = true;
        g->cur = NULL;
        pthread_cond_broadcast(&g->cv);
    }
    while (!r->done) {
        if (pthread_cond_timedwait(&g->cv, &coll_lock, deadline) == ETIMEDOUT && !r->done) {
            free(r->contrib[rank]);
            r->contrib[rank] = NULL;
            r->arrived--;
            r->holders--;
            if (r->arrived == 0) {
                g->cur = NULL;
                free_round(r);
            }
            pthread_cond_broadcast(&g->cv);
            s = NRT_TIMEOUT;
            say("nrt_execute", "all-reduce-sum: rank %d of %d waited past the execution timeout for its peers", rank, g->ranks);
            break;
        }
    }
    if (s == NRT_SUCCESS) {
        memcpy(out, r->result, bytes);
        if (--r->holders == 0) free_round(r);
    }
    pthread_mutex_unlock(&coll_lock);
    return s;
}

/* ---- models ------------------------------------------------------------------------------------------- */

static void free_model(struct nrt_model *m) {
    if (m->group) {
        pthread_mutex_lock(&coll_lock);
        group_release(m->group);
        pthread_mutex_unlock(&coll_lock);
    }
    free(m->stmt);
    free(m);
}

/* The header checks, in the order and with the outcomes of model-formats' NeffHeader.parse. */
static NRT_STATUS check_header(const unsigned char *b, size_t size) {
    if (size < NEFF_HEADER) {
        say("nrt_load", "%zu bytes is shorter than the %d-byte NEFF header", size, NEFF_HEADER);
        return NRT_INVALID;
    }
    uint64_t pkg = le64(b), header_size = le64(b + 8), data_size = le64(b + 16), major = le64(b + 24);
    if (header_size != NEFF_HEADER) {
        say("nrt_load", "header_size is %llu, not %d: not a NEFF", (unsigned long long) header_size, NEFF_HEADER);
        return NRT_INVALID;
    }
    if (data_size > size - NEFF_HEADER) {
        say("nrt_load", "the header declares %llu payload bytes but %zu follow it", (unsigned long long) data_size, size - NEFF_HEADER);
        return NRT_INVALID;
    }
    if (data_size == 0) {
        say("nrt_load", "the header declares an empty payload");
        return NRT_INVALID;
    }
    if (pkg != 1 && pkg != 2) {
        say("nrt_load", "pkg_version %llu is not 1 or 2", (unsigned long long) pkg);
        return NRT_UNSUPPORTED_NEFF_VERSION;
    }
    if (major > 2) {
        say("nrt_load", "NEFF version %llu is newer than this runtime reads (2)", (unsigned long long) major);
        return NRT_UNSUPPORTED_NEFF_VERSION;
    }
    return NRT_SUCCESS;
}

/* Parses a NEFF into a new model (not yet placed), or returns why not. */
static NRT_STATUS parse_neff(const unsigned char *b, size_t size, int rt_lnc, struct nrt_model **out, uint64_t *hash) {
    if (b == NULL) {
        say("nrt_load", "neff_bytes is NULL");
        return NRT_INVALID;
    }
    NRT_STATUS s = check_header(b, size);
    if (s != NRT_SUCCESS) return s;
    uint32_t neff_lnc = (uint32_t) b[NEFF_LNC_OFFSET] | (uint32_t) b[NEFF_LNC_OFFSET + 1] << 8
                        | (uint32_t) b[NEFF_LNC_OFFSET + 2] << 16 | (uint32_t) b[NEFF_LNC_OFFSET + 3] << 24;
    if (neff_lnc != 0 && neff_lnc != (uint32_t) rt_lnc) {
        /* nrt-api 7: the NEFF must be compiled for the runtime's LNC. [undocumented; chosen] NRT_INVALID:
         * the file is not valid for this runtime (it is not a version or a core-count problem). */
        say("nrt_load", "the NEFF was compiled for LNC %u but this runtime runs at LNC %d (NEURON_LOGICAL_NC_CONFIG)", neff_lnc, rt_lnc);
        return NRT_INVALID;
    }
    const unsigned char *payload = b + NEFF_HEADER;
    size_t payload_n = (size_t) le64(b + 16);
    unsigned char *inflated = NULL;
    if (payload_n >= 2 && payload[0] == 0x1f && payload[1] == 0x8b) {
        inflated = inflate_payload(payload, payload_n, &payload_n);
        if (inflated == NULL) return NRT_INVALID;
        payload = inflated;
    }
    struct member def, prog;
    struct nrt_model *m = calloc(1, sizeof *m);
    if (m == NULL) { free(inflated); return NRT_RESOURCE; }
    s = NRT_INVALID;
    if (!tar_find(payload, payload_n, "/def.json", true, &def)) {
        say("nrt_load", "the payload is not a tar with an sgNN/def.json");
    } else if (!tar_find(payload, payload_n, "nrt4j.program", false, &prog)) {
        say("nrt_load", "the NEFF has no nrt4j.program member; the double runs only NEFFs made for it");
    } else if ((m->nio = parse_def_json((const char *) def.data, def.size, m->io)) >= 0
               && parse_program(prog.data, prog.size, m)) {
        *hash = fnv1a(prog.data, prog.size);
        s = NRT_SUCCESS;
    }
    free(inflated);
    if (s != NRT_SUCCESS) {
        free(m->stmt);
        free(m);
        return s;
    }
    *out = m;
    return NRT_SUCCESS;
}

/* NEURON_RT_EXEC_TIMEOUT, read at load (nrt-api 4.3). */
static bool exec_timeout(long *out) {
    const char *v = getenv("NEURON_RT_EXEC_TIMEOUT");
    *out = DEFAULT_EXEC_TIMEOUT_S;
    if (v == NULL || *v == 0) return true;
    /* [undocumented; chosen] anything but a whole number of seconds >= 1 fails the load (NRT_INVALID)
     * rather than being replaced by the default without a word. */
    if (!parse_long(v, out) || *out < 1) {
        say("nrt_load", "NEURON_RT_EXEC_TIMEOUT=%s is not a whole number of seconds (1 or more)", v);
        return false;
    }
    return true;
}

static NRT_STATUS load(const char *function, const void *neff_bytes, size_t size, int32_t vnc, bool collective,
                       uint32_t ctx_device_id, uint32_t ctx_device_count, nrt_model_t **model) {
    /* The NEFF is parsed outside g_lock (it can be large); placement happens under it. */
    pthread_mutex_lock(&g_lock);
    NRT_STATUS s = gate();
    uint64_t load_epoch = epoch;
    int runtime_lnc = lnc;
    pthread_mutex_unlock(&g_lock);
    struct nrt_model *m = NULL;
    uint64_t hash = 0;
    long timeout = 0;
    if (s == NRT_SUCCESS && model == NULL) { say(function, "model is NULL"); s = NRT_INVALID; }
    if (s == NRT_SUCCESS && !exec_timeout(&timeout)) s = NRT_INVALID;
    if (s == NRT_SUCCESS) s = parse_neff(neff_bytes, size, runtime_lnc, &m, &hash);
    if (s == NRT_SUCCESS && m->ranks > 1) {
        pthread_mutex_lock(&coll_lock);
        m->group = group_for(hash, m->ranks);
        pthread_mutex_unlock(&coll_lock);
        if (m->group == NULL) s = NRT_RESOURCE;
    }
    pthread_mutex_lock(&g_lock);
    if (s == NRT_SUCCESS && (s = gate()) == NRT_SUCCESS && epoch != load_epoch) {
        say(function, "the runtime was closed and opened again during the load");
        s = NRT_CLOSED;
    }
    if (s == NRT_SUCCESS) {
        if (!collective && m->ranks > 1) {
            say(function, "the program has %d ranks; load it with nrt_load_collectives", m->ranks);
            s = NRT_INVALID;
        } else if (collective && (ctx_device_count != (uint32_t) m->ranks || ctx_device_id >= ctx_device_count)) {
            say(function, "rank %u of %u, but the program is for %d rank(s)", ctx_device_id, ctx_device_count, m->ranks);
            s = NRT_INVALID;
        } else if (m->ranks > visible_count) {
            say(function, "the program has %d ranks but this process has %d NeuronCores", m->ranks, visible_count);
            s = NRT_LOAD_NOT_ENOUGH_NC;
        } else if (m->cores > visible_count) {
            say(function, "the program needs %d NeuronCores but this process has %d", m->cores, visible_count);
            s = NRT_LOAD_NOT_ENOUGH_NC;
        } else if (vnc < -1 || (vnc >= 0 && vnc + m->cores > visible_count)) {
            say(function, "vnc %d (for %d core(s)) is not among this process's cores 0-%d", vnc, m->cores, visible_count - 1);
            s = NRT_INVALID;
        }
    }
    if (s == NRT_SUCCESS) {
        if (vnc == -1) {
            /* nrt-api 4.3: -1 is the first free core: the lowest visible core(s) with no model loaded.
             * [undocumented; chosen] when every core has a model, core 0. */
            vnc = 0;
            for (int c = 0; c + m->cores <= visible_count; c++) {
                bool free_run = true;
                for (int k = c; k < c + m->cores; k++) free_run &= models_on[k] == 0;
                if (free_run) { vnc = c; break; }
            }
        }
        m->vnc = vnc;
        m->timeout_s = timeout;
        m->epoch = epoch;
        m->rank = collective ? (int) ctx_device_id : 0;
        for (int k = m->vnc; k < m->vnc + m->cores; k++) models_on[k]++;
        track(K_MODEL, m);
        *model = m;
    }
    pthread_mutex_unlock(&g_lock);
    if (s != NRT_SUCCESS && m != NULL) free_model(m);
    return s;
}

NRT_STATUS nrt_load(const void *neff_bytes, size_t size, int32_t vnc, int32_t vnc_count, nrt_model_t **model) {
    (void) vnc_count; /* "DEPRECATED: always use -1" (nrt-api 4.3) */
    return load("nrt_load", neff_bytes, size, vnc, false, 0, 0, model);
}

NRT_STATUS nrt_load_collectives(const void *neff_bytes, size_t size, int32_t vnc, int32_t vnc_count,
                                uint32_t ctx_device_id, uint32_t ctx_device_count, nrt_model_t **model) {
    (void) vnc_count;
    return load("nrt_load_collectives", neff_bytes, size, vnc, true, ctx_device_id, ctx_device_count, model);
}

NRT_STATUS nrt_unload(nrt_model_t *model) {
    pthread_mutex_lock(&g_lock);
    NRT_STATUS s = gate();
    if (s == NRT_SUCCESS && !check_live(K_MODEL, model)) s = NRT_INVALID_HANDLE;
    bool free_now = false;
    if (s == NRT_SUCCESS) {
        untrack(K_MODEL, model);
        for (int k = model->vnc; k < model->vnc + model->cores; k++) models_on[k]--;
        model->unloaded = true;
        free_now = model->pins == 0; /* else the running execution frees it when it ends */
    }
    pthread_mutex_unlock(&g_lock);
    if (free_now) free_model(model);
    return s;
}

NRT_STATUS nrt_get_model_nc_count(const nrt_model_t *model, uint32_t *vnc_count) {
    pthread_mutex_lock(&g_lock);
    NRT_STATUS s = gate();
    if (s == NRT_SUCCESS && !check_live(K_MODEL, model)) s = NRT_INVALID_HANDLE;
    if (s == NRT_SUCCESS && vnc_count == NULL) s = NRT_INVALID;
    if (s == NRT_SUCCESS) *vnc_count = (uint32_t) model->cores;
    pthread_mutex_unlock(&g_lock);
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
    pthread_mutex_lock(&g_lock);
    NRT_STATUS s = gate();
    if (s == NRT_SUCCESS && !check_live(K_MODEL, model)) s = NRT_INVALID_HANDLE;
    if (s == NRT_SUCCESS && info == NULL) s = NRT_INVALID;
    if (s == NRT_SUCCESS) {
        nrt_model_info_t i = { (uint32_t) model->vnc };
        size_t n = info_size_in < sizeof i ? info_size_in : sizeof i;
        memcpy(info, &i, n);
        if (info_size_out) *info_size_out = n;
    }
    pthread_mutex_unlock(&g_lock);
    return s;
}
#endif

NRT_STATUS nrt_get_model_tensor_info(nrt_model_t *model, nrt_tensor_info_array_t **tensor_info) {
    pthread_mutex_lock(&g_lock);
    NRT_STATUS s = gate();
    if (s == NRT_SUCCESS && !check_live(K_MODEL, model)) s = NRT_INVALID_HANDLE;
    if (s == NRT_SUCCESS && tensor_info == NULL) s = NRT_INVALID;
    if (s == NRT_SUCCESS) {
        nrt_tensor_info_array_t *a = calloc(1, sizeof *a + sizeof(nrt_tensor_info_t) * (size_t) model->nio);
        if (a == NULL) abort();
        a->tensor_count = (uint64_t) model->nio;
        bool current = version_at_least_2_30();
        /* model->io is already inputs first, then outputs, by var_id. */
        for (int i = 0; i < model->nio; i++) {
            const struct io *io = &model->io[i];
            const struct stmt *v = &model->stmt[io->value];
            nrt_tensor_info_t *t = &a->tensor_array[i];
            snprintf(t->name, sizeof t->name, "%s", io->name);
            t->usage = (nrt_tensor_usage_t) io->usage;
            t->size = io->size;
            t->dtype = current ? DT[v->dt].current : DT[v->dt].old;
            t->ndim = v->ndim;
            t->shape = malloc(sizeof(uint32_t) * (v->ndim ? v->ndim : 1));
            if (t->shape == NULL) abort();
            memcpy(t->shape, v->dims, sizeof(uint32_t) * v->ndim);
        }
        track(K_INFO, a);
        *tensor_info = a;
    }
    pthread_mutex_unlock(&g_lock);
    return s;
}

NRT_STATUS nrt_free_model_tensor_info(nrt_tensor_info_array_t *tensor_info) {
    pthread_mutex_lock(&g_lock);
    NRT_STATUS s = NRT_SUCCESS;
    if (!check_live(K_INFO, tensor_info)) s = NRT_INVALID_HANDLE;
    if (s == NRT_SUCCESS) {
        untrack(K_INFO, tensor_info);
        for (uint64_t i = 0; i < tensor_info->tensor_count; i++) free(tensor_info->tensor_array[i].shape);
        free(tensor_info);
    }
    pthread_mutex_unlock(&g_lock);
    return s;
}

/* ---- tensors ------------------------------------------------------------------------------------------ */

/* [undocumented; chosen] nrt_tensor_allocate does not document zeroing, so new memory holds garbage:
 * a pseudo-random 64 KiB block, different per allocation, repeated over the tensor (fast enough for
 * tests that fill a whole HBM stack); its bytes are never all zero. */
static void fill_garbage(unsigned char *p, size_t n, uint64_t seed) {
    uint64_t x = seed | 1;
    size_t block = n < 65536 ? n : 65536, i = 0;
    for (; i + 8 <= block; i += 8) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        memcpy(p + i, &x, 8);
    }
    for (; i < block; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        p[i] = (unsigned char) (x | 1);
    }
    for (size_t done = block; done < n; done += block) memcpy(p + done, p, n - done < block ? n - done : block);
}

NRT_STATUS nrt_tensor_allocate(nrt_tensor_placement_t tensor_placement, int vnc, size_t size, const char *name,
                               nrt_tensor_t **tensor) {
    pthread_mutex_lock(&g_lock);
    NRT_STATUS s = gate();
    int stack = -1;
    uint64_t seed = 0;
    if (s == NRT_SUCCESS && tensor == NULL) { say("nrt_tensor_allocate", "tensor is NULL"); s = NRT_INVALID; }
    if (s == NRT_SUCCESS && tensor_placement != NRT_TENSOR_PLACEMENT_DEVICE && tensor_placement != NRT_TENSOR_PLACEMENT_HOST) {
        /* VIRTUAL placement was removed with Inf1 (nrt-api 3.2). */
        say("nrt_tensor_allocate", "placement %d is not supported (DEVICE 0 or HOST 1)", (int) tensor_placement);
        s = NRT_INVALID;
    }
    if (s == NRT_SUCCESS && tensor_placement == NRT_TENSOR_PLACEMENT_DEVICE) {
        if (vnc < 0 || vnc >= visible_count) {
            say("nrt_tensor_allocate", "vnc %d is not among this process's cores 0-%d", vnc, visible_count - 1);
            s = NRT_INVALID;
        } else {
            stack = stack_of_visible(vnc);
            if (size > stack_bytes - used_bytes[stack]) {
                say("nrt_tensor_allocate", "%zu bytes do not fit on core %d: its HBM stack has %zu of %zu bytes free", size, vnc,
                    stack_bytes - used_bytes[stack], stack_bytes);
                s = NRT_RESOURCE;
            }
        }
    }
    if (s == NRT_SUCCESS && tensor_placement == NRT_TENSOR_PLACEMENT_HOST && size > HOST_PLACEMENT_MAX) {
        /* nrt-api 3.2: HOST placement is DMA-able contiguous host memory of at most 4 MB. [undocumented;
         * chosen] a larger request fails with NRT_RESOURCE, the status for memory that cannot be had. */
        say("nrt_tensor_allocate", "%zu bytes of HOST placement: at most %zu (4 MB of DMA-able host memory)", size, HOST_PLACEMENT_MAX);
        s = NRT_RESOURCE;
    }
    if (s == NRT_SUCCESS) {
        if (stack >= 0) used_bytes[stack] += size; /* reserved now, so a concurrent allocation sees it */
        seed = garbage_seed += 0x9E3779B97F4A7C15ull;
    }
    pthread_mutex_unlock(&g_lock);
    if (s != NRT_SUCCESS) return s;
    struct nrt_tensor *t = calloc(1, sizeof *t);
    unsigned char *data = malloc(size ? size : 1);
    if (t == NULL || data == NULL) {
        free(t);
        free(data);
        pthread_mutex_lock(&g_lock);
        if (stack >= 0) used_bytes[stack] -= size;
        pthread_mutex_unlock(&g_lock);
        say("nrt_tensor_allocate", "out of host memory for %zu bytes", size);
        return NRT_RESOURCE;
    }
    fill_garbage(data, size, seed);
    t->data = data;
    t->placement = tensor_placement;
    t->vnc = tensor_placement == NRT_TENSOR_PLACEMENT_DEVICE ? vnc : -1;
    t->stack = stack;
    t->size = size;
    t->owns_data = true;
    snprintf(t->name, sizeof t->name, "%s", name ? name : "");
    pthread_mutex_lock(&g_lock);
    t->epoch = epoch;
    track(K_TENSOR, t);
    *tensor = t;
    pthread_mutex_unlock(&g_lock);
    return NRT_SUCCESS;
}

#ifndef NRT_DOUBLE_OLD_RUNTIME
NRT_STATUS nrt_tensor_allocate_empty(const char *name, nrt_tensor_t **tensor) {
    pthread_mutex_lock(&g_lock);
    NRT_STATUS s = gate();
    if (s == NRT_SUCCESS && tensor == NULL) s = NRT_INVALID;
    if (s == NRT_SUCCESS) {
        struct nrt_tensor *t = calloc(1, sizeof *t);
        if (t == NULL) abort();
        t->placement = NRT_TENSOR_PLACEMENT_VIRTUAL;
        t->vnc = -1;
        t->stack = -1;
        t->epoch = epoch;
        snprintf(t->name, sizeof t->name, "%s", name ? name : "");
        track(K_TENSOR, t);
        *tensor = t;
    }
    pthread_mutex_unlock(&g_lock);
    return s;
}
#endif

/* g_lock held: gives back the tensor's memory (the bytes are freed by the caller, outside the lock). */
static unsigned char *release_storage(struct nrt_tensor *t) {
    unsigned char *owned = t->owns_data ? t->data : NULL;
    if (t->owns_data && t->stack >= 0) used_bytes[t->stack] -= t->size;
    t->data = NULL;
    t->owns_data = false;
    t->stack = -1;
    return owned;
}

#ifndef NRT_DOUBLE_OLD_RUNTIME
NRT_STATUS nrt_tensor_attach_buffer(nrt_tensor_t *tensor, void *buffer, size_t size) {
    pthread_mutex_lock(&g_lock);
    NRT_STATUS s = gate();
    unsigned char *old = NULL;
    if (s == NRT_SUCCESS && !check_live(K_TENSOR, tensor)) s = NRT_INVALID_HANDLE;
    if (s == NRT_SUCCESS && buffer == NULL) s = NRT_INVALID;
    if (s == NRT_SUCCESS && tensor->pins > 0) {
        /* [undocumented; chosen] replacing the storage under a running execution is refused. */
        say("nrt_tensor_attach_buffer", "tensor '%s' is in use by an execution", tensor->name);
        s = NRT_INVALID;
    }
    if (s == NRT_SUCCESS) {
        old = release_storage(tensor);
        tensor->data = buffer;
        tensor->size = size;
        tensor->vnc = -1;
        tensor->placement = NRT_TENSOR_PLACEMENT_VIRTUAL;
    }
    pthread_mutex_unlock(&g_lock);
    free(old);
    return s;
}
#endif

/* g_lock held: frees a tensor nobody pins any more. */
static void destroy_tensor(struct nrt_tensor *t) {
    unsigned char *owned = release_storage(t);
    free(owned);
    free(t);
}

void nrt_tensor_free(nrt_tensor_t **tensor) {
    if (tensor == NULL || *tensor == NULL) return;
    pthread_mutex_lock(&g_lock);
    if (check_live(K_TENSOR, *tensor)) {
        struct nrt_tensor *t = *tensor;
        untrack(K_TENSOR, t);
        t->freed = true;
        if (t->pins == 0) destroy_tensor(t);
        else {
            /* an execution is using it: the memory is accounted free now, the bytes go when it ends */
            if (t->owns_data && t->stack >= 0) used_bytes[t->stack] -= t->size;
            t->stack = -1;
        }
        *tensor = NULL;
    }
    pthread_mutex_unlock(&g_lock);
}

static void unpin_tensor(struct nrt_tensor *t) {
    if (--t->pins == 0 && t->freed) destroy_tensor(t);
}

/*
 * The bulk copy of nrt_tensor_read/write, between a caller's buffer and a tensor's storage (which never
 * overlap). libnrt moves these bytes by DMA, at a speed unrelated to the C library's memcpy; the double
 * stands in with the fastest plain copy this host has, so that NativeCallBenchmark's comparison with
 * MemorySegment.copy measures the binding rather than two copy routines. On x86-64 that is the string
 * copy (rep movsb, fast on CPUs with ERMS) once the destination is 64-byte aligned: on the build
 * machine (AMD EPYC, glibc 2.36) it copies 64 MiB in about 0.7x memcpy's time, while an unaligned
 * destination would make it 2x slower than memcpy. Small copies, and other architectures, use memcpy.
 */
static void bulk_copy(unsigned char *dst, const unsigned char *src, size_t n) {
#if defined(__x86_64__)
    if (n >= ((size_t) 1 << 20)) {
        size_t head = (size_t) (-(uintptr_t) dst & 63);
        memcpy(dst, src, head);
        dst += head;
        src += head;
        n -= head;
        __asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
        return;
    }
#endif
    memcpy(dst, src, n);
}

/* Checks a tensor range and pins the tensor for a copy made outside g_lock. */
static NRT_STATUS pin_range(const char *function, const nrt_tensor_t *tensor, const void *buf, size_t offset, size_t size) {
    NRT_STATUS s = gate();
    if (s == NRT_SUCCESS && !check_live(K_TENSOR, tensor)) s = NRT_INVALID_HANDLE;
    if (s == NRT_SUCCESS && buf == NULL) { say(function, "the buffer is NULL"); s = NRT_INVALID; }
    if (s == NRT_SUCCESS && tensor->data == NULL) { say(function, "tensor '%s' has no storage", tensor->name); s = NRT_INVALID; }
    if (s == NRT_SUCCESS && (offset > tensor->size || size > tensor->size - offset)) {
        say(function, "bytes %zu..%zu are outside tensor '%s' of %zu bytes", offset, offset + size, tensor->name, tensor->size);
        s = NRT_INVALID;
    }
    if (s == NRT_SUCCESS) ((struct nrt_tensor *) tensor)->pins++;
    return s;
}

static void unpin(const nrt_tensor_t *t) {
    pthread_mutex_lock(&g_lock);
    unpin_tensor((struct nrt_tensor *) t);
    pthread_mutex_unlock(&g_lock);
}

NRT_STATUS nrt_tensor_read(const nrt_tensor_t *tensor, void *buf, size_t offset, size_t size) {
    pthread_mutex_lock(&g_lock);
    NRT_STATUS s = pin_range("nrt_tensor_read", tensor, buf, offset, size);
    pthread_mutex_unlock(&g_lock);
    if (s != NRT_SUCCESS) return s;
    bulk_copy(buf, tensor->data + offset, size);
    unpin(tensor);
    return s;
}

NRT_STATUS nrt_tensor_write(nrt_tensor_t *tensor, const void *buf, size_t offset, size_t size) {
    pthread_mutex_lock(&g_lock);
    NRT_STATUS s = pin_range("nrt_tensor_write", tensor, buf, offset, size);
    pthread_mutex_unlock(&g_lock);
    if (s != NRT_SUCCESS) return s;
    bulk_copy(tensor->data + offset, buf, size);
    unpin(tensor);
    return s;
}

NRT_STATUS nrt_tensor_memset(nrt_tensor_t *tensor, uint64_t offset, int value, size_t size) {
    pthread_mutex_lock(&g_lock);
    NRT_STATUS s = pin_range("nrt_tensor_memset", tensor, "", (size_t) offset, size);
    pthread_mutex_unlock(&g_lock);
    if (s != NRT_SUCCESS) return s;
    memset(tensor->data + offset, value, size);
    unpin(tensor);
    return s;
}

NRT_STATUS nrt_tensor_copy(const nrt_tensor_t *src, size_t src_offset, nrt_tensor_t *dst, size_t dst_offset, size_t size) {
    pthread_mutex_lock(&g_lock);
    NRT_STATUS s = pin_range("nrt_tensor_copy", src, "", src_offset, size);
    if (s == NRT_SUCCESS) {
        s = pin_range("nrt_tensor_copy", dst, "", dst_offset, size);
        if (s == NRT_SUCCESS && src->vnc >= 0 && dst->vnc >= 0 && src->vnc != dst->vnc) {
            /* nrt-api 4.6: device tensors must be on the same NeuronCore */
            say("nrt_tensor_copy", "the tensors are on cores %d and %d; a copy stays on one core", src->vnc, dst->vnc);
            unpin_tensor((struct nrt_tensor *) dst);
            s = NRT_INVALID;
        }
        if (s != NRT_SUCCESS) unpin_tensor((struct nrt_tensor *) src);
    }
    pthread_mutex_unlock(&g_lock);
    if (s != NRT_SUCCESS) return s;
    memmove(dst->data + dst_offset, src->data + src_offset, size);
    pthread_mutex_lock(&g_lock);
    unpin_tensor((struct nrt_tensor *) src);
    unpin_tensor(dst);
    pthread_mutex_unlock(&g_lock);
    return s;
}

size_t nrt_tensor_get_size(const nrt_tensor_t *tensor) {
    if (tensor == NULL) abort(); /* the real runtime asserts on NULL (nrt-api 4.6) */
    pthread_mutex_lock(&g_lock);
    size_t size = check_live(K_TENSOR, tensor) ? tensor->size : 0;
    pthread_mutex_unlock(&g_lock);
    return size;
}

void *nrt_tensor_get_va(const nrt_tensor_t *tensor) {
    pthread_mutex_lock(&g_lock);
    void *va = check_live(K_TENSOR, tensor) ? tensor->data : NULL;
    pthread_mutex_unlock(&g_lock);
    return va;
}

#ifndef NRT_DOUBLE_OLD_RUNTIME
NRT_STATUS nrt_tensor_check_output_completion(const nrt_tensor_t *output_tensor, int64_t timeout,
                                              uint64_t expected_completion_count) {
    (void) timeout;
    pthread_mutex_lock(&g_lock);
    NRT_STATUS s = output_tensor == NULL ? NRT_INVALID : NRT_SUCCESS;
    if (s == NRT_SUCCESS && !check_live(K_TENSOR, output_tensor)) s = NRT_INVALID_HANDLE;
    /* Executions here are synchronous: a count not reached yet will never be reached by waiting. */
    if (s == NRT_SUCCESS && output_tensor->completions < expected_completion_count) s = NRT_TIMEOUT;
    pthread_mutex_unlock(&g_lock);
    return s;
}
#endif

#ifndef NRT_DOUBLE_OLD_RUNTIME
NRT_STATUS nrt_tensor_reset_output_completion(nrt_tensor_t *output_tensor) {
    pthread_mutex_lock(&g_lock);
    NRT_STATUS s = output_tensor == NULL ? NRT_INVALID : NRT_SUCCESS;
    if (s == NRT_SUCCESS && !check_live(K_TENSOR, output_tensor)) s = NRT_INVALID_HANDLE;
    if (s == NRT_SUCCESS) output_tensor->completions = 0;
    pthread_mutex_unlock(&g_lock);
    return s;
}
#endif

#ifndef NRT_DOUBLE_OLD_RUNTIME
NRT_STATUS nrt_get_vnc_memory_stats(uint32_t vnc, nrt_vnc_memory_stats_t *stats, size_t stats_size_in,
                                    size_t *stats_size_out) {
    pthread_mutex_lock(&g_lock);
    NRT_STATUS s = gate();
    if (s == NRT_SUCCESS && (stats == NULL || vnc >= (uint32_t) visible_count)) s = NRT_INVALID;
    if (s == NRT_SUCCESS) {
        /* The core's HBM stack: what every core on it has used, and its capacity. */
        int stack = stack_of_visible((int) vnc);
        nrt_vnc_memory_stats_t m = { used_bytes[stack], stack_bytes };
        size_t n = stats_size_in < sizeof m ? stats_size_in : sizeof m;
        memcpy(stats, &m, n);
        if (stats_size_out) *stats_size_out = n;
    }
    pthread_mutex_unlock(&g_lock);
    return s;
}
#endif

/* ---- tensor sets -------------------------------------------------------------------------------------- */

NRT_STATUS nrt_allocate_tensor_set(nrt_tensor_set_t **result) {
    pthread_mutex_lock(&g_lock);
    NRT_STATUS s = gate();
    if (s == NRT_SUCCESS && result == NULL) s = NRT_INVALID;
    if (s == NRT_SUCCESS) {
        struct tensor_set *set = calloc(1, sizeof *set);
        if (set == NULL) abort();
        track(K_SET, set);
        *result = set;
    }
    pthread_mutex_unlock(&g_lock);
    return s;
}

void nrt_destroy_tensor_set(nrt_tensor_set_t **tensor_set) {
    if (tensor_set == NULL || *tensor_set == NULL) return;
    pthread_mutex_lock(&g_lock);
    if (check_live(K_SET, *tensor_set)) {
        struct tensor_set *set = *tensor_set;
        untrack(K_SET, set);
        free(set->entries); /* the tensors stay: destroying a set never frees them */
        free(set);
        *tensor_set = NULL;
    }
    pthread_mutex_unlock(&g_lock);
}

NRT_STATUS nrt_add_tensor_to_tensor_set(nrt_tensor_set_t *tensor_set, const char *tensor_name, nrt_tensor_t *tensor) {
    pthread_mutex_lock(&g_lock);
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
                int cap = set->capacity ? set->capacity * 2 : 8;
                struct entry *grown = realloc(set->entries, sizeof *grown * (size_t) cap);
                if (grown == NULL) abort();
                set->entries = grown;
                set->capacity = cap;
            }
            e = &set->entries[set->count++];
            snprintf(e->name, sizeof e->name, "%s", tensor_name); /* the name is copied */
        }
        e->tensor = tensor;
    }
    pthread_mutex_unlock(&g_lock);
    return s;
}

static struct nrt_tensor *set_lookup(const struct tensor_set *set, const char *name) {
    for (int i = 0; i < set->count; i++) if (!strcmp(set->entries[i].name, name)) return set->entries[i].tensor;
    return NULL;
}

NRT_STATUS nrt_get_tensor_from_tensor_set(nrt_tensor_set_t *tensor_set, const char *tensor_name, nrt_tensor_t **tensor) {
    pthread_mutex_lock(&g_lock);
    NRT_STATUS s = gate();
    if (s == NRT_SUCCESS && !check_live(K_SET, tensor_set)) s = NRT_INVALID_HANDLE;
    if (s == NRT_SUCCESS && (tensor_name == NULL || tensor == NULL)) s = NRT_INVALID;
    if (s == NRT_SUCCESS) {
        struct nrt_tensor *t = set_lookup(tensor_set, tensor_name);
        if (t == NULL) s = NRT_FAILURE; /* *tensor is left untouched (nrt-api 4.4) */
        else *tensor = t;
    }
    pthread_mutex_unlock(&g_lock);
    return s;
}

/* ---- execution ---------------------------------------------------------------------------------------- */

static bool past(const struct timespec *deadline) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > deadline->tv_sec || (now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec);
}

static void binary(enum opc op, enum dt t, const unsigned char *a, const unsigned char *b, unsigned char *out, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (DT[t].is_float) {
            float x = get_f(a, t, i), y = get_f(b, t, i);
            float r = op == O_ADD ? x + y : x * y;
            put_f(out, t, i, r);
        } else {
            uint64_t x = get_i(a, t, i), y = get_i(b, t, i);
            uint64_t r = t == DT_PRED ? (op == O_ADD ? (x | y) : (x & y)) : (op == O_ADD ? x + y : x * y);
            put_i(out, t, i, r);
        }
    }
}

static void dot(const struct stmt *st, const struct stmt *sa, const unsigned char *a, const unsigned char *b, unsigned char *out) {
    size_t rows = st->dims[0], cols = st->dims[1], inner = sa->dims[1];
    enum dt t = st->dt;
    for (size_t r = 0; r < rows; r++) {
        for (size_t c = 0; c < cols; c++) {
            if (DT[t].is_float) {
                float acc = 0.0f;
                for (size_t k = 0; k < inner; k++) {
                    float prod = get_f(a, t, r * inner + k) * get_f(b, t, k * cols + c);
                    acc = acc + prod;
                }
                put_f(out, t, r * cols + c, acc);
            } else {
                uint64_t acc = 0;
                for (size_t k = 0; k < inner; k++) {
                    uint64_t x = get_i(a, t, r * inner + k), y = get_i(b, t, k * cols + c);
                    acc = t == DT_PRED ? (acc | (x & y)) : acc + x * y;
                }
                put_i(out, t, r * cols + c, acc);
            }
        }
    }
}

/* One run of the program; bind[i] is the tensor of model->io[i]. No lock is held. */
static NRT_STATUS run_program(const struct nrt_model *m, struct nrt_tensor **bind, const struct timespec *deadline) {
    unsigned char **val = calloc((size_t) m->nstmt, sizeof *val);
    if (val == NULL) abort();
    NRT_STATUS s = NRT_SUCCESS;
    for (int k = 0; s == NRT_SUCCESS && k < m->nstmt; k++) {
        const struct stmt *st = &m->stmt[k];
        size_t bytes = st->elems * DT[st->dt].bytes;
        val[k] = malloc(bytes ? bytes : 1);
        if (val[k] == NULL) {
            say("nrt_execute", "out of host memory for a value of %zu bytes", bytes);
            s = NRT_RESOURCE;
            break;
        }
        switch (st->op) {
            case O_INPUT: memcpy(val[k], bind[st->io]->data, bytes); break;
            case O_CONST: memcpy(val[k], st->cval, bytes); break;
            case O_BROADCAST:
                for (size_t i = 0; i < st->elems; i++) memcpy(val[k] + i * DT[st->dt].bytes, val[st->a], DT[st->dt].bytes);
                break;
            case O_ADD: case O_MULTIPLY: binary(st->op, st->dt, val[st->a], val[st->b], val[k], st->elems); break;
            case O_COPY: memcpy(val[k], val[st->a], bytes); break;
            case O_DOT: dot(st, &m->stmt[st->a], val[st->a], val[st->b], val[k]); break;
            case O_ALL_REDUCE:
                if (m->ranks == 1) memcpy(val[k], val[st->a], bytes);
                else s = all_reduce(m->group, m->rank, st->dt, st->elems, val[st->a], val[k], deadline);
                break;
            case O_LOOP_FOREVER:
                while (!past(deadline)) {
                    struct timespec tick = {0, 2 * 1000 * 1000};
                    nanosleep(&tick, NULL);
                }
                say("nrt_execute", "the execution ran past NEURON_RT_EXEC_TIMEOUT (%ld s) and was stopped", m->timeout_s);
                s = NRT_TIMEOUT;
                break;
        }
    }
    if (s == NRT_SUCCESS) {
        for (int i = 0; i < m->nio; i++) {
            if (m->io[i].usage != NRT_TENSOR_USAGE_OUTPUT) continue;
            memcpy(bind[i]->data, val[m->io[i].value], m->io[i].size);
        }
    }
    for (int k = 0; k < m->nstmt; k++) free(val[k]);
    free(val);
    return s;
}

/* A NeuronCore runs one execution at a time; the others queue here. All of a model's cores at once. */
static void claim_cores(int first, int n) {
    pthread_mutex_lock(&core_lock);
    for (;;) {
        bool free_all = true;
        for (int c = first; c < first + n; c++) free_all &= !core_busy[c];
        if (free_all) break;
        pthread_cond_wait(&core_cv, &core_lock);
    }
    for (int c = first; c < first + n; c++) core_busy[c] = true;
    pthread_mutex_unlock(&core_lock);
}

static void release_cores(int first, int n) {
    pthread_mutex_lock(&core_lock);
    for (int c = first; c < first + n; c++) core_busy[c] = false;
    pthread_cond_broadcast(&core_cv);
    pthread_mutex_unlock(&core_lock);
}

/* g_lock held: binds the sets to the model's inputs and outputs. nrt_status.h documents NRT_INVALID
 * for "input tensor name/size does not match the model" (nrt-api 3.2), so a missing, unknown or
 * wrongly sized tensor is NRT_INVALID. [undocumented; chosen] an entry whose name the model does not
 * have is refused too, as a name that does not match the model, rather than ignored. */
static NRT_STATUS bind_sets(struct nrt_model *m, const struct tensor_set *in, const struct tensor_set *out, struct nrt_tensor **bind) {
    for (int pass = 0; pass < 2; pass++) {
        const struct tensor_set *set = pass == 0 ? in : out;
        const char *role = pass == 0 ? "input" : "output";
        for (int i = 0; i < set->count; i++) {
            struct io *io = find_io(m, set->entries[i].name);
            if (io == NULL || io->usage != pass) {
                say("nrt_execute", "the %s set has '%s', which is not an %s of the model", role, set->entries[i].name, role);
                return NRT_INVALID;
            }
        }
    }
    for (int i = 0; i < m->nio; i++) {
        const struct io *io = &m->io[i];
        const char *role = io->usage == 0 ? "input" : "output";
        struct nrt_tensor *t = set_lookup(io->usage == 0 ? in : out, io->name);
        if (t == NULL) {
            say("nrt_execute", "%s '%s' is missing from the %s set", role, io->name, role);
            return NRT_INVALID;
        }
        if (!check_live(K_TENSOR, t)) return NRT_INVALID_HANDLE;
        if (t->data == NULL) {
            say("nrt_execute", "%s '%s' has no storage", role, io->name);
            return NRT_INVALID;
        }
        if (t->size != io->size) {
            say("nrt_execute", "%s '%s' has %zu bytes; the model's has %zu", role, io->name, t->size, io->size);
            return NRT_INVALID;
        }
        bind[i] = t;
    }
    return NRT_SUCCESS;
}

/* No lock held: runs a bound execution whose model and tensors are pinned, then unpins them (and frees what
 * was freed or unloaded while it ran). Shared by nrt_execute and the nrta workers. */
static NRT_STATUS run_bound(struct nrt_model *model, struct nrt_tensor **bind, int repeat) {
    NRT_STATUS s = NRT_SUCCESS;
    claim_cores(model->vnc, model->cores);
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += model->timeout_s;
    int nin = 0;
    while (nin < model->nio && model->io[nin].usage == NRT_TENSOR_USAGE_INPUT) nin++;
    for (int r = 0; s == NRT_SUCCESS && r < repeat; r++) {
        s = run_program(model, bind, &deadline);
        /* execute_repeat feeds each iteration's outputs to the next one's inputs, in order. */
        for (int i = 0; s == NRT_SUCCESS && r + 1 < repeat && i < nin && nin + i < model->nio; i++) {
            if (bind[i]->size == bind[nin + i]->size) memcpy(bind[i]->data, bind[nin + i]->data, bind[i]->size);
        }
    }
    release_cores(model->vnc, model->cores);

    pthread_mutex_lock(&g_lock);
    for (int i = 0; i < model->nio; i++) {
        if (s == NRT_SUCCESS && model->io[i].usage == NRT_TENSOR_USAGE_OUTPUT) bind[i]->completions++;
        unpin_tensor(bind[i]);
    }
    bool free_now = --model->pins == 0 && model->unloaded; /* unloaded while it ran */
    pthread_mutex_unlock(&g_lock);
    if (free_now) free_model(model);
    return s;
}

static NRT_STATUS execute(const char *function, nrt_model_t *model, const nrt_tensor_set_t *input_set, nrt_tensor_set_t *output_set,
                          int repeat) {
    struct nrt_tensor *bind[MAX_IO];
    pthread_mutex_lock(&g_lock);
    NRT_STATUS s = gate();
    if (s == NRT_SUCCESS && !check_live(K_MODEL, model)) s = NRT_INVALID_HANDLE;
    if (s == NRT_SUCCESS && (!check_live(K_SET, input_set) || !check_live(K_SET, output_set))) s = NRT_INVALID_HANDLE;
    if (s == NRT_SUCCESS && repeat < 1) { say(function, "repeat_count %d is not positive", repeat); s = NRT_INVALID; }
    if (s == NRT_SUCCESS) s = bind_sets(model, input_set, output_set, bind);
    if (s == NRT_SUCCESS) {
        model->pins++;
        for (int i = 0; i < model->nio; i++) bind[i]->pins++;
    }
    pthread_mutex_unlock(&g_lock);
    if (s != NRT_SUCCESS) return s;
    return run_bound(model, bind, repeat);
}

NRT_STATUS nrt_execute(nrt_model_t *model, const nrt_tensor_set_t *input_set, nrt_tensor_set_t *output_set) {
    return execute("nrt_execute", model, input_set, output_set, 1);
}

NRT_STATUS nrt_execute_repeat(nrt_model_t *model, const nrt_tensor_set_t *input_set, nrt_tensor_set_t *output_set,
                              int repeat_count) {
    return execute("nrt_execute_repeat", model, input_set, output_set, repeat_count);
}

#ifndef NRT_DOUBLE_OLD_RUNTIME
/* ---- explicit async, v3 (nrt_async.h of SDK 2.29+, runtime 2.31.24+; nrt-api 4.9) --------------------
 *
 * nrta_execute_schedule returns at once with a sequence number; a worker thread per (core, COMPUTE queue 0)
 * runs the requests in submission order, each after a varying delay, and writes *exec_ret only when the
 * request completes, then marks it complete (nrta_is_completed, nrta_get_sequence) and signals the eventfd
 * registered for it. The tensor sets are looked up when the request starts, not when it is scheduled: a set
 * destroyed before its request completed is a misuse (counted), as it would be a use after free in libnrt.
 *
 * Posing as a runtime before 2.31.24 (NRT4J_DOUBLE_RT_VERSION), whose nrta_* symbols have the incompatible
 * v2 signatures (nrt-api 4.9), a call to any nrta function is a misuse (counted) and NRT_FAILURE; the same for
 * the completion-event functions before 2.32.31 (nrt-api 4.12), which such a runtime does not export.
 *
 *   sequence numbers  [undocumented; chosen] top 16 bits the execution unit id, 1 + core * 3 + xu type;
 *                     low 48 bits count that unit's requests from 1 and never restart (not even at
 *                     nrt_init), so 0 is never valid
 *   queue depth       [undocumented; chosen] NRT4J_DOUBLE_NRTA_QUEUE_DEPTH (read at nrt_init), default 4:
 *                     requests scheduled and not completed per core; one more is NRT_QUEUE_FULL
 *   validation        [undocumented; chosen] handles, queue and pointers at schedule (the returned status);
 *                     names and sizes when the request starts, through *exec_ret
 *   nrt_close         waits for the requests in flight (a misuse, counted: the application must wait for
 *                     its requests before it closes), like an execution it cannot stop
 */
typedef uint64_t nrta_seq_t;
typedef enum { NRTA_XU_TENSOR_OP = 0, NRTA_XU_COMPUTE = 1, NRTA_XU_COLLECTIVES = 2, NRTA_XU_TYPE_NUM = 3 } nrta_xu_t;
#define NRTA_SEQ_NUM_MASK ((1ull << 48) - 1)
#define NRTA_DEFAULT_DEPTH 4

struct nrta_req {
    uint64_t num;
    struct nrt_model *model;                  /* pinned from schedule to completion */
    const nrt_tensor_set_t *in, *out;
    NRT_STATUS *exec_ret;
    int fd;                                   /* eventfd registered for it, -1 none */
    struct nrta_req *next;
};

struct nrta_queue {
    struct nrta_req *head, *tail;             /* scheduled, not completed, in order */
    int depth;
    uint64_t scheduled, completed;            /* sequence numbers: last handed out, last completed */
    bool worker;                              /* a worker thread is draining it */
};

static struct nrta_queue nrta_q[MAX_PHYS];    /* g_lock */
static int nrta_depth = NRTA_DEFAULT_DEPTH;   /* g_lock */
static int nrta_in_flight;                    /* g_lock: over every queue */
static int nrta_schedule_count, nrta_queue_full_count; /* g_lock */
static pthread_cond_t nrta_cv = PTHREAD_COND_INITIALIZER; /* g_lock: a request completed or a worker ended */
static uint64_t nrta_jitter = 0x2545F4914F6CDD1Dull;

static uint16_t nrta_xu_id(int vnc, nrta_xu_t xu) {
    return (uint16_t) (1 + vnc * NRTA_XU_TYPE_NUM + (int) xu);
}

/* nrt_init: the queue depth knob. False (said) when it is not a positive number. */
static bool nrta_read_depth(void) {
    const char *v = getenv("NRT4J_DOUBLE_NRTA_QUEUE_DEPTH");
    long d = NRTA_DEFAULT_DEPTH;
    if (v != NULL && *v && (!parse_long(v, &d) || d < 1 || d > 1 << 20)) {
        say("nrt_init", "NRT4J_DOUBLE_NRTA_QUEUE_DEPTH=%s is not a positive number of requests", v);
        return false;
    }
    nrta_depth = (int) d;
    return true;
}

/* nrt_close, g_lock held: waits for every request in flight, counting that as a misuse. */
static void nrta_drain_at_close(void) {
    if (nrta_in_flight > 0) {
        misuse_count++;
        say("nrt_close", "%d nrta request(s) still in flight; wait for their completion before nrt_close", nrta_in_flight);
    }
    for (;;) {
        bool busy = nrta_in_flight > 0;
        for (int c = 0; !busy && c < MAX_PHYS; c++) busy = nrta_q[c].worker;
        if (!busy) break;
        pthread_cond_wait(&nrta_cv, &g_lock);
    }
}

/* A runtime that predates the v3 API (or the event functions) has no such function with this ABI. */
static bool nrta_posed_has(const char *function, unsigned long minor, unsigned long patch) {
    if (version_at_least(2, minor, patch)) return true;
    misuse_count++;
    say(function, "this runtime (NRT4J_DOUBLE_RT_VERSION) predates 2.%lu.%lu: no %s with this signature", minor, patch, function);
    return false;
}

/* g_lock held: the queue and number of a COMPUTE sequence handed out, or NULL. */
static struct nrta_queue *nrta_decode(nrta_seq_t seq, uint64_t *num) {
    uint64_t id = seq >> 48;
    *num = seq & NRTA_SEQ_NUM_MASK;
    if (id < 1) return NULL;
    uint64_t vnc = (id - 1) / NRTA_XU_TYPE_NUM, xu = (id - 1) % NRTA_XU_TYPE_NUM;
    if (xu != NRTA_XU_COMPUTE || vnc >= MAX_PHYS) return NULL;
    struct nrta_queue *q = &nrta_q[vnc];
    return *num >= 1 && *num <= q->scheduled ? q : NULL;
}

static void nrta_signal(int fd) {
    uint64_t one = 1;
    if (fd >= 0 && write(fd, &one, sizeof one) < 0) {
        say("nrta", "cannot signal eventfd %d: %s", fd, strerror(errno));
    }
}

static void *nrta_worker(void *arg) {
    struct nrta_queue *q = arg;
    pthread_mutex_lock(&g_lock);
    for (;;) {
        struct nrta_req *r = q->head;
        if (r == NULL) break;
        /* Hostile timing: each request starts after 0-3 ms, so completions arrive at uneven intervals. */
        nrta_jitter ^= nrta_jitter << 13; nrta_jitter ^= nrta_jitter >> 7; nrta_jitter ^= nrta_jitter << 17;
        struct timespec delay = {0, (long) (nrta_jitter % 3000000)};
        pthread_mutex_unlock(&g_lock);
        nanosleep(&delay, NULL);
        pthread_mutex_lock(&g_lock);

        struct nrt_model *m = r->model;
        struct nrt_tensor *bind[MAX_IO];
        NRT_STATUS s = NRT_SUCCESS;
        if (m->unloaded) {
            misuse_count++;
            say("nrta_execute_schedule", "the model was unloaded before its scheduled request ran");
            s = NRT_INVALID_HANDLE;
        }
        if (s == NRT_SUCCESS && (!check_live(K_SET, r->in) || !check_live(K_SET, r->out))) s = NRT_INVALID_HANDLE;
        if (s == NRT_SUCCESS) s = bind_sets(m, r->in, r->out, bind);
        if (s == NRT_SUCCESS) {
            for (int i = 0; i < m->nio; i++) bind[i]->pins++;
            pthread_mutex_unlock(&g_lock);
            s = run_bound(m, bind, 1); /* drops the model's pin */
            pthread_mutex_lock(&g_lock);
        } else {
            bool free_now = --m->pins == 0 && m->unloaded;
            if (free_now) {
                pthread_mutex_unlock(&g_lock);
                free_model(m);
                pthread_mutex_lock(&g_lock);
            }
        }
        /* exec_ret is written at completion, then the request is complete (nrt-api 4.9). */
        *r->exec_ret = s;
        q->completed = r->num;
        q->head = r->next;
        if (q->head == NULL) q->tail = NULL;
        q->depth--;
        nrta_in_flight--;
        nrta_signal(r->fd);
        pthread_cond_broadcast(&nrta_cv);
        free(r);
    }
    q->worker = false;
    pthread_cond_broadcast(&nrta_cv);
    pthread_mutex_unlock(&g_lock);
    return NULL;
}

NRT_STATUS nrta_execute_schedule(nrt_model_t *model, const nrt_tensor_set_t *input, nrt_tensor_set_t *output, int queue,
                                 NRT_STATUS *exec_ret, nrta_seq_t *req_sequence) {
    const char *f = "nrta_execute_schedule";
    pthread_mutex_lock(&g_lock);
    NRT_STATUS s = nrta_posed_has(f, 31, 24) ? gate() : NRT_FAILURE;
    if (s == NRT_SUCCESS && !check_live(K_MODEL, model)) s = NRT_INVALID_HANDLE;
    if (s == NRT_SUCCESS && (!check_live(K_SET, input) || !check_live(K_SET, output))) s = NRT_INVALID_HANDLE;
    if (s == NRT_SUCCESS && queue != 0) { say(f, "queue %d: the COMPUTE unit has one queue, 0", queue); s = NRT_INVALID; }
    if (s == NRT_SUCCESS && (exec_ret == NULL || req_sequence == NULL)) { say(f, "exec_ret or req_sequence is NULL"); s = NRT_INVALID; }
    struct nrta_queue *q = s == NRT_SUCCESS ? &nrta_q[model->vnc] : NULL;
    if (s == NRT_SUCCESS && q->depth >= nrta_depth) {
        nrta_queue_full_count++;
        s = NRT_QUEUE_FULL;
    }
    struct nrta_req *r = NULL;
    if (s == NRT_SUCCESS) {
        r = calloc(1, sizeof *r);
        if (r == NULL) abort();
        r->num = ++q->scheduled;
        r->model = model;
        r->in = input;
        r->out = output;
        r->exec_ret = exec_ret;
        r->fd = -1;
        model->pins++;
        if (q->tail) q->tail->next = r; else q->head = r;
        q->tail = r;
        q->depth++;
        nrta_in_flight++;
        nrta_schedule_count++;
        *req_sequence = ((uint64_t) nrta_xu_id(model->vnc, NRTA_XU_COMPUTE) << 48) | r->num;
        if (!q->worker) {
            pthread_t t;
            pthread_attr_t a;
            pthread_attr_init(&a);
            pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
            if (pthread_create(&t, &a, nrta_worker, q) != 0) abort();
            pthread_attr_destroy(&a);
            q->worker = true;
        }
    }
    pthread_mutex_unlock(&g_lock);
    return s;
}

NRT_STATUS nrta_is_completed(nrta_seq_t seq, bool *is_completed) {
    pthread_mutex_lock(&g_lock);
    NRT_STATUS s = nrta_posed_has("nrta_is_completed", 31, 24) ? NRT_SUCCESS : NRT_FAILURE;
    uint64_t num = 0;
    struct nrta_queue *q = s == NRT_SUCCESS ? nrta_decode(seq, &num) : NULL;
    if (s == NRT_SUCCESS && (q == NULL || is_completed == NULL)) s = NRT_INVALID; /* documented for an invalid seq */
    if (s == NRT_SUCCESS) *is_completed = num <= q->completed;
    pthread_mutex_unlock(&g_lock);
    return s;
}

NRT_STATUS nrta_get_sequence(uint32_t lnc_idx, nrta_xu_t xu_type, int queue, nrta_seq_t *seq) {
    static const int queues[NRTA_XU_TYPE_NUM] = {2, 1, 3}; /* per core: Tensor Op 2, Neuron Core 1, Collectives 3 */
    pthread_mutex_lock(&g_lock);
    NRT_STATUS s = nrta_posed_has("nrta_get_sequence", 31, 24) ? gate() : NRT_FAILURE;
    if (s == NRT_SUCCESS && (lnc_idx >= (uint32_t) visible_count || (unsigned) xu_type >= NRTA_XU_TYPE_NUM || queue < 0
                             || queue >= queues[xu_type] || seq == NULL)) {
        s = NRT_INVALID;
    }
    if (s == NRT_SUCCESS) {
        /* Only the COMPUTE unit runs anything here; the others have completed nothing. */
        uint64_t done = xu_type == NRTA_XU_COMPUTE ? nrta_q[lnc_idx].completed : 0;
        *seq = ((uint64_t) nrta_xu_id((int) lnc_idx, xu_type) << 48) | done;
    }
    pthread_mutex_unlock(&g_lock);
    return s;
}

NRT_STATUS nrta_event_register_seq_id_completion(nrta_seq_t seq, int fd) {
    pthread_mutex_lock(&g_lock);
    NRT_STATUS s = nrta_posed_has("nrta_event_register_seq_id_completion", 32, 31) ? NRT_SUCCESS : NRT_FAILURE;
    uint64_t num = 0;
    struct nrta_queue *q = s == NRT_SUCCESS ? nrta_decode(seq, &num) : NULL;
    if (s == NRT_SUCCESS && (q == NULL || fd < -1)) s = NRT_INVALID;
    if (s == NRT_SUCCESS) {
        if (num <= q->completed) {
            if (fd >= 0) nrta_signal(fd); /* an already completed sequence signals at once (nrt-api 4.9) */
        } else {
            for (struct nrta_req *r = q->head; r != NULL; r = r->next) {
                if (r->num == num) r->fd = fd; /* -1 deregisters */
            }
        }
    }
    pthread_mutex_unlock(&g_lock);
    return s;
}

#endif

/* ---- test hooks (not libnrt API) ---------------------------------------------------------------------- */

/* Live objects of one kind: 0 tensors, 1 tensor sets, 2 models, 3 tensor-info arrays. */
int nrt4j_double_live(int kind) {
    if (kind < 0 || kind >= K_KINDS) return -1;
    pthread_mutex_lock(&g_lock);
    int n = live_count[kind];
    pthread_mutex_unlock(&g_lock);
    return n;
}

/* How often a dead, foreign or NULL handle was passed where a live one was needed. */
int nrt4j_double_misuse(void) {
    pthread_mutex_lock(&g_lock);
    int n = misuse_count;
    pthread_mutex_unlock(&g_lock);
    return n;
}

/* 0 uninitialized, 1 initialized, 2 closed. */
int nrt4j_double_state(void) {
    pthread_mutex_lock(&g_lock);
    int s = (int) state;
    pthread_mutex_unlock(&g_lock);
    return s;
}

/* nrta_execute_schedule calls that scheduled a request, and those that found the queue full. */
int nrt4j_double_nrta_scheduled(void) {
#ifndef NRT_DOUBLE_OLD_RUNTIME
    pthread_mutex_lock(&g_lock);
    int n = nrta_schedule_count;
    pthread_mutex_unlock(&g_lock);
    return n;
#else
    return 0;
#endif
}

int nrt4j_double_nrta_queue_full(void) {
#ifndef NRT_DOUBLE_OLD_RUNTIME
    pthread_mutex_lock(&g_lock);
    int n = nrta_queue_full_count;
    pthread_mutex_unlock(&g_lock);
    return n;
#else
    return 0;
#endif
}
