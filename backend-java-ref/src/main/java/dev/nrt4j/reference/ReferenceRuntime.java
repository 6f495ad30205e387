package dev.nrt4j.reference;

import dev.nrt4j.BackendInfo;
import dev.nrt4j.LoadOptions;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronCore;
import dev.nrt4j.NeuronDevice;
import dev.nrt4j.NeuronException;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import dev.nrt4j.TensorPlacement;
import dev.nrt4j.device.CoreSelectionException;
import dev.nrt4j.device.InstanceType;
import dev.nrt4j.device.LogicalCore;
import dev.nrt4j.device.LogicalCoreLayout;
import dev.nrt4j.spi.ModelHandle;
import dev.nrt4j.spi.RuntimeBackend;
import dev.nrt4j.spi.TensorHandle;
import java.util.ArrayList;
import java.util.List;

/** An open reference device: the cores it claimed on its {@link SimulatedMachine}, and their memory. */
final class ReferenceRuntime implements RuntimeBackend {
    private final ReferenceConfiguration config;
    private final SimulatedMachine machine;
    private final List<LogicalCore> claimed;
    private final List<NeuronCore> cores;
    private final List<NeuronDevice> devices;
    private final BackendInfo info;

    private ReferenceRuntime(ReferenceConfiguration config, SimulatedMachine machine, List<LogicalCore> claimed) {
        this.config = config;
        this.machine = machine;
        this.claimed = List.copyOf(claimed);
        List<NeuronCore> visible = new ArrayList<>();
        for (int i = 0; i < claimed.size(); i++) {
            LogicalCore c = claimed.get(i);
            visible.add(new NeuronCore(i, c.id(), c.device(), c.physicalCores(), c.hbmStack(), c.hbmStackBytes()));
        }
        this.cores = List.copyOf(visible);
        this.devices = describeDevices(config);
        String version = ReferenceRuntime.class.getPackage().getImplementationVersion();
        this.info = new BackendInfo(ReferenceBackendProvider.NAME, version == null ? "development" : version,
                config.instance().name(), config.layout().lnc(),
                "simulated " + config.describe() + "; claimed logical cores " + claimed.get(0).id() + "-"
                        + claimed.get(claimed.size() - 1).id());
    }

    /**
     * @throws NeuronException {@link Status#INVALID} for a malformed core selection, {@link Status#RESOURCE}
     *     when it names cores that do not exist or are held by another runtime
     */
    static ReferenceRuntime open(ReferenceConfiguration config, RuntimeOptions options) {
        SimulatedMachine machine = SimulatedMachine.of(config.instance());
        String numCores = options.numCores().isPresent() ? String.valueOf(options.numCores().getAsInt()) : null;
        try {
            return new ReferenceRuntime(config, machine,
                    machine.claim(config.layout(), options.visibleCores().orElse(null), numCores));
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

    private static List<NeuronDevice> describeDevices(ReferenceConfiguration config) {
        InstanceType instance = config.instance();
        LogicalCoreLayout layout = config.layout();
        List<NeuronDevice> out = new ArrayList<>();
        for (int d = 0; d < instance.deviceCount(); d++) {
            out.add(new NeuronDevice(d, instance.chip().displayName(), layout.coreVersionName(),
                    instance.chip().physicalCoresPerChip(), layout.coreIdsOfDevice(d), instance.deviceMemoryBytes(),
                    instance.topology().neighbours(d)));
        }
        return List.copyOf(out);
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
            return new ReferenceTensor(size, null, -1);
        }
        HbmStack stack = machine.stackOf(claimed.get(core));
        stack.reserve(size, "allocate tensor '" + name + "' on core " + core);
        return new ReferenceTensor(size, stack, core);
    }

    @Override
    public ModelHandle load(ModelSource source, LoadOptions options) {
        throw new NeuronException(Status.INVALID, "load " + source.path(),
                "this version of the reference device does not execute models yet (it allocates tensors only);"
                        + " run the model with the native backend on a Neuron instance");
    }

    @Override
    public void close() {
        machine.release(claimed);
    }
}
