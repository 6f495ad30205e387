package dev.nrt4j.nativert.binding;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link LibNrt} through JNA: the functions every libnrt has are bound by direct mapping
 * ({@link Native#register}), which is JNA's fast path; functions newer runtimes added are looked up
 * one by one and called through {@link Function}, so that an older library still binds.
 *
 * <p>Direct mapping binds a class's native methods once per JVM, so one process binds one libnrt;
 * {@link #bind} refuses a second, different library.
 */
final class JnaLibNrt implements LibNrt {
    private static final Object BIND_LOCK = new Object();
    private static JnaLibNrt bound;

    /** Offsets JNA computed for the structs this binding reads (see {@link JnaStructs}). */
    private static final long INFO_ARRAY_ENTRIES = JnaStructs.offset("nrt_tensor_info_array_t", "tensor_array");

    private static final long INFO_SIZE = JnaStructs.size("nrt_tensor_info_t");
    private static final long INFO_USAGE = JnaStructs.offset("nrt_tensor_info_t", "usage");
    private static final long INFO_BYTES = JnaStructs.offset("nrt_tensor_info_t", "size");
    private static final long INFO_DTYPE = JnaStructs.offset("nrt_tensor_info_t", "dtype");
    private static final long INFO_SHAPE = JnaStructs.offset("nrt_tensor_info_t", "shape");
    private static final long INFO_NDIM = JnaStructs.offset("nrt_tensor_info_t", "ndim");
    private static final long VERSION_SIZE = JnaStructs.size("nrt_version_t");
    private static final long INSTANCE_SIZE = JnaStructs.size("nrt_instance_info_t");
    private static final long STATS_SIZE = JnaStructs.size("nrt_vnc_memory_stats_t");
    private static final long MODEL_INFO_SIZE = JnaStructs.size("nrt_model_info_t");

    /** One pointer-sized out-parameter slot per thread (plus room for a second one). */
    private static final ThreadLocal<Memory> SLOT = ThreadLocal.withInitial(() -> new Memory(16));

    private final String library;
    private final Function statusAsStr;
    private final Function instanceInfo;
    private final Function totalVncCount;
    private final Function visibleVncCount;
    private final Function modelVncCount;
    private final Function modelInfo;
    private final Function memoryStats;
    private final Function allocateEmpty;
    private final Function attachBuffer;
    private final Function checkOutputCompletion;
    private final Function nrtaExecuteSchedule;
    private final Function nrtaIsCompleted;
    private final Function nrtaGetSequence;
    private final Function nrtaEventRegisterSeqIdCompletion;
    private final Function setenv;
    private final Function unsetenv;
    private final Function getenv;
    private final Function eventfd;
    private final Function poll;
    private final Function read;
    private final Function write;
    private final Function closeFd;
    private final Set<String> missing;

    private JnaLibNrt(String library, NativeLibrary lib) {
        this.library = library;
        Set<String> absent = new TreeSet<>();
        this.statusAsStr = optional(lib, "nrt_get_status_as_str", absent);
        this.instanceInfo = optional(lib, "nrt_get_instance_info", absent);
        this.totalVncCount = optional(lib, "nrt_get_total_vnc_count", absent);
        this.visibleVncCount = optional(lib, "nrt_get_visible_vnc_count", absent);
        this.modelVncCount = optional(lib, "nrt_get_model_vnc_count", absent);
        this.modelInfo = optional(lib, "nrt_get_model_info", absent);
        this.memoryStats = optional(lib, "nrt_get_vnc_memory_stats", absent);
        this.allocateEmpty = optional(lib, "nrt_tensor_allocate_empty", absent);
        this.attachBuffer = optional(lib, "nrt_tensor_attach_buffer", absent);
        this.checkOutputCompletion = optional(lib, "nrt_tensor_check_output_completion", absent);
        this.nrtaExecuteSchedule = optional(lib, "nrta_execute_schedule", absent);
        this.nrtaIsCompleted = optional(lib, "nrta_is_completed", absent);
        this.nrtaGetSequence = optional(lib, "nrta_get_sequence", absent);
        this.nrtaEventRegisterSeqIdCompletion = optional(lib, "nrta_event_register_seq_id_completion", absent);
        this.missing = Collections.unmodifiableSet(absent);
        NativeLibrary libc = NativeLibrary.getInstance("c");
        this.setenv = libc.getFunction("setenv");
        this.unsetenv = libc.getFunction("unsetenv");
        this.getenv = libc.getFunction("getenv");
        Set<String> libcAbsent = new TreeSet<>();
        this.eventfd = optional(libc, "eventfd", libcAbsent);
        this.poll = optional(libc, "poll", libcAbsent);
        this.read = libc.getFunction("read");
        this.write = libc.getFunction("write");
        this.closeFd = libc.getFunction("close");
    }

    /**
     * Binds {@code library} (a path, or a name the dynamic linker resolves).
     *
     * @throws UnsatisfiedLinkError when it cannot be loaded or lacks a required function
     * @throws IllegalStateException when this JVM already bound another libnrt through JNA
     */
    static JnaLibNrt bind(String library) {
        synchronized (BIND_LOCK) {
            if (bound != null) {
                if (bound.library.equals(library)) {
                    return bound;
                }
                throw new IllegalStateException("JNA already bound libnrt from " + bound.library
                        + " in this JVM; one process binds one libnrt");
            }
            NativeLibrary lib = NativeLibrary.getInstance(library);
            Native.register(Direct.class, lib);
            bound = new JnaLibNrt(library, lib);
            return bound;
        }
    }

    private static Function optional(NativeLibrary lib, String name, Set<String> absent) {
        try {
            return lib.getFunction(name);
        } catch (UnsatisfiedLinkError e) {
            absent.add(name);
            return null;
        }
    }

    /** The functions every supported libnrt exports, bound by JNA direct mapping. Pointers are addresses. */
    static final class Direct {
        private Direct() {}

        static native int nrt_get_version(long ver, long size);

        static native int nrt_init(int framework, String fwVersion, String falVersion);

        static native void nrt_close();

        static native int nrt_get_total_nc_count(long count);

        static native int nrt_get_visible_nc_count(long count);

        static native int nrt_load(byte[] neff, long size, int vnc, int vncCount, long model);

        static native int nrt_load_collectives(
                byte[] neff, long size, int vnc, int vncCount, int ctxDeviceId, int ctxDeviceCount, long model);

        static native int nrt_unload(long model);

        static native int nrt_get_model_nc_count(long model, long count);

        static native int nrt_get_model_tensor_info(long model, long info);

        static native int nrt_free_model_tensor_info(long info);

        static native int nrt_tensor_allocate(int placement, int vnc, long size, String name, long tensor);

        static native void nrt_tensor_free(long tensorSlot);

        static native int nrt_tensor_read(long tensor, long buf, long offset, long size);

        static native int nrt_tensor_write(long tensor, long buf, long offset, long size);

        static native int nrt_tensor_copy(long src, long srcOffset, long dst, long dstOffset, long size);

        static native int nrt_tensor_memset(long tensor, long offset, int value, long size);

        static native long nrt_tensor_get_size(long tensor);

        static native long nrt_tensor_get_va(long tensor);

        static native int nrt_allocate_tensor_set(long result);

        static native void nrt_destroy_tensor_set(long setSlot);

        static native int nrt_add_tensor_to_tensor_set(long set, long name, long tensor);

        static native int nrt_get_tensor_from_tensor_set(long set, long name, long tensor);

        static native int nrt_execute(long model, long inputSet, long outputSet);

        static native int nrt_execute_repeat(long model, long inputSet, long outputSet, int repeatCount);
    }

    /** C strings of tensor names, which recur on every execute; bounded so odd names cannot grow it forever. */
    private static final int NAME_CACHE_LIMIT = 4096;

    private static final ConcurrentHashMap<String, Memory> NAMES = new ConcurrentHashMap<>();

    /** The name as a NUL-terminated UTF-8 string in native memory, kept reachable by the cache or {@code keep}. */
    private static Memory name(String s) {
        Memory cached = NAMES.get(s);
        if (cached != null) {
            return cached;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        Memory fresh = new Memory(utf8.length + 1L);
        fresh.write(0, utf8, 0, utf8.length);
        fresh.setByte(utf8.length, (byte) 0);
        if (NAMES.size() < NAME_CACHE_LIMIT) {
            Memory raced = NAMES.putIfAbsent(s, fresh);
            return raced != null ? raced : fresh;
        }
        return fresh;
    }

    private static long slot() {
        Memory m = SLOT.get();
        m.setLong(0, 0);
        return Pointer.nativeValue(m);
    }

    private static long slotValue() {
        return SLOT.get().getLong(0);
    }

    private static int slotInt() {
        return SLOT.get().getInt(0);
    }

    private void check(int status, String function) {
        NrtStatus.check(status, function, this);
    }

    @Override
    public String bindingName() {
        return "jna";
    }

    @Override
    public String library() {
        return library;
    }

    @Override
    public Set<String> missingOptionalFunctions() {
        return missing;
    }

    @Override
    public long structSize(String struct) {
        return JnaStructs.size(struct);
    }

    @Override
    public long fieldOffset(String struct, String field) {
        return JnaStructs.offset(struct, field);
    }

    @Override
    public long directBufferAddress(java.nio.ByteBuffer direct) {
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }

    @Override
    public void setenv(String name, String value) {
        if (setenv.invokeInt(new Object[] {name, value, 1}) != 0) {
            throw new IllegalArgumentException("setenv(" + name + ") failed: " + Native.getLastError());
        }
    }

    @Override
    public void unsetenv(String name) {
        unsetenv.invokeInt(new Object[] {name});
    }

    @Override
    public Optional<String> getenv(String name) {
        Pointer p = (Pointer) getenv.invoke(Pointer.class, new Object[] {name});
        return p == null ? Optional.empty() : Optional.of(p.getString(0, StandardCharsets.UTF_8.name()));
    }

    @Override
    public Optional<String> statusText(int status) {
        if (statusAsStr == null) {
            return Optional.empty();
        }
        Pointer p = (Pointer) statusAsStr.invoke(Pointer.class, new Object[] {status});
        return p == null ? Optional.empty() : Optional.of(p.getString(0, StandardCharsets.UTF_8.name()));
    }

    @Override
    public RuntimeVersion version() {
        try (Memory v = new Memory(VERSION_SIZE)) {
            v.clear();
            check(Direct.nrt_get_version(Pointer.nativeValue(v), VERSION_SIZE), "nrt_get_version");
            return new RuntimeVersion(
                    v.getLong(0),
                    v.getLong(8),
                    v.getLong(16),
                    v.getLong(24),
                    cString(v, JnaStructs.offset("nrt_version_t", "rt_detail"), 128),
                    cString(v, JnaStructs.offset("nrt_version_t", "git_hash"), 64));
        }
    }

    private static String cString(Pointer p, long offset, int max) {
        byte[] b = p.getByteArray(offset, max);
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    @Override
    public void init(int framework, String fwVersion, String falVersion) {
        check(Direct.nrt_init(framework, fwVersion, falVersion), "nrt_init");
    }

    @Override
    public void close() {
        Direct.nrt_close();
    }

    @Override
    public Optional<InstanceInfo> instanceInfo() {
        if (instanceInfo == null) {
            return Optional.empty();
        }
        try (Memory m = new Memory(INSTANCE_SIZE)) {
            m.clear();
            check(instanceInfo.invokeInt(new Object[] {m, INSTANCE_SIZE}), "nrt_get_instance_info");
            return Optional.of(new InstanceInfo(
                    m.getInt(0),
                    m.getInt(4),
                    cString(m, JnaStructs.offset("nrt_instance_info_t", "arch_name"), 16),
                    cString(m, JnaStructs.offset("nrt_instance_info_t", "device_revision"), 8)));
        }
    }

    @Override
    public int totalCoreCount() {
        if (totalVncCount != null) {
            check(totalVncCount.invokeInt(new Object[] {new Pointer(slot())}), "nrt_get_total_vnc_count");
        } else {
            check(Direct.nrt_get_total_nc_count(slot()), "nrt_get_total_nc_count");
        }
        return slotInt();
    }

    @Override
    public int visibleCoreCount() {
        if (visibleVncCount != null) {
            check(visibleVncCount.invokeInt(new Object[] {new Pointer(slot())}), "nrt_get_visible_vnc_count");
        } else {
            check(Direct.nrt_get_visible_nc_count(slot()), "nrt_get_visible_nc_count");
        }
        return slotInt();
    }

    @Override
    public Optional<MemoryStats> memoryStats(int vnc) {
        if (memoryStats == null) {
            return Optional.empty();
        }
        try (Memory m = new Memory(STATS_SIZE)) {
            m.clear();
            check(
                    memoryStats.invokeInt(new Object[] {vnc, m, STATS_SIZE, new Pointer(slot())}),
                    "nrt_get_vnc_memory_stats");
            return Optional.of(new MemoryStats(
                    m.getLong(JnaStructs.offset("nrt_vnc_memory_stats_t", "bytes_used")),
                    m.getLong(JnaStructs.offset("nrt_vnc_memory_stats_t", "bytes_limit"))));
        }
    }

    @Override
    public long load(byte[] neff, int vnc, int vncCount) {
        check(Direct.nrt_load(neff, neff.length, vnc, vncCount, slot()), "nrt_load");
        return slotValue();
    }

    @Override
    public long loadCollectives(byte[] neff, int vnc, int vncCount, int ctxDeviceId, int ctxDeviceCount) {
        check(
                Direct.nrt_load_collectives(neff, neff.length, vnc, vncCount, ctxDeviceId, ctxDeviceCount, slot()),
                "nrt_load_collectives");
        return slotValue();
    }

    @Override
    public void unload(long model) {
        check(Direct.nrt_unload(model), "nrt_unload");
    }

    @Override
    public int modelCoreCount(long model) {
        if (modelVncCount != null) {
            check(
                    modelVncCount.invokeInt(new Object[] {new Pointer(model), new Pointer(slot())}),
                    "nrt_get_model_vnc_count");
        } else {
            check(Direct.nrt_get_model_nc_count(model, slot()), "nrt_get_model_nc_count");
        }
        return slotInt();
    }

    @Override
    public OptionalInt modelVnc(long model) {
        if (modelInfo == null) {
            return OptionalInt.empty();
        }
        try (Memory m = new Memory(Math.max(MODEL_INFO_SIZE, 8))) {
            m.clear();
            check(
                    modelInfo.invokeInt(new Object[] {new Pointer(model), m, MODEL_INFO_SIZE, new Pointer(slot())}),
                    "nrt_get_model_info");
            return OptionalInt.of(m.getInt(JnaStructs.offset("nrt_model_info_t", "vnc")));
        }
    }

    @Override
    public List<RawTensorInfo> modelTensorInfo(long model) {
        check(Direct.nrt_get_model_tensor_info(model, slot()), "nrt_get_model_tensor_info");
        long array = slotValue();
        try {
            Pointer a = new Pointer(array);
            long count = a.getLong(0);
            List<RawTensorInfo> out = new ArrayList<>();
            for (long i = 0; i < count; i++) {
                Pointer e = a.share(INFO_ARRAY_ENTRIES + i * INFO_SIZE);
                int ndim = e.getInt(INFO_NDIM);
                Pointer shape = e.getPointer(INFO_SHAPE);
                long[] dims = new long[ndim];
                for (int d = 0; d < ndim; d++) {
                    dims[d] = Integer.toUnsignedLong(shape.getInt(4L * d));
                }
                out.add(new RawTensorInfo(
                        cString(e, 0, 256), e.getInt(INFO_USAGE), e.getLong(INFO_BYTES), e.getInt(INFO_DTYPE), dims));
            }
            return out;
        } finally {
            check(Direct.nrt_free_model_tensor_info(array), "nrt_free_model_tensor_info");
        }
    }

    @Override
    public long tensorAllocate(int placement, int vnc, long size, String name) {
        check(Direct.nrt_tensor_allocate(placement, vnc, size, name, slot()), "nrt_tensor_allocate");
        return slotValue();
    }

    @Override
    public OptionalLong tensorAllocateEmpty(String name) {
        if (allocateEmpty == null) {
            return OptionalLong.empty();
        }
        check(allocateEmpty.invokeInt(new Object[] {name, new Pointer(slot())}), "nrt_tensor_allocate_empty");
        return OptionalLong.of(slotValue());
    }

    @Override
    public void tensorAttachBuffer(long tensor, long buffer, long size) {
        if (attachBuffer == null) {
            throw new UnsupportedOperationException("this libnrt has no nrt_tensor_attach_buffer");
        }
        check(
                attachBuffer.invokeInt(new Object[] {new Pointer(tensor), new Pointer(buffer), size}),
                "nrt_tensor_attach_buffer");
    }

    @Override
    public void tensorFree(long tensor) {
        Memory m = SLOT.get();
        m.setLong(0, tensor);
        Direct.nrt_tensor_free(Pointer.nativeValue(m));
    }

    @Override
    public void tensorRead(long tensor, long buffer, long offset, long size) {
        check(Direct.nrt_tensor_read(tensor, buffer, offset, size), "nrt_tensor_read");
    }

    @Override
    public void tensorWrite(long tensor, long buffer, long offset, long size) {
        check(Direct.nrt_tensor_write(tensor, buffer, offset, size), "nrt_tensor_write");
    }

    @Override
    public void tensorRead(long tensor, byte[] dst, int dstOffset, long offset, int size) {
        try (Memory bounce = new Memory(Math.max(size, 1))) {
            check(Direct.nrt_tensor_read(tensor, Pointer.nativeValue(bounce), offset, size), "nrt_tensor_read");
            bounce.read(0, dst, dstOffset, size);
        }
    }

    @Override
    public void tensorWrite(long tensor, byte[] src, int srcOffset, long offset, int size) {
        try (Memory bounce = new Memory(Math.max(size, 1))) {
            bounce.write(0, src, srcOffset, size);
            check(Direct.nrt_tensor_write(tensor, Pointer.nativeValue(bounce), offset, size), "nrt_tensor_write");
        }
    }

    @Override
    public void tensorCopy(long src, long srcOffset, long dst, long dstOffset, long size) {
        check(Direct.nrt_tensor_copy(src, srcOffset, dst, dstOffset, size), "nrt_tensor_copy");
    }

    @Override
    public void tensorMemset(long tensor, long offset, int value, long size) {
        check(Direct.nrt_tensor_memset(tensor, offset, value, size), "nrt_tensor_memset");
    }

    @Override
    public long tensorSize(long tensor) {
        if (tensor == 0) {
            throw new IllegalArgumentException("nrt_tensor_get_size on NULL would abort the process");
        }
        return Direct.nrt_tensor_get_size(tensor);
    }

    @Override
    public long tensorVa(long tensor) {
        return Direct.nrt_tensor_get_va(tensor);
    }

    @Override
    public boolean tensorCheckOutputCompletion(long tensor, long timeoutMicros, long expectedCount) {
        if (checkOutputCompletion == null) {
            throw new UnsupportedOperationException("this libnrt has no nrt_tensor_check_output_completion");
        }
        int status = checkOutputCompletion.invokeInt(new Object[] {new Pointer(tensor), timeoutMicros, expectedCount});
        if (status == dev.nrt4j.Status.TIMEOUT.code()) {
            return false;
        }
        check(status, "nrt_tensor_check_output_completion");
        return true;
    }

    @Override
    public long allocateTensorSet() {
        check(Direct.nrt_allocate_tensor_set(slot()), "nrt_allocate_tensor_set");
        return slotValue();
    }

    @Override
    public void destroyTensorSet(long set) {
        Memory m = SLOT.get();
        m.setLong(0, set);
        Direct.nrt_destroy_tensor_set(Pointer.nativeValue(m));
    }

    @Override
    public void addTensorToTensorSet(long set, String name, long tensor) {
        Memory n = name(name);
        try {
            check(
                    Direct.nrt_add_tensor_to_tensor_set(set, Pointer.nativeValue(n), tensor),
                    "nrt_add_tensor_to_tensor_set");
        } finally {
            java.lang.ref.Reference.reachabilityFence(n);
        }
    }

    @Override
    public long getTensorFromTensorSet(long set, String name) {
        Memory n = name(name);
        try {
            check(
                    Direct.nrt_get_tensor_from_tensor_set(set, Pointer.nativeValue(n), slot()),
                    "nrt_get_tensor_from_tensor_set");
            return slotValue();
        } finally {
            java.lang.ref.Reference.reachabilityFence(n);
        }
    }

    @Override
    public void execute(long model, long inputSet, long outputSet) {
        check(Direct.nrt_execute(model, inputSet, outputSet), "nrt_execute");
    }

    @Override
    public void executeRepeat(long model, long inputSet, long outputSet, int repeatCount) {
        check(Direct.nrt_execute_repeat(model, inputSet, outputSet, repeatCount), "nrt_execute_repeat");
    }

    @Override
    public boolean hasNrta() {
        return nrtaExecuteSchedule != null && nrtaIsCompleted != null && nrtaGetSequence != null;
    }

    @Override
    public boolean hasNrtaCompletionEvents() {
        return nrtaEventRegisterSeqIdCompletion != null && eventfd != null && poll != null;
    }

    /** {@link ExecStatus} in a JNA {@code Memory} of its own, which stays put until closed. */
    private static final class MemoryExecStatus implements ExecStatus {
        private final Memory memory = new Memory(4);

        MemoryExecStatus() {
            memory.setInt(0, UNWRITTEN);
        }

        @Override
        public long address() {
            return Pointer.nativeValue(memory);
        }

        @Override
        public int read() {
            return memory.getInt(0);
        }

        @Override
        public void close() {
            memory.close();
        }
    }

    @Override
    public ExecStatus allocateExecStatus() {
        return new MemoryExecStatus();
    }

    private static Function require(Function f, String function) {
        if (f == null) {
            throw new UnsupportedOperationException("this libnrt has no " + function);
        }
        return f;
    }

    @Override
    public long nrtaExecuteSchedule(long model, long inputSet, long outputSet, int queue, ExecStatus execRet) {
        Function f = require(nrtaExecuteSchedule, "nrta_execute_schedule");
        check(
                f.invokeInt(new Object[] {
                    new Pointer(model),
                    new Pointer(inputSet),
                    new Pointer(outputSet),
                    queue,
                    new Pointer(execRet.address()),
                    new Pointer(slot())
                }),
                "nrta_execute_schedule");
        return slotValue();
    }

    @Override
    public boolean nrtaIsCompleted(long seq) {
        Function f = require(nrtaIsCompleted, "nrta_is_completed");
        check(f.invokeInt(new Object[] {seq, new Pointer(slot())}), "nrta_is_completed");
        // bool is one byte (nrt-api.md section 9): never JNA's 4-byte boolean.
        return SLOT.get().getByte(0) != 0;
    }

    @Override
    public long nrtaGetSequence(int lnc, int xu, int queue) {
        Function f = require(nrtaGetSequence, "nrta_get_sequence");
        check(f.invokeInt(new Object[] {lnc, xu, queue, new Pointer(slot())}), "nrta_get_sequence");
        return slotValue();
    }

    @Override
    public void nrtaEventRegisterSeqIdCompletion(long seq, int fd) {
        Function f = require(nrtaEventRegisterSeqIdCompletion, "nrta_event_register_seq_id_completion");
        check(f.invokeInt(new Object[] {seq, fd}), "nrta_event_register_seq_id_completion");
    }

    /** {@code EFD_CLOEXEC | EFD_NONBLOCK} on Linux. */
    private static final int EVENTFD_FLAGS = 0x80000 | 0x800;
    /** {@code POLLIN}. */
    private static final short POLLIN = 1;

    @Override
    public int eventfd() {
        return eventfd == null ? -1 : eventfd.invokeInt(new Object[] {0, EVENTFD_FLAGS});
    }

    @Override
    public boolean awaitEvent(int fd, int timeoutMillis) {
        // struct pollfd { int fd; short events; short revents; }, then the eventfd's 8-byte counter.
        try (Memory m = new Memory(16)) {
            m.clear();
            m.setInt(0, fd);
            m.setShort(4, POLLIN);
            int ready = require(poll, "poll").invokeInt(new Object[] {m, 1L, timeoutMillis});
            if (ready <= 0) {
                return false;
            }
            long n = read.invokeLong(new Object[] {fd, m.share(8), 8L});
            return n == 8;
        }
    }

    @Override
    public void signalEvent(int fd) {
        try (Memory one = new Memory(8)) {
            one.setLong(0, 1L);
            write.invokeLong(new Object[] {fd, one, 8L});
        }
    }

    @Override
    public void closeFd(int fd) {
        closeFd.invokeInt(new Object[] {fd});
    }

    @Override
    public String toString() {
        return "jna binding of " + library;
    }
}
