package dev.nrt4j.nativert.binding;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The part of libnrt's C API that the native backend uses, one method per C function, bound either
 * through FFM ({@code FfmBinding}, Java 22+) or JNA ({@code JnaLibNrt}). Internal to nrt4j.
 *
 * <p><b>Shapes.</b> Native pointers ({@code nrt_model_t*}, {@code nrt_tensor_t*}, tensor sets, buffers)
 * are plain {@code long} addresses. Out-parameters ({@code T**}, {@code uint32_t*}) become return
 * values; the binding owns the slot memory. A C function that returns {@code NRT_STATUS} throws
 * {@link dev.nrt4j.NeuronException} (with the {@link dev.nrt4j.Status} and the raw code) for anything
 * but {@code NRT_SUCCESS}; see {@link NrtStatus#check}.
 *
 * <p><b>Ownership.</b> Freeing functions take the handle and free it exactly once; the caller must
 * never pass a handle after freeing it, nor a zero address — libnrt does not check (it crashes or
 * asserts), which is why the backend guards every handle before it gets here.
 *
 * <p><b>Optional symbols.</b> Functions newer runtimes added are looked up when the library is
 * bound; when one is absent its method returns empty (or throws {@link UnsupportedOperationException}
 * for a void one) and {@link #missingOptionalFunctions()} names it.
 *
 * <p>Thread-safe: implementations hold no per-call state. libnrt's own thread rules apply
 * (nrt-api.md section 6).
 */
public interface LibNrt {
    /** {@code NRT_FRAMEWORK_TYPE_NO_FW}: what applications that call libnrt directly pass to init. */
    int FRAMEWORK_NO_FW = 1;
    /** {@code NRT_TENSOR_PLACEMENT_DEVICE}. */
    int PLACEMENT_DEVICE = 0;
    /** {@code NRT_TENSOR_PLACEMENT_HOST}. */
    int PLACEMENT_HOST = 1;
    /** {@code NRT_TENSOR_USAGE_INPUT}. */
    int USAGE_INPUT = 0;
    /** {@code NRT_TENSOR_USAGE_OUTPUT}. */
    int USAGE_OUTPUT = 1;

    /** {@code "ffm"} or {@code "jna"}. */
    String bindingName();

    /** The library this binding is linked to, as it was found (a path, or a name the system resolved). */
    String library();

    /** Optional functions the library does not export. */
    Set<String> missingOptionalFunctions();

    /** Size in bytes of a struct of nrt-api.md section 3.3 as this binding lays it out, e.g. {@code nrt_tensor_info_t}. */
    long structSize(String struct);

    /** Offset of a member in that struct as this binding lays it out. */
    long fieldOffset(String struct, String field);

    // ---- libc -------------------------------------------------------------------------------

    /** The native address of a direct buffer's first byte (not its position). */
    long directBufferAddress(java.nio.ByteBuffer direct);

    /** libc {@code setenv(name, value, 1)}; libnrt reads its configuration from the environment. */
    void setenv(String name, String value);

    /** libc {@code unsetenv(name)}. */
    void unsetenv(String name);

    /** libc {@code getenv(name)}: the native environment, which {@link System#getenv} does not see change. */
    Optional<String> getenv(String name);

    // ---- status, version, lifecycle, topology ----------------------------------------------

    /** {@code nrt_get_status_as_str}, or empty when the library predates it. */
    Optional<String> statusText(int status);

    /** {@code nrt_get_version} with a zeroed 224-byte {@code nrt_version_t}. Callable before init. */
    RuntimeVersion version();

    /** {@code nrt_init(framework, fw_version, fal_version)}. */
    void init(int framework, String fwVersion, String falVersion);

    /** {@code nrt_close()}. */
    void close();

    /** {@code nrt_get_instance_info} with a zeroed 32-byte struct, or empty when the library predates it. */
    Optional<InstanceInfo> instanceInfo();

    /** {@code nrt_get_total_vnc_count}, falling back to {@code nrt_get_total_nc_count}. Callable before init. */
    int totalCoreCount();

    /** {@code nrt_get_visible_vnc_count}, falling back to {@code nrt_get_visible_nc_count}. */
    int visibleCoreCount();

    /** {@code nrt_get_vnc_memory_stats}, or empty when the library does not export it. */
    Optional<MemoryStats> memoryStats(int vnc);

    // ---- models ----------------------------------------------------------------------------

    /** {@code nrt_load}: the NEFF's bytes are only read during the call. Returns the model handle. */
    long load(byte[] neff, int vnc, int vncCount);

    /** {@code nrt_load_collectives}. Returns the model handle. */
    long loadCollectives(byte[] neff, int vnc, int vncCount, int ctxDeviceId, int ctxDeviceCount);

    /** {@code nrt_unload}. */
    void unload(long model);

    /** {@code nrt_get_model_vnc_count}, falling back to {@code nrt_get_model_nc_count}. */
    int modelCoreCount(long model);

    /** {@code nrt_get_model_info}'s {@code vnc}, or empty when the library does not export it. */
    OptionalInt modelVnc(long model);

    /**
     * {@code nrt_get_model_tensor_info}, copied into Java objects, then
     * {@code nrt_free_model_tensor_info} (always, also when copying fails).
     */
    List<RawTensorInfo> modelTensorInfo(long model);

    // ---- tensors ---------------------------------------------------------------------------

    /** {@code nrt_tensor_allocate}. Returns the tensor handle; the memory is zeroed. */
    long tensorAllocate(int placement, int vnc, long size, String name);

    /** {@code nrt_tensor_allocate_empty}, or empty when the library does not export it. */
    OptionalLong tensorAllocateEmpty(String name);

    /** {@code nrt_tensor_attach_buffer}; the buffer must outlive the tensor. */
    void tensorAttachBuffer(long tensor, long buffer, long size);

    /** {@code nrt_tensor_free(&tensor)}. */
    void tensorFree(long tensor);

    /** {@code nrt_tensor_read} into native memory at {@code buffer}. */
    void tensorRead(long tensor, long buffer, long offset, long size);

    /** {@code nrt_tensor_write} from native memory at {@code buffer}. */
    void tensorWrite(long tensor, long buffer, long offset, long size);

    /** {@code nrt_tensor_read} into a heap array (through one native bounce buffer). */
    void tensorRead(long tensor, byte[] dst, int dstOffset, long offset, int size);

    /** {@code nrt_tensor_write} from a heap array (through one native bounce buffer). */
    void tensorWrite(long tensor, byte[] src, int srcOffset, long offset, int size);

    /** {@code nrt_tensor_copy}. */
    void tensorCopy(long src, long srcOffset, long dst, long dstOffset, long size);

    /** {@code nrt_tensor_memset}. */
    void tensorMemset(long tensor, long offset, int value, long size);

    /** {@code nrt_tensor_get_size}. Never pass 0: the runtime asserts. */
    long tensorSize(long tensor);

    /** {@code nrt_tensor_get_va}: 0 on failure. */
    long tensorVa(long tensor);

    /**
     * {@code nrt_tensor_check_output_completion}: true when the output was written
     * {@code expectedCount} times, false on {@code NRT_TIMEOUT}.
     *
     * @throws UnsupportedOperationException when the library does not export it
     */
    boolean tensorCheckOutputCompletion(long tensor, long timeoutMicros, long expectedCount);

    // ---- tensor sets -----------------------------------------------------------------------

    /** {@code nrt_allocate_tensor_set}. Returns the set handle. */
    long allocateTensorSet();

    /** {@code nrt_destroy_tensor_set(&set)}; the tensors in it stay allocated. */
    void destroyTensorSet(long set);

    /** {@code nrt_add_tensor_to_tensor_set}. */
    void addTensorToTensorSet(long set, String name, long tensor);

    /** {@code nrt_get_tensor_from_tensor_set}: the (borrowed) tensor handle. */
    long getTensorFromTensorSet(long set, String name);

    // ---- execution -------------------------------------------------------------------------

    /** {@code nrt_execute}. */
    void execute(long model, long inputSet, long outputSet);

    /** {@code nrt_execute_repeat}. */
    void executeRepeat(long model, long inputSet, long outputSet, int repeatCount);

    // ---- explicit async, v3 (nrt_async.h of SDK 2.29+, runtime 2.31.24+; nrt-api.md section 4.9) ----

    /** {@code NRTA_XU_COMPUTE} in the v3 numbering (v2, SDK 2.28, numbered it 3). */
    int NRTA_XU_COMPUTE = 1;

    /**
     * Whether the library exports {@code nrta_execute_schedule}, {@code nrta_is_completed} and
     * {@code nrta_get_sequence}. Runtimes before 2.31.24 export the same names with the incompatible v2
     * signatures, so the runtime's {@link #version()} decides whether they may be called at all.
     */
    boolean hasNrta();

    /**
     * Whether the library exports {@code nrta_event_register_seq_id_completion} (runtime 2.32.31 and
     * later, nrt-api.md section 4.12) and the C library has {@code eventfd} and {@code poll}.
     */
    boolean hasNrtaCompletionEvents();

    /** A new {@link ExecStatus}, holding {@link ExecStatus#UNWRITTEN}, owned by the caller. */
    ExecStatus allocateExecStatus();

    /**
     * {@code nrta_execute_schedule(model, input, output, queue, exec_ret, &seq)}: queues one execution and
     * returns at once. The sets, their tensors, the model and {@code execRet} must stay alive until
     * {@link #nrtaIsCompleted} says the request completed; libnrt then has written {@code execRet}.
     *
     * @return the request's sequence number
     * @throws dev.nrt4j.NeuronException {@link dev.nrt4j.Status#QUEUE_FULL} when the queue is full (retry
     *     after a completion), or the status of whatever else failed
     * @throws UnsupportedOperationException when the library does not export it
     */
    long nrtaExecuteSchedule(long model, long inputSet, long outputSet, int queue, ExecStatus execRet);

    /**
     * {@code nrta_is_completed(seq, &completed)}: a 1-byte {@code bool} out-parameter.
     *
     * @throws dev.nrt4j.NeuronException {@link dev.nrt4j.Status#INVALID} for a sequence libnrt never gave
     * @throws UnsupportedOperationException when the library does not export it
     */
    boolean nrtaIsCompleted(long seq);

    /**
     * {@code nrta_get_sequence(lnc, xu, queue, &seq)}: the last completed sequence of that queue.
     *
     * @throws UnsupportedOperationException when the library does not export it
     */
    long nrtaGetSequence(int lnc, int xu, int queue);

    /**
     * {@code nrta_event_register_seq_id_completion(seq, fd)}: libnrt signals the eventfd {@code fd} when
     * {@code seq} completes (at once when it already has); {@code fd = -1} deregisters.
     *
     * @throws UnsupportedOperationException when the library does not export it
     */
    void nrtaEventRegisterSeqIdCompletion(long seq, int fd);

    /** libc {@code eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)}: the descriptor, or -1 when none can be made. */
    int eventfd();

    /**
     * libc {@code poll} for input on the eventfd {@code fd} for up to {@code timeoutMillis}, then a
     * {@code read} that resets its counter.
     *
     * @return whether it was signalled
     */
    boolean awaitEvent(int fd, int timeoutMillis);

    /** libc {@code write} of 1 to the eventfd {@code fd}, waking whoever waits in {@link #awaitEvent}. */
    void signalEvent(int fd);

    /** libc {@code close(fd)}. */
    void closeFd(int fd);
}
