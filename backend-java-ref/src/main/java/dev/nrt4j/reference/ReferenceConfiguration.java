package dev.nrt4j.reference;

import dev.nrt4j.NeuronException;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import dev.nrt4j.device.InstanceCatalog;
import dev.nrt4j.device.InstanceType;
import dev.nrt4j.device.InvalidLncException;
import dev.nrt4j.device.Lnc;
import dev.nrt4j.device.LogicalCoreLayout;
import dev.nrt4j.device.UnknownInstanceTypeException;

/**
 * The simulated machine a set of options asks for: the instance type (default
 * {@value #DEFAULT_INSTANCE_TYPE}) and its core layout at the requested LNC.
 */
final class ReferenceConfiguration {
    static final String DEFAULT_INSTANCE_TYPE = "trn1.2xlarge";

    private final InstanceType instance;
    private final LogicalCoreLayout layout;

    private ReferenceConfiguration(InstanceType instance, LogicalCoreLayout layout) {
        this.instance = instance;
        this.layout = layout;
    }

    /**
     * @throws NeuronException {@link Status#INVALID} for an unknown or unsupported instance type, or an LNC
     *     its chip does not accept
     */
    static ReferenceConfiguration of(RuntimeOptions options) {
        String name = options.instanceType().orElse(DEFAULT_INSTANCE_TYPE);
        InstanceType instance;
        try {
            instance = InstanceCatalog.byName(name);
        } catch (UnknownInstanceTypeException e) {
            throw new NeuronException(Status.INVALID, "configure the reference device", e.getMessage());
        }
        if (!instance.supported()) {
            throw new NeuronException(
                    Status.INVALID,
                    "configure the reference device",
                    name + " is not supported by current Neuron runtimes ("
                            + instance.chip().displayName() + "); choose an inf2, trn1, trn2 or trn3 instance type");
        }
        int lnc;
        try {
            lnc = Lnc.resolve(
                    instance.chip(), options.lnc().isPresent() ? options.lnc().getAsInt() : null);
        } catch (InvalidLncException e) {
            throw new NeuronException(Status.INVALID, "configure the reference device", name + ": " + e.getMessage());
        }
        return new ReferenceConfiguration(instance, instance.layout(lnc));
    }

    InstanceType instance() {
        return instance;
    }

    LogicalCoreLayout layout() {
        return layout;
    }

    /** E.g. {@code trn2.48xlarge (16 Trainium2 devices, 64 logical cores at LNC=2)}. */
    String describe() {
        return instance.name() + " (" + instance.deviceCount() + " "
                + instance.chip().displayName() + " device"
                + (instance.deviceCount() == 1 ? "" : "s") + ", " + layout.logicalCoreCount() + " logical cores at LNC="
                + layout.lnc() + ")";
    }
}
