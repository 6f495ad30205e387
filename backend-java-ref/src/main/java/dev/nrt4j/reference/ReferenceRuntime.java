package dev.nrt4j.reference;

import dev.nrt4j.BackendInfo;
import dev.nrt4j.LoadOptions;
import dev.nrt4j.MemoryUsage;
import dev.nrt4j.ModelSignature;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronCore;
import dev.nrt4j.NeuronDevice;
import dev.nrt4j.NeuronException;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import dev.nrt4j.TensorPlacement;
import dev.nrt4j.artifacts.ModelArtifacts;
import dev.nrt4j.artifacts.ModelFile;
import dev.nrt4j.device.CoreSelectionException;
import dev.nrt4j.device.LogicalCore;
import dev.nrt4j.reference.interpreter.GemmKernels;
import dev.nrt4j.reference.sysfs.CoreStats;
import dev.nrt4j.reference.sysfs.RuntimeRecord;
import dev.nrt4j.reference.sysfs.SysfsSession;
import dev.nrt4j.spi.CatalogDevices;
import dev.nrt4j.spi.ModelHandle;
import dev.nrt4j.spi.RuntimeBackend;
import dev.nrt4j.spi.StateDirectory;
import dev.nrt4j.spi.TensorHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** An open reference device: the cores it claimed on its {@link SimulatedMachine}, and their memory. */
final class ReferenceRuntime implements RuntimeBackend {
    private final SimulatedMachine machine;
    private final List<LogicalCore> claimed;
    private final List<NeuronCore> cores;
    private final List<NeuronDevice> devices;
    private final BackendInfo info;
    private final List<CoreExecutor> executors;
    private final ExecutionLimits limits;
    /** Made by the first model loaded as a rank of a group; a runtime without one loads no collective code. */
    private RankGroups groups;

    private final SysfsSession sysfs;
    /** Per visible core, the sysfs counters it reports through: its first physical core's, so nothing is counted twice at LNC=2. */
    private final List<CoreStats> stats;
    /** Where executed instructions are traced, or null when the options ask for no profile. */
    private final ChromeTrace trace;

    private ReferenceRuntime(
            ReferenceConfiguration config,
            SimulatedMachine machine,
            List<LogicalCore> claimed,
            Duration timeout,
            ChromeTrace trace) {
        this.trace = trace;
        this.limits = ExecutionLimits.of(timeout, config.instance().chip());
        this.machine = machine;
        this.claimed = List.copyOf(claimed);
        List<NeuronCore> visible = new ArrayList<>();
        for (int i = 0; i < claimed.size(); i++) {
            LogicalCore c = claimed.get(i);
            visible.add(new NeuronCore(i, c.id(), c.device(), c.physicalCores(), c.hbmStack(), c.hbmStackBytes()));
        }
        this.cores = List.copyOf(visible);
        List<CoreExecutor> queues = new ArrayList<>();
        for (NeuronCore c : cores) {
            queues.add(new CoreExecutor("nrt4j-reference-nc" + c.globalId()));
        }
        this.executors = List.copyOf(queues);
        String version = ReferenceRuntime.class.getPackage().getImplementationVersion();
        version = version == null ? "development" : version;
        this.sysfs = SysfsSession.open(
                machine.sysfs(),
                new RuntimeRecord(
                        machine.sysfs(),
                        config.instance().name(),
                        config.layout().lnc(),
                        "nrt4j-reference " + version));
        List<CoreStats> perCore = new ArrayList<>();
        for (LogicalCore c : claimed) {
            perCore.add(sysfs.core(c.id(), c.device(), c.physicalCores()));
        }
        this.stats = List.copyOf(perCore);
        // Tools should see the new owner as soon as open returns, not one flush period later.
        sysfs.flush();
        this.devices = CatalogDevices.of(config.layout());
        this.info = new BackendInfo(
                ReferenceBackendProvider.NAME,
                version,
                config.instance().name(),
                config.layout().lnc(),
                "simulated " + config.describe() + "; claimed logical cores "
                        + claimed.get(0).id() + "-"
                        + claimed.get(claimed.size() - 1).id() + "; " + GemmKernels.description());
    }

    /**
     * @throws NeuronException {@link Status#INVALID} for a malformed core selection, {@link Status#RESOURCE}
     *     when it names cores that do not exist or are held by another runtime (of this process or, naming its
     *     PID, another), {@link Status#FAILURE} when the state directory cannot be used, {@link Status#INVALID}
     *     when the {@linkplain RuntimeOptions#profileOutput() profile output} cannot be written
     */
    static ReferenceRuntime open(ReferenceConfiguration config, RuntimeOptions options) {
        SimulatedMachine machine = SimulatedMachine.of(config.instance(), StateDirectory.resolve(options));
        String numCores = options.numCores().isPresent()
                ? String.valueOf(options.numCores().getAsInt())
                : null;
        // Before the cores are claimed, so an unusable path fails with nothing to release.
        ChromeTrace trace = options.profileOutput().map(ChromeTrace::open).orElse(null);
        try {
            return claim(config, machine, options, numCores, trace);
        } catch (RuntimeException e) {
            if (trace != null) {
                trace.close();
            }
            throw e;
        }
    }

    private static ReferenceRuntime claim(
            ReferenceConfiguration config,
            SimulatedMachine machine,
            RuntimeOptions options,
            String numCores,
            ChromeTrace trace) {
        try {
            return new ReferenceRuntime(
                    config,
                    machine,
                    machine.claim(config.layout(), options.visibleCores().orElse(null), numCores),
                    options.execTimeout().orElse(null),
                    trace);
        } catch (SimulatedMachine.CoresHeldException e) {
            throw new NeuronException(Status.RESOURCE, "claim NeuronCores on the reference device", e.getMessage());
        } catch (CoreSelectionException e) {
            Status status;
            switch (e.reason()) {
                case MALFORMED:
                case NOT_CONTIGUOUS:
                    status = Status.INVALID;
                    break;
                default:
                    status = Status.RESOURCE;
            }
            throw new NeuronException(status, "claim NeuronCores on the reference device", e.getMessage());
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
        if (placement == TensorPlacement.HOST) {
            // Host tensors show in the host memory of the runtime's first core and its device.
            return new ReferenceTensor(size, null, -1, stats.get(0));
        }
        HbmStack stack = machine.stackOf(claimed.get(core));
        stack.reserve(size, "allocate tensor '" + name + "' on core " + core);
        return new ReferenceTensor(size, stack, core, stats.get(core));
    }

    /** What the core's HBM stack has reserved for this process's tensors and models, and its capacity. */
    @Override
    public MemoryUsage memoryUsage(int core) {
        HbmStack stack = stackOf(core);
        return new MemoryUsage(stack.used(), stack.capacity());
    }

    @Override
    public ModelHandle load(ModelSource source, LoadOptions options) {
        int core = options.core() >= 0 ? options.core() : 0;
        String name = source.name();
        ReferenceModel model = loadOn(core, source, name);
        int replicas = model.replicaCount();
        String problem = null;
        Status status = Status.INVALID;
        if (replicas > cores.size()) {
            status = Status.LOAD_NOT_ENOUGH_NC;
            problem = "the program runs on " + replicas + " replicas but this runtime has " + cores.size()
                    + " cores; open the runtime with more visible cores";
        } else if (replicas != options.worldSize()) {
            problem = "the program runs on " + replicas + " replicas; load it once per rank with "
                    + "LoadOptions.onCore(c).asRank(r, " + replicas + ") for r = 0.." + (replicas - 1)
                    + (options.worldSize() > 1 ? " (this load says " + options.worldSize() + " ranks)" : "");
        }
        if (problem != null) {
            model.unload();
            throw new NeuronException(status, "load " + name, problem);
        }
        if (replicas > 1) {
            // Ranks meet by program: the same file, or the same bytes for a model held in memory.
            String group = (source.file().isPresent() ? name : name + "@" + Integer.toHexString(source.hashCode()))
                    + "#" + replicas;
            RankGroups g = groups();
            model.joinGroup(options.rank(), replicas, g.join(group, replicas), () -> g.leave(group));
        }
        return model;
    }

    private ReferenceModel loadOn(int core, ModelSource source, String name) {
        ModelArtifacts artifacts = ModelArtifacts.of(source);
        if (artifacts.hlo().isEmpty() && source.kind() != ModelSource.Kind.COMPILE_CACHE_ENTRY) {
            // A bare NEFF loads with its signature, so it can be inspected and its tensors allocated;
            // executing it says what the reference device needs instead.
            return ReferenceModel.signatureOnly(
                    artifacts.neff().orElseThrow().readNeff().signature(),
                    name,
                    core,
                    executors.get(core),
                    stats.get(core));
        }
        ModelFile hlo = artifacts.requireHlo("the reference device, which executes HLO,");
        ReferenceModel model = ReferenceModel.ofHlo(
                hlo.readHloModule(),
                name,
                core,
                executors.get(core),
                stackOf(core),
                limits,
                stats.get(core),
                trace == null ? null : trace.forCore(core));
        if (artifacts.neff().isPresent()) {
            ModelSignature compiled = artifacts.neff().get().readNeff().signature();
            if (!sameIo(compiled, model.signature())) {
                model.unload();
                throw new NeuronException(
                        Status.INVALID,
                        "load compile-cache entry " + name,
                        "its " + ModelArtifacts.NEFF + " (" + compiled + ") does not match its HLO module " + hlo.name()
                                + " (" + model.signature() + "); the entry is inconsistent, recompile it");
            }
        }
        return model;
    }

    /** Whether two signatures have the same inputs and outputs by name, type and shape. */
    private static boolean sameIo(ModelSignature a, ModelSignature b) {
        return a.inputs().equals(b.inputs()) && a.outputs().equals(b.outputs());
    }

    private synchronized RankGroups groups() {
        if (groups == null) {
            groups = new RankGroups();
        }
        return groups;
    }

    private HbmStack stackOf(int core) {
        return machine.stackOf(claimed.get(core));
    }

    @Override
    public void cancelExecutions() {
        // Every model of this runtime shares the signal: its executions stop at their next check, with CLOSED.
        limits.cancel();
    }

    @Override
    public void close() {
        executors.forEach(CoreExecutor::shutdown);
        // Written before the cores are released, while no other runtime can be updating these counters.
        sysfs.close();
        machine.release(claimed);
        if (trace != null) {
            // Last: every execution has ended with its executor, so the trace is complete.
            trace.close();
        }
    }
}
