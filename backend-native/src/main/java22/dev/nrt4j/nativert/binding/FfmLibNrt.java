package dev.nrt4j.nativert.binding;

import static dev.nrt4j.nativert.binding.FfmLayouts.C_INT;
import static dev.nrt4j.nativert.binding.FfmLayouts.C_LONG;
import static dev.nrt4j.nativert.binding.FfmLayouts.C_POINTER;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
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
 * {@link LibNrt} through the Foreign Function &amp; Memory API, written in jextract's shape: one
 * holder class per C function whose {@code static final} method handle is linked the first time
 * the function is called (so the JIT sees a constant), and struct access through the layouts of
 * {@link FfmLayouts}. Which library the holders link against is fixed by {@link #bind}, once per
 * JVM; required symbols are checked at bind time, so a holder never fails to link later.
 */
// Restricted methods are the point of this class; the launcher grants --enable-native-access.
@SuppressWarnings("restricted")
final class FfmLibNrt implements LibNrt {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final Object BIND_LOCK = new Object();
    private static volatile SymbolLookup lookup;
    private static FfmLibNrt bound;

    /** Functions every supported libnrt exports: bind fails without them. */
    private static final String[] REQUIRED = {
        "nrt_get_version",
        "nrt_init",
        "nrt_close",
        "nrt_get_total_nc_count",
        "nrt_get_visible_nc_count",
        "nrt_load",
        "nrt_load_collectives",
        "nrt_unload",
        "nrt_get_model_nc_count",
        "nrt_get_model_tensor_info",
        "nrt_free_model_tensor_info",
        "nrt_tensor_allocate",
        "nrt_tensor_free",
        "nrt_tensor_read",
        "nrt_tensor_write",
        "nrt_tensor_copy",
        "nrt_tensor_memset",
        "nrt_tensor_get_size",
        "nrt_tensor_get_va",
        "nrt_allocate_tensor_set",
        "nrt_destroy_tensor_set",
        "nrt_add_tensor_to_tensor_set",
        "nrt_get_tensor_from_tensor_set",
        "nrt_execute",
        "nrt_execute_repeat",
    };

    /** Functions newer runtimes added: looked up, used when present, reported when absent. */
    private static final String[] OPTIONAL = {
        "nrt_get_status_as_str", "nrt_get_instance_info", "nrt_get_total_vnc_count", "nrt_get_visible_vnc_count",
        "nrt_get_model_vnc_count", "nrt_get_model_info", "nrt_get_vnc_memory_stats", "nrt_tensor_allocate_empty",
        "nrt_tensor_attach_buffer", "nrt_tensor_check_output_completion", "nrta_execute_schedule", "nrta_is_completed",
        "nrta_get_sequence", "nrta_event_register_seq_id_completion",
    };

    /** Out-parameter slots, one small segment per thread, freed with the thread. */
    private static final ThreadLocal<MemorySegment> SLOT =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(16, 8));

    /** C strings of tensor names, which recur on every execute; bounded so odd names cannot grow it forever. */
    private static final int NAME_CACHE_LIMIT = 4096;

    private static final ConcurrentHashMap<String, MemorySegment> NAMES = new ConcurrentHashMap<>();

    private final String library;
    private final Set<String> missing;

    private FfmLibNrt(String library, Set<String> missing) {
        this.library = library;
        this.missing = Collections.unmodifiableSet(missing);
    }

    static FfmLibNrt bind(String library) {
        synchronized (BIND_LOCK) {
            if (bound != null) {
                if (bound.library.equals(library)) {
                    return bound;
                }
                throw new IllegalStateException("FFM already bound libnrt from " + bound.library
                        + " in this JVM; one process binds one libnrt");
            }
            SymbolLookup candidate;
            try {
                // The global arena: libnrt stays loaded for the life of the process, as its state is process-wide.
                candidate = SymbolLookup.libraryLookup(library, Arena.global());
            } catch (IllegalArgumentException e) {
                throw new UnsatisfiedLinkError("cannot load " + library + ": " + e.getMessage());
            }
            for (String name : REQUIRED) {
                if (candidate.find(name).isEmpty()) {
                    throw new UnsatisfiedLinkError(library + " does not export " + name + ", which every libnrt has");
                }
            }
            Set<String> absent = new TreeSet<>();
            for (String name : OPTIONAL) {
                if (candidate.find(name).isEmpty()) {
                    absent.add(name);
                }
            }
            lookup = candidate;
            bound = new FfmLibNrt(library, absent);
            return bound;
        }
    }

    private static MethodHandle link(String name, FunctionDescriptor descriptor) {
        MemorySegment address = lookup.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libnrt has no " + name));
        return LINKER.downcallHandle(address, descriptor);
    }

    private static MethodHandle linkOptional(String name, FunctionDescriptor descriptor) {
        Optional<MemorySegment> address = lookup.find(name);
        return address.map(a -> LINKER.downcallHandle(a, descriptor)).orElse(null);
    }

    private static MethodHandle linkLibc(String name, FunctionDescriptor descriptor) {
        MemorySegment address = LINKER.defaultLookup()
                .find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("the C library has no " + name));
        return LINKER.downcallHandle(address, descriptor);
    }

    private static MethodHandle linkLibcOptional(String name, FunctionDescriptor descriptor) {
        return LINKER.defaultLookup()
                .find(name)
                .map(a -> LINKER.downcallHandle(a, descriptor))
                .orElse(null);
    }

    // ---- one holder per function: linked on first use ---------------------------------------

    private static final class nrt_get_status_as_str {
        static final MethodHandle HANDLE =
                linkOptional("nrt_get_status_as_str", FunctionDescriptor.of(C_POINTER, C_INT));
    }

    private static final class nrt_get_version {
        static final MethodHandle HANDLE = link("nrt_get_version", FunctionDescriptor.of(C_INT, C_POINTER, C_LONG));
    }

    private static final class nrt_init {
        static final MethodHandle HANDLE = link("nrt_init", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER));
    }

    private static final class nrt_close {
        static final MethodHandle HANDLE = link("nrt_close", FunctionDescriptor.ofVoid());
    }

    private static final class nrt_get_instance_info {
        static final MethodHandle HANDLE =
                linkOptional("nrt_get_instance_info", FunctionDescriptor.of(C_INT, C_POINTER, C_LONG));
    }

    private static final class nrt_get_total_nc_count {
        static final MethodHandle HANDLE = link("nrt_get_total_nc_count", FunctionDescriptor.of(C_INT, C_POINTER));
    }

    private static final class nrt_get_total_vnc_count {
        static final MethodHandle HANDLE =
                linkOptional("nrt_get_total_vnc_count", FunctionDescriptor.of(C_INT, C_POINTER));
    }

    private static final class nrt_get_visible_nc_count {
        static final MethodHandle HANDLE = link("nrt_get_visible_nc_count", FunctionDescriptor.of(C_INT, C_POINTER));
    }

    private static final class nrt_get_visible_vnc_count {
        static final MethodHandle HANDLE =
                linkOptional("nrt_get_visible_vnc_count", FunctionDescriptor.of(C_INT, C_POINTER));
    }

    private static final class nrt_get_vnc_memory_stats {
        static final MethodHandle HANDLE = linkOptional(
                "nrt_get_vnc_memory_stats", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_LONG, C_POINTER));
    }

    private static final class nrt_load {
        static final MethodHandle HANDLE =
                link("nrt_load", FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_INT, C_INT, C_POINTER));
    }

    private static final class nrt_load_collectives {
        static final MethodHandle HANDLE = link(
                "nrt_load_collectives",
                FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_INT, C_INT, C_INT, C_INT, C_POINTER));
    }

    private static final class nrt_unload {
        static final MethodHandle HANDLE = link("nrt_unload", FunctionDescriptor.of(C_INT, C_POINTER));
    }

    private static final class nrt_get_model_nc_count {
        static final MethodHandle HANDLE =
                link("nrt_get_model_nc_count", FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER));
    }

    private static final class nrt_get_model_vnc_count {
        static final MethodHandle HANDLE =
                linkOptional("nrt_get_model_vnc_count", FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER));
    }

    private static final class nrt_get_model_info {
        static final MethodHandle HANDLE = linkOptional(
                "nrt_get_model_info", FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_LONG, C_POINTER));
    }

    private static final class nrt_get_model_tensor_info {
        static final MethodHandle HANDLE =
                link("nrt_get_model_tensor_info", FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER));
    }

    private static final class nrt_free_model_tensor_info {
        static final MethodHandle HANDLE = link("nrt_free_model_tensor_info", FunctionDescriptor.of(C_INT, C_POINTER));
    }

    private static final class nrt_tensor_allocate {
        static final MethodHandle HANDLE =
                link("nrt_tensor_allocate", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_LONG, C_POINTER, C_POINTER));
    }

    private static final class nrt_tensor_allocate_empty {
        static final MethodHandle HANDLE =
                linkOptional("nrt_tensor_allocate_empty", FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER));
    }

    private static final class nrt_tensor_attach_buffer {
        static final MethodHandle HANDLE =
                linkOptional("nrt_tensor_attach_buffer", FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_LONG));
    }

    private static final class nrt_tensor_free {
        static final MethodHandle HANDLE = link("nrt_tensor_free", FunctionDescriptor.ofVoid(C_POINTER));
    }

    private static final class nrt_tensor_read {
        static final MethodHandle HANDLE =
                link("nrt_tensor_read", FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_LONG, C_LONG));
    }

    private static final class nrt_tensor_write {
        static final MethodHandle HANDLE =
                link("nrt_tensor_write", FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_LONG, C_LONG));
    }

    private static final class nrt_tensor_copy {
        static final MethodHandle HANDLE =
                link("nrt_tensor_copy", FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_POINTER, C_LONG, C_LONG));
    }

    private static final class nrt_tensor_memset {
        static final MethodHandle HANDLE =
                link("nrt_tensor_memset", FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_INT, C_LONG));
    }

    private static final class nrt_tensor_get_size {
        static final MethodHandle HANDLE = link("nrt_tensor_get_size", FunctionDescriptor.of(C_LONG, C_POINTER));
    }

    private static final class nrt_tensor_get_va {
        static final MethodHandle HANDLE = link("nrt_tensor_get_va", FunctionDescriptor.of(C_POINTER, C_POINTER));
    }

    private static final class nrt_tensor_check_output_completion {
        static final MethodHandle HANDLE = linkOptional(
                "nrt_tensor_check_output_completion", FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_LONG));
    }

    private static final class nrt_allocate_tensor_set {
        static final MethodHandle HANDLE = link("nrt_allocate_tensor_set", FunctionDescriptor.of(C_INT, C_POINTER));
    }

    private static final class nrt_destroy_tensor_set {
        static final MethodHandle HANDLE = link("nrt_destroy_tensor_set", FunctionDescriptor.ofVoid(C_POINTER));
    }

    private static final class nrt_add_tensor_to_tensor_set {
        static final MethodHandle HANDLE =
                link("nrt_add_tensor_to_tensor_set", FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_POINTER));
    }

    private static final class nrt_get_tensor_from_tensor_set {
        static final MethodHandle HANDLE =
                link("nrt_get_tensor_from_tensor_set", FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_POINTER));
    }

    private static final class nrt_execute {
        static final MethodHandle HANDLE =
                link("nrt_execute", FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_POINTER));
    }

    private static final class nrt_execute_repeat {
        static final MethodHandle HANDLE =
                link("nrt_execute_repeat", FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_POINTER, C_INT));
    }

    private static final class nrta_execute_schedule {
        static final MethodHandle HANDLE = linkOptional(
                "nrta_execute_schedule",
                FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_POINTER, C_INT, C_POINTER, C_POINTER));
    }

    private static final class nrta_is_completed {
        static final MethodHandle HANDLE =
                linkOptional("nrta_is_completed", FunctionDescriptor.of(C_INT, C_LONG, C_POINTER));
    }

    private static final class nrta_get_sequence {
        static final MethodHandle HANDLE =
                linkOptional("nrta_get_sequence", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER));
    }

    private static final class nrta_event_register_seq_id_completion {
        static final MethodHandle HANDLE =
                linkOptional("nrta_event_register_seq_id_completion", FunctionDescriptor.of(C_INT, C_LONG, C_INT));
    }

    private static final class libc_eventfd {
        static final MethodHandle HANDLE = linkLibcOptional("eventfd", FunctionDescriptor.of(C_INT, C_INT, C_INT));
    }

    private static final class libc_poll {
        static final MethodHandle HANDLE =
                linkLibcOptional("poll", FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_INT));
    }

    private static final class libc_read {
        static final MethodHandle HANDLE = linkLibc("read", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));
    }

    private static final class libc_write {
        static final MethodHandle HANDLE = linkLibc("write", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));
    }

    private static final class libc_close {
        static final MethodHandle HANDLE = linkLibc("close", FunctionDescriptor.of(C_INT, C_INT));
    }

    private static final class libc_setenv {
        static final MethodHandle HANDLE =
                linkLibc("setenv", FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_INT));
    }

    private static final class libc_unsetenv {
        static final MethodHandle HANDLE = linkLibc("unsetenv", FunctionDescriptor.of(C_INT, C_POINTER));
    }

    private static final class libc_getenv {
        static final MethodHandle HANDLE = linkLibc("getenv", FunctionDescriptor.of(C_POINTER, C_POINTER));
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static MemorySegment ptr(long address) {
        return MemorySegment.ofAddress(address);
    }

    private static MemorySegment slot() {
        MemorySegment s = SLOT.get();
        s.set(ValueLayout.JAVA_LONG, 0, 0L);
        return s;
    }

    private static long slotValue() {
        return SLOT.get().get(ValueLayout.JAVA_LONG, 0);
    }

    private static int slotInt() {
        return SLOT.get().get(ValueLayout.JAVA_INT, 0);
    }

    private static MemorySegment name(String s) {
        MemorySegment cached = NAMES.get(s);
        if (cached != null) {
            return cached;
        }
        MemorySegment fresh = Arena.ofAuto().allocateFrom(s);
        if (NAMES.size() < NAME_CACHE_LIMIT) {
            MemorySegment raced = NAMES.putIfAbsent(s, fresh);
            return raced != null ? raced : fresh;
        }
        return fresh;
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }

    private void check(int status, String function) {
        NrtStatus.check(status, function, this);
    }

    private static String cString(MemorySegment s, long offset, int max) {
        MemorySegment field = s.asSlice(offset, max);
        long n = 0;
        while (n < max && field.get(ValueLayout.JAVA_BYTE, n) != 0) {
            n++;
        }
        return new String(field.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static MethodHandle require(MethodHandle h, String function) {
        if (h == null) {
            throw new UnsupportedOperationException("this libnrt has no " + function);
        }
        return h;
    }

    // ---- LibNrt -----------------------------------------------------------------------------

    @Override
    public String bindingName() {
        return "ffm";
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
        return FfmLayouts.size(struct);
    }

    @Override
    public long fieldOffset(String struct, String field) {
        return FfmLayouts.offset(struct, field);
    }

    @Override
    public long directBufferAddress(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
        }
        return MemorySegment.ofBuffer(direct).address() - direct.position();
    }

    @Override
    public void setenv(String name, String value) {
        try (Arena a = Arena.ofConfined()) {
            int r = (int) libc_setenv.HANDLE.invokeExact(a.allocateFrom(name), a.allocateFrom(value), 1);
            if (r != 0) {
                throw new IllegalArgumentException("setenv(" + name + ") failed");
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void unsetenv(String name) {
        try (Arena a = Arena.ofConfined()) {
            int ignored = (int) libc_unsetenv.HANDLE.invokeExact(a.allocateFrom(name));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public Optional<String> getenv(String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = (MemorySegment) libc_getenv.HANDLE.invokeExact(a.allocateFrom(name));
            return p.address() == 0
                    ? Optional.empty()
                    : Optional.of(p.reinterpret(Long.MAX_VALUE).getString(0));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public Optional<String> statusText(int status) {
        MethodHandle h = nrt_get_status_as_str.HANDLE;
        if (h == null) {
            return Optional.empty();
        }
        try {
            MemorySegment p = (MemorySegment) h.invokeExact(status);
            return p.address() == 0
                    ? Optional.empty()
                    : Optional.of(p.reinterpret(Long.MAX_VALUE).getString(0));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public RuntimeVersion version() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(FfmLayouts.VERSION);
            int s = (int) nrt_get_version.HANDLE.invokeExact(v, FfmLayouts.VERSION.byteSize());
            check(s, "nrt_get_version");
            return new RuntimeVersion(
                    v.get(C_LONG, FfmLayouts.offset("nrt_version_t", "rt_major")),
                    v.get(C_LONG, FfmLayouts.offset("nrt_version_t", "rt_minor")),
                    v.get(C_LONG, FfmLayouts.offset("nrt_version_t", "rt_patch")),
                    v.get(C_LONG, FfmLayouts.offset("nrt_version_t", "rt_maintenance")),
                    cString(v, FfmLayouts.offset("nrt_version_t", "rt_detail"), 128),
                    cString(v, FfmLayouts.offset("nrt_version_t", "git_hash"), 64));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void init(int framework, String fwVersion, String falVersion) {
        try (Arena a = Arena.ofConfined()) {
            int s = (int) nrt_init.HANDLE.invokeExact(framework, a.allocateFrom(fwVersion), a.allocateFrom(falVersion));
            check(s, "nrt_init");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void close() {
        try {
            nrt_close.HANDLE.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public Optional<InstanceInfo> instanceInfo() {
        MethodHandle h = nrt_get_instance_info.HANDLE;
        if (h == null) {
            return Optional.empty();
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(FfmLayouts.INSTANCE_INFO);
            int s = (int) h.invokeExact(m, FfmLayouts.INSTANCE_INFO.byteSize());
            check(s, "nrt_get_instance_info");
            return Optional.of(new InstanceInfo(
                    m.get(C_INT, FfmLayouts.offset("nrt_instance_info_t", "family")),
                    m.get(C_INT, FfmLayouts.offset("nrt_instance_info_t", "size")),
                    cString(m, FfmLayouts.offset("nrt_instance_info_t", "arch_name"), 16),
                    cString(m, FfmLayouts.offset("nrt_instance_info_t", "device_revision"), 8)));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int totalCoreCount() {
        try {
            MethodHandle vnc = nrt_get_total_vnc_count.HANDLE;
            if (vnc != null) {
                check((int) vnc.invokeExact(slot()), "nrt_get_total_vnc_count");
            } else {
                check((int) nrt_get_total_nc_count.HANDLE.invokeExact(slot()), "nrt_get_total_nc_count");
            }
            return slotInt();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int visibleCoreCount() {
        try {
            MethodHandle vnc = nrt_get_visible_vnc_count.HANDLE;
            if (vnc != null) {
                check((int) vnc.invokeExact(slot()), "nrt_get_visible_vnc_count");
            } else {
                check((int) nrt_get_visible_nc_count.HANDLE.invokeExact(slot()), "nrt_get_visible_nc_count");
            }
            return slotInt();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public Optional<MemoryStats> memoryStats(int vnc) {
        MethodHandle h = nrt_get_vnc_memory_stats.HANDLE;
        if (h == null) {
            return Optional.empty();
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(FfmLayouts.VNC_MEMORY_STATS);
            int s = (int) h.invokeExact(vnc, m, FfmLayouts.VNC_MEMORY_STATS.byteSize(), slot());
            check(s, "nrt_get_vnc_memory_stats");
            return Optional.of(new MemoryStats(
                    m.get(C_LONG, FfmLayouts.offset("nrt_vnc_memory_stats_t", "bytes_used")),
                    m.get(C_LONG, FfmLayouts.offset("nrt_vnc_memory_stats_t", "bytes_limit"))));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long load(byte[] neff, int vnc, int vncCount) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment bytes = a.allocate(Math.max(neff.length, 1));
            MemorySegment.copy(neff, 0, bytes, ValueLayout.JAVA_BYTE, 0, neff.length);
            int s = (int) nrt_load.HANDLE.invokeExact(bytes, (long) neff.length, vnc, vncCount, slot());
            check(s, "nrt_load");
            return slotValue();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long loadCollectives(byte[] neff, int vnc, int vncCount, int ctxDeviceId, int ctxDeviceCount) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment bytes = a.allocate(Math.max(neff.length, 1));
            MemorySegment.copy(neff, 0, bytes, ValueLayout.JAVA_BYTE, 0, neff.length);
            int s = (int) nrt_load_collectives.HANDLE.invokeExact(
                    bytes, (long) neff.length, vnc, vncCount, ctxDeviceId, ctxDeviceCount, slot());
            check(s, "nrt_load_collectives");
            return slotValue();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void unload(long model) {
        try {
            check((int) nrt_unload.HANDLE.invokeExact(ptr(model)), "nrt_unload");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int modelCoreCount(long model) {
        try {
            MethodHandle vnc = nrt_get_model_vnc_count.HANDLE;
            if (vnc != null) {
                check((int) vnc.invokeExact(ptr(model), slot()), "nrt_get_model_vnc_count");
            } else {
                check((int) nrt_get_model_nc_count.HANDLE.invokeExact(ptr(model), slot()), "nrt_get_model_nc_count");
            }
            return slotInt();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public OptionalInt modelVnc(long model) {
        MethodHandle h = nrt_get_model_info.HANDLE;
        if (h == null) {
            return OptionalInt.empty();
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(FfmLayouts.MODEL_INFO);
            int s = (int) h.invokeExact(ptr(model), m, FfmLayouts.MODEL_INFO.byteSize(), slot());
            check(s, "nrt_get_model_info");
            return OptionalInt.of(m.get(C_INT, FfmLayouts.offset("nrt_model_info_t", "vnc")));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public List<RawTensorInfo> modelTensorInfo(long model) {
        long array;
        try {
            check((int) nrt_get_model_tensor_info.HANDLE.invokeExact(ptr(model), slot()), "nrt_get_model_tensor_info");
            array = slotValue();
        } catch (Throwable t) {
            throw rethrow(t);
        }
        try {
            MemorySegment header = ptr(array).reinterpret(FfmLayouts.TENSOR_INFO_ARRAY.byteSize());
            long count = header.get(C_LONG, FfmLayouts.offset("nrt_tensor_info_array_t", "tensor_count"));
            long entrySize = FfmLayouts.TENSOR_INFO.byteSize();
            MemorySegment entries = ptr(array + FfmLayouts.INFO_ENTRIES).reinterpret(count * entrySize);
            List<RawTensorInfo> out = new ArrayList<>();
            for (long i = 0; i < count; i++) {
                MemorySegment e = entries.asSlice(i * entrySize, entrySize);
                int ndim = e.get(C_INT, FfmLayouts.INFO_NDIM);
                MemorySegment shape = e.get(C_POINTER, FfmLayouts.INFO_SHAPE).reinterpret(4L * ndim);
                long[] dims = new long[ndim];
                for (int d = 0; d < ndim; d++) {
                    dims[d] = Integer.toUnsignedLong(shape.getAtIndex(C_INT, d));
                }
                out.add(new RawTensorInfo(
                        cString(e, 0, 256),
                        e.get(C_INT, FfmLayouts.INFO_USAGE),
                        e.get(C_LONG, FfmLayouts.INFO_SIZE_FIELD),
                        e.get(C_INT, FfmLayouts.INFO_DTYPE),
                        dims));
            }
            return out;
        } finally {
            try {
                check((int) nrt_free_model_tensor_info.HANDLE.invokeExact(ptr(array)), "nrt_free_model_tensor_info");
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }
    }

    @Override
    public long tensorAllocate(int placement, int vnc, long size, String name) {
        try {
            check(
                    (int) nrt_tensor_allocate.HANDLE.invokeExact(placement, vnc, size, name(name), slot()),
                    "nrt_tensor_allocate");
            return slotValue();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public OptionalLong tensorAllocateEmpty(String name) {
        MethodHandle h = nrt_tensor_allocate_empty.HANDLE;
        if (h == null) {
            return OptionalLong.empty();
        }
        try {
            check((int) h.invokeExact(name(name), slot()), "nrt_tensor_allocate_empty");
            return OptionalLong.of(slotValue());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void tensorAttachBuffer(long tensor, long buffer, long size) {
        MethodHandle h = require(nrt_tensor_attach_buffer.HANDLE, "nrt_tensor_attach_buffer");
        try {
            check((int) h.invokeExact(ptr(tensor), ptr(buffer), size), "nrt_tensor_attach_buffer");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void tensorFree(long tensor) {
        try {
            MemorySegment s = SLOT.get();
            s.set(ValueLayout.JAVA_LONG, 0, tensor);
            nrt_tensor_free.HANDLE.invokeExact(s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void tensorRead(long tensor, long buffer, long offset, long size) {
        try {
            check((int) nrt_tensor_read.HANDLE.invokeExact(ptr(tensor), ptr(buffer), offset, size), "nrt_tensor_read");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void tensorWrite(long tensor, long buffer, long offset, long size) {
        try {
            check(
                    (int) nrt_tensor_write.HANDLE.invokeExact(ptr(tensor), ptr(buffer), offset, size),
                    "nrt_tensor_write");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void tensorRead(long tensor, byte[] dst, int dstOffset, long offset, int size) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment bounce = a.allocate(Math.max(size, 1));
            check(
                    (int) nrt_tensor_read.HANDLE.invokeExact(ptr(tensor), bounce, offset, (long) size),
                    "nrt_tensor_read");
            MemorySegment.copy(bounce, ValueLayout.JAVA_BYTE, 0, dst, dstOffset, size);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void tensorWrite(long tensor, byte[] src, int srcOffset, long offset, int size) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment bounce = a.allocate(Math.max(size, 1));
            MemorySegment.copy(src, srcOffset, bounce, ValueLayout.JAVA_BYTE, 0, size);
            check(
                    (int) nrt_tensor_write.HANDLE.invokeExact(ptr(tensor), bounce, offset, (long) size),
                    "nrt_tensor_write");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void tensorCopy(long src, long srcOffset, long dst, long dstOffset, long size) {
        try {
            check(
                    (int) nrt_tensor_copy.HANDLE.invokeExact(ptr(src), srcOffset, ptr(dst), dstOffset, size),
                    "nrt_tensor_copy");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void tensorMemset(long tensor, long offset, int value, long size) {
        try {
            check((int) nrt_tensor_memset.HANDLE.invokeExact(ptr(tensor), offset, value, size), "nrt_tensor_memset");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long tensorSize(long tensor) {
        if (tensor == 0) {
            throw new IllegalArgumentException("nrt_tensor_get_size on NULL would abort the process");
        }
        try {
            return (long) nrt_tensor_get_size.HANDLE.invokeExact(ptr(tensor));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long tensorVa(long tensor) {
        try {
            return ((MemorySegment) nrt_tensor_get_va.HANDLE.invokeExact(ptr(tensor))).address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public boolean tensorCheckOutputCompletion(long tensor, long timeoutMicros, long expectedCount) {
        MethodHandle h = require(nrt_tensor_check_output_completion.HANDLE, "nrt_tensor_check_output_completion");
        int status;
        try {
            status = (int) h.invokeExact(ptr(tensor), timeoutMicros, expectedCount);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (status == dev.nrt4j.Status.TIMEOUT.code()) {
            return false;
        }
        check(status, "nrt_tensor_check_output_completion");
        return true;
    }

    @Override
    public long allocateTensorSet() {
        try {
            check((int) nrt_allocate_tensor_set.HANDLE.invokeExact(slot()), "nrt_allocate_tensor_set");
            return slotValue();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void destroyTensorSet(long set) {
        try {
            MemorySegment s = SLOT.get();
            s.set(ValueLayout.JAVA_LONG, 0, set);
            nrt_destroy_tensor_set.HANDLE.invokeExact(s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void addTensorToTensorSet(long set, String name, long tensor) {
        try {
            check(
                    (int) nrt_add_tensor_to_tensor_set.HANDLE.invokeExact(ptr(set), name(name), ptr(tensor)),
                    "nrt_add_tensor_to_tensor_set");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long getTensorFromTensorSet(long set, String name) {
        try {
            check(
                    (int) nrt_get_tensor_from_tensor_set.HANDLE.invokeExact(ptr(set), name(name), slot()),
                    "nrt_get_tensor_from_tensor_set");
            return slotValue();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void execute(long model, long inputSet, long outputSet) {
        try {
            check((int) nrt_execute.HANDLE.invokeExact(ptr(model), ptr(inputSet), ptr(outputSet)), "nrt_execute");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void executeRepeat(long model, long inputSet, long outputSet, int repeatCount) {
        try {
            check(
                    (int) nrt_execute_repeat.HANDLE.invokeExact(ptr(model), ptr(inputSet), ptr(outputSet), repeatCount),
                    "nrt_execute_repeat");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public boolean hasNrta() {
        return !missing.contains("nrta_execute_schedule")
                && !missing.contains("nrta_is_completed")
                && !missing.contains("nrta_get_sequence");
    }

    @Override
    public boolean hasNrtaCompletionEvents() {
        return !missing.contains("nrta_event_register_seq_id_completion")
                && libc_eventfd.HANDLE != null
                && libc_poll.HANDLE != null;
    }

    /** {@link ExecStatus} in a shared arena of its own: written by a libnrt thread, freed by its closer. */
    private static final class ArenaExecStatus implements ExecStatus {
        private final Arena arena = Arena.ofShared();
        private final MemorySegment segment = arena.allocate(C_INT);

        ArenaExecStatus() {
            segment.set(C_INT, 0, UNWRITTEN);
        }

        @Override
        public long address() {
            return segment.address();
        }

        @Override
        public int read() {
            return segment.get(C_INT, 0);
        }

        @Override
        public void close() {
            arena.close();
        }
    }

    @Override
    public ExecStatus allocateExecStatus() {
        return new ArenaExecStatus();
    }

    @Override
    public long nrtaExecuteSchedule(long model, long inputSet, long outputSet, int queue, ExecStatus execRet) {
        MethodHandle h = require(nrta_execute_schedule.HANDLE, "nrta_execute_schedule");
        try {
            check(
                    (int) h.invokeExact(
                            ptr(model), ptr(inputSet), ptr(outputSet), queue, ptr(execRet.address()), slot()),
                    "nrta_execute_schedule");
            return slotValue();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public boolean nrtaIsCompleted(long seq) {
        MethodHandle h = require(nrta_is_completed.HANDLE, "nrta_is_completed");
        try {
            check((int) h.invokeExact(seq, slot()), "nrta_is_completed");
            // bool is one byte (nrt-api.md section 9).
            return SLOT.get().get(ValueLayout.JAVA_BYTE, 0) != 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long nrtaGetSequence(int lnc, int xu, int queue) {
        MethodHandle h = require(nrta_get_sequence.HANDLE, "nrta_get_sequence");
        try {
            check((int) h.invokeExact(lnc, xu, queue, slot()), "nrta_get_sequence");
            return slotValue();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void nrtaEventRegisterSeqIdCompletion(long seq, int fd) {
        MethodHandle h = require(nrta_event_register_seq_id_completion.HANDLE, "nrta_event_register_seq_id_completion");
        try {
            check((int) h.invokeExact(seq, fd), "nrta_event_register_seq_id_completion");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code EFD_CLOEXEC | EFD_NONBLOCK} on Linux. */
    private static final int EVENTFD_FLAGS = 0x80000 | 0x800;
    /** {@code POLLIN}. */
    private static final short POLLIN = 1;

    @Override
    public int eventfd() {
        MethodHandle h = libc_eventfd.HANDLE;
        if (h == null) {
            return -1;
        }
        try {
            return (int) h.invokeExact(0, EVENTFD_FLAGS);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public boolean awaitEvent(int fd, int timeoutMillis) {
        try (Arena a = Arena.ofConfined()) {
            // struct pollfd { int fd; short events; short revents; }
            MemorySegment pollfd = a.allocate(8, 4);
            pollfd.set(C_INT, 0, fd);
            pollfd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
            int ready = (int) require(libc_poll.HANDLE, "poll").invokeExact(pollfd, 1L, timeoutMillis);
            if (ready <= 0) {
                return false;
            }
            MemorySegment counter = a.allocate(C_LONG);
            long n = (long) libc_read.HANDLE.invokeExact(fd, counter, 8L);
            return n == 8;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void signalEvent(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment one = a.allocate(C_LONG);
            one.set(C_LONG, 0, 1L);
            long ignored = (long) libc_write.HANDLE.invokeExact(fd, one, 8L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void closeFd(int fd) {
        try {
            int ignored = (int) libc_close.HANDLE.invokeExact(fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public String toString() {
        return "ffm binding of " + library;
    }
}
