package dev.nrt4j.nativert;

import dev.nrt4j.BackendInfo;
import dev.nrt4j.LoadOptions;
import dev.nrt4j.MemoryUsage;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronCore;
import dev.nrt4j.NeuronDevice;
import dev.nrt4j.NeuronException;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import dev.nrt4j.TensorPlacement;
import dev.nrt4j.artifacts.ModelArtifacts;
import dev.nrt4j.artifacts.ModelFile;
import dev.nrt4j.device.CoreSelection;
import dev.nrt4j.device.InstanceCatalog;
import dev.nrt4j.device.InstanceType;
import dev.nrt4j.device.LogicalCore;
import dev.nrt4j.device.LogicalCoreLayout;
import dev.nrt4j.device.NeuronChip;
import dev.nrt4j.device.VisibleCores;
import dev.nrt4j.device.driver.DriverDevice;
import dev.nrt4j.device.driver.DriverSysfs;
import dev.nrt4j.device.driver.DriverSysfsException;
import dev.nrt4j.device.driver.SystemRoot;
import dev.nrt4j.hlo.proto.HloProtoReader;
import dev.nrt4j.nativert.binding.InstanceInfo;
import dev.nrt4j.nativert.binding.LibNrt;
import dev.nrt4j.nativert.binding.MemoryStats;
import dev.nrt4j.nativert.binding.RuntimeVersion;
import dev.nrt4j.spi.CatalogDevices;
import dev.nrt4j.spi.ModelHandle;
import dev.nrt4j.spi.RuntimeBackend;
import dev.nrt4j.spi.StateDirectory;
import dev.nrt4j.spi.TensorHandle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An initialised libnrt: the cores this process claimed, and the factory for native tensors and
 * models. libnrt's state is process-wide (one {@code nrt_init} per process), so one process has at most
 * one open native runtime; a second {@link #open} while one is open is refused with {@link Status#RESOURCE}.
 *
 * <p>Ownership: the API layer's registry frees every tensor and model made here before it calls
 * {@link #close()} (the order the {@link RuntimeBackend} contract gives), so {@code nrt_close} never runs
 * under live handles; this class keeps no registry of its own. A handle used after the runtime closed
 * reports {@link Status#CLOSED} ({@link #checkOpen}), one used after its own release
 * {@link Status#INVALID_HANDLE} ({@link NativeHandle}): never a call into libnrt with a dead pointer.
 * Requests scheduled through libnrt's async API ({@link NrtaExecutions}) end before {@code nrt_close},
 * since libnrt writes their status and reads their tensor sets until they complete.
 * Thread-safe.
 */
final class NativeRuntime implements RuntimeBackend {
    /** Whether this process has a native runtime open or opening: libnrt allows one {@code nrt_init} at a time. */
    private static final AtomicBoolean PROCESS_HAS_ONE = new AtomicBoolean();

    private final LibNrt lib;
    private final EnvironmentSettings environment;
    private final RuntimeVersion version;
    private final DTypeCodes dtypes;
    private final BackendInfo info;
    private final List<NeuronCore> cores;
    private final List<NeuronDevice> devices;
    private final NeffCache compileCache;
    /** libnrt's explicit async API, or empty when the API layer's per-core executor runs executeAsync. */
    private final Optional<NrtaExecutions> nrta;

    private volatile boolean closed;

    private NativeRuntime(LibNrt lib, EnvironmentSettings environment, RuntimeOptions options, SystemRoot machine) {
        this.lib = lib;
        this.environment = environment;
        this.version = lib.version();
        this.dtypes = DTypeCodes.of(version);
        Optional<InstanceInfo> instance = lib.instanceInfo();
        Optional<InstanceType> type = instance.flatMap(InstanceTypes::name).flatMap(InstanceCatalog::find);
        int lnc = options.lnc().orElse(type.map(InstanceType::defaultLnc).orElse(1));
        int total = lib.totalCoreCount();
        int visible = lib.visibleCoreCount();
        this.cores = withLibnrtLimits(lib, cores(options, type, lnc, total, visible));
        List<NeuronDevice> fromDriver = devicesFromDriver(machine, lnc);
        this.devices = fromDriver.isEmpty() ? devices(type, lnc) : fromDriver;
        this.compileCache = new NeffCache(StateDirectory.resolve(options));
        this.nrta = NrtaExecutions.open(lib, version);
        this.info = new BackendInfo(
                NativeBackendProvider.NAME,
                version.toString(),
                type.map(InstanceType::name).orElse("unknown"),
                lnc,
                "libnrt " + version.detail() + " at " + lib.library() + " through " + lib.bindingName() + "; "
                        + NrtaExecutions.describe(lib, version, nrta)
                        + missingNote(lib));
    }

    /** Applies the options' environment, initialises libnrt and claims the cores. */
    static NativeRuntime open(LibNrt lib, RuntimeOptions options, SystemRoot machine) {
        if (!PROCESS_HAS_ONE.compareAndSet(false, true)) {
            throw new NeuronException(
                    Status.RESOURCE,
                    "open native runtime",
                    "this process already has an open native runtime (libnrt is process-wide); close it first");
        }
        EnvironmentSettings env = EnvironmentSettings.of(options);
        boolean initialised = false;
        try {
            options.lnc().ifPresent(lnc -> refuseAnLncTheChipLacks(lnc, machine));
            options.profileOutput().ifPresent(NativeRuntime::prepareProfileDirectory);
            env.apply(lib);
            lib.init(LibNrt.FRAMEWORK_NO_FW, "", "");
            initialised = true;
            return new NativeRuntime(lib, env, options, machine);
        } catch (RuntimeException | Error e) {
            if (initialised) {
                lib.close();
            }
            env.restore(lib);
            PROCESS_HAS_ONE.set(false);
            throw e;
        }
    }

    /**
     * libnrt writes its inspect output into the profile directory; one that cannot be made is the caller's
     * to fix, said before libnrt runs rather than found missing after the executions.
     */
    private static void prepareProfileDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
            if (!Files.isWritable(dir)) {
                throw new IOException("not writable");
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new NeuronException(
                    Status.INVALID,
                    "open the profile output directory " + dir,
                    "it cannot be made or written (" + e + "); give a writable directory");
        }
    }

    /**
     * An LNC the machine's chip does not have is the caller's mistake, whatever status libnrt would give
     * it (undocumented): refused as {@link Status#INVALID} before libnrt sees it, when the driver's sysfs
     * says which chip this is. Without a readable driver tree libnrt decides.
     */
    private static void refuseAnLncTheChipLacks(int lnc, SystemRoot machine) {
        List<DriverDevice> found;
        try {
            found = new DriverSysfs(machine).devices();
        } catch (DriverSysfsException e) {
            return;
        }
        for (DriverDevice d : found) {
            Optional<NeuronChip> chip = d.chip();
            if (chip.isPresent() && !chip.get().acceptsLnc(lnc)) {
                throw new NeuronException(
                        Status.INVALID,
                        "open native runtime",
                        "NEURON_LOGICAL_NC_CONFIG=" + lnc + ": "
                                + chip.get().displayName() + " devices take LNC "
                                + chip.get().allowedLnc()
                                + "; choose one of those (or leave it unset for "
                                + chip.get().defaultLnc() + ")");
            }
        }
    }

    static String missingNote(LibNrt lib) {
        return lib.missingOptionalFunctions().isEmpty()
                ? ""
                : "; this libnrt lacks " + String.join(", ", lib.missingOptionalFunctions());
    }

    private static List<NeuronCore> cores(
            RuntimeOptions options, Optional<InstanceType> type, int lnc, int total, int visible) {
        List<Integer> globalIds = new ArrayList<>();
        if (options.visibleCores().isPresent()) {
            try {
                VisibleCores v =
                        CoreSelection.parseVisibleCores(options.visibleCores().get(), total);
                globalIds.addAll(v.ids());
            } catch (RuntimeException e) {
                // libnrt accepted a set our parser does not: number the cores from 0 instead (inferred ids).
            }
        }
        if (globalIds.size() != visible) {
            globalIds.clear();
            for (int i = 0; i < visible; i++) {
                globalIds.add(i);
            }
        }
        LogicalCoreLayout layout = null;
        if (type.isPresent()) {
            try {
                layout = type.get().layout(lnc);
            } catch (RuntimeException e) {
                layout = null;
            }
        }
        List<NeuronCore> out = new ArrayList<>();
        for (int i = 0; i < visible; i++) {
            int id = globalIds.get(i);
            if (layout != null && id < layout.logicalCoreCount()) {
                LogicalCore c = layout.core(id);
                out.add(new NeuronCore(i, id, c.device(), c.physicalCores(), c.hbmStack(), c.hbmStackBytes()));
            } else {
                out.add(new NeuronCore(i, id, 0, List.of(id), 0, 0));
            }
        }
        return List.copyOf(out);
    }

    /**
     * The cores with the device memory libnrt says each may use ({@code nrt_get_vnc_memory_stats}'s
     * limit) where it says, which is what allocations are held to, rather than the catalog's stack size.
     */
    private static List<NeuronCore> withLibnrtLimits(LibNrt lib, List<NeuronCore> cores) {
        List<NeuronCore> out = new ArrayList<>();
        for (NeuronCore c : cores) {
            long limit = 0;
            try {
                limit = lib.memoryStats(c.index()).map(MemoryStats::bytesLimit).orElse(0L);
            } catch (NeuronException e) {
                // A library that has the function but refuses the core keeps the catalog's figure.
            }
            out.add(
                    limit > 0
                            ? new NeuronCore(
                                    c.index(), c.globalId(), c.device(), c.physicalCores(), c.hbmStack(), limit)
                            : c);
        }
        return List.copyOf(out);
    }

    /**
     * The devices as the driver's sysfs shows them (what is really there, whatever libnrt's instance
     * codes say), or empty when the tree has none or cannot be read.
     */
    static List<NeuronDevice> devicesFromDriver(SystemRoot machine, int lnc) {
        List<DriverDevice> found;
        try {
            found = new DriverSysfs(machine).devices();
        } catch (DriverSysfsException e) {
            return List.of();
        }
        List<NeuronDevice> out = new ArrayList<>();
        int next = 0;
        for (DriverDevice d : found) {
            int size = d.physicalCoreCount() % lnc == 0 ? lnc : 1;
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < d.physicalCoreCount() / size; i++) {
                ids.add(next++);
            }
            out.add(new NeuronDevice(
                    d.index(),
                    d.chip().map(NeuronChip::displayName).orElse(d.deviceName()),
                    d.chip().map(c -> c.coreVersion().toolName(size)).orElse(""),
                    d.physicalCoreCount(),
                    ids,
                    d.chip().map(NeuronChip::memoryBytes).orElse(0L),
                    d.connectedDevices()));
        }
        return List.copyOf(out);
    }

    /** The devices of a catalogued instance type, when the driver's sysfs shows none. */
    private static List<NeuronDevice> devices(Optional<InstanceType> type, int lnc) {
        if (type.isEmpty()) {
            return List.of();
        }
        LogicalCoreLayout layout;
        try {
            layout = type.get().layout(lnc);
        } catch (RuntimeException e) {
            return List.of();
        }
        return CatalogDevices.of(layout);
    }

    LibNrt lib() {
        return lib;
    }

    DTypeCodes dtypes() {
        return dtypes;
    }

    RuntimeVersion version() {
        return version;
    }

    /** libnrt's explicit async API, when this runtime has it. */
    Optional<NrtaExecutions> nrta() {
        return nrta;
    }

    void checkOpen(String operation) {
        if (closed) {
            throw new NeuronException(Status.CLOSED, operation, "the native runtime is closed");
        }
    }

    @Override
    public BackendInfo info() {
        return info;
    }

    @Override
    public List<NeuronDevice> devices() {
        return devices;
    }

    @Override
    public List<NeuronCore> cores() {
        return cores;
    }

    @Override
    public TensorHandle allocate(TensorPlacement placement, int core, long size, String name) {
        checkOpen("allocate tensor");
        boolean host = placement == TensorPlacement.HOST;
        long address = lib.tensorAllocate(
                host ? LibNrt.PLACEMENT_HOST : LibNrt.PLACEMENT_DEVICE,
                host ? -1 : core,
                size,
                name == null ? "" : name);
        NativeTensor t =
                new NativeTensor(this, new NativeHandle(address, "tensor '" + name + "'"), size, host ? -1 : core);
        try {
            // The SPI promises zeroed memory; libnrt does not document that it zeroes device memory.
            if (size > 0) {
                lib.tensorMemset(address, 0, 0, size);
            }
        } catch (RuntimeException e) {
            t.free();
            throw e;
        }
        return t;
    }

    /** {@code nrt_get_vnc_memory_stats} of the core; a libnrt without it cannot tell. */
    @Override
    public MemoryUsage memoryUsage(int core) {
        checkOpen("read the device memory of core " + core);
        MemoryStats stats = lib.memoryStats(core)
                .orElseThrow(() -> new NeuronException(
                        Status.FAILURE,
                        "read the device memory of core " + core,
                        "libnrt " + version + " lacks nrt_get_vnc_memory_stats;"
                                + " install a newer Neuron runtime (aws-neuronx-runtime-lib) to read it"));
        return new MemoryUsage(stats.bytesUsed(), stats.bytesLimit());
    }

    @Override
    public ModelHandle load(ModelSource source, LoadOptions options) {
        checkOpen("load model");
        byte[] bytes = neffBytes(source);
        return NativeModel.load(this, bytes, source.name(), options);
    }

    /**
     * The NEFF to load: the source's own (a NEFF, or a compile-cache entry's), or its HLO module compiled
     * by neuronx-cc (once: {@link NeffCache} keeps it in the state directory).
     */
    private byte[] neffBytes(ModelSource source) {
        ModelArtifacts artifacts = ModelArtifacts.of(source);
        if (artifacts.neff().isPresent()) {
            return artifacts.neff().get().readAllBytes();
        }
        ModelFile hlo = artifacts.hlo().orElseThrow();
        if (hlo.format() != ModelFile.Format.HLO_PROTO) {
            throw new NeuronException(
                    Status.INVALID,
                    "load model " + source.name(),
                    "the native backend runs NEFFs, and compiles HLO modules (.pb) with neuronx-cc; this is HLO text,"
                            + " which neuronx-cc does not read: load the HloModuleProto or the compiled .neff, or run it on"
                            + " the reference device (-Dnrt4j.backend=reference)");
        }
        // Read once and checked first: a damaged or foreign module is refused here, saying what is wrong with
        // it, whether or not a compiler is installed; and what is compiled is what was checked and hashed.
        byte[] module = hlo.readAllBytes();
        HloProtoReader.read(module, hlo.name());
        NeffCompiler compiler = NeffCompiler.find(System.getenv(), System.getProperties())
                .orElseThrow(() -> new NeuronException(
                        Status.INVALID,
                        "load model " + source.name(),
                        "the native backend runs NEFFs and this is an HLO module, but no neuronx-cc was found: "
                                + NeffCompiler.howToGetOne()));
        return compileCache.neff(compiler, module, hlo.name(), info.instanceType(), info.lnc());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            // Scheduled requests end before nrt_close: libnrt may still write their memory until then.
            nrta.ifPresent(NrtaExecutions::close);
            lib.close();
        } finally {
            environment.restore(lib);
            PROCESS_HAS_ONE.set(false);
        }
    }

    @Override
    public String toString() {
        return info.toString();
    }
}
