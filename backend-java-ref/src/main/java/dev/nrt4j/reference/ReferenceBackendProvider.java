package dev.nrt4j.reference;

import dev.nrt4j.ModelSource;
import dev.nrt4j.ModelSupport;
import dev.nrt4j.NeuronException;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.artifacts.ModelArtifacts;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.reference.interpreter.Evaluator;
import dev.nrt4j.reference.interpreter.OpRegistry;
import dev.nrt4j.spi.BackendAvailability;
import dev.nrt4j.spi.BackendProvider;
import dev.nrt4j.spi.RuntimeBackend;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers the reference device as backend {@code reference}. It runs anywhere, so it ranks below
 * hardware: it is chosen when no hardware backend is available or when asked for by name.
 */
public final class ReferenceBackendProvider implements BackendProvider {
    /** The backend's name. */
    public static final String NAME = "reference";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 0;
    }

    /**
     * Always available: it needs nothing from the machine. Options it cannot honour (an unknown
     * instance type, an LNC the chip refuses) are reported here and fail {@link #open} with
     * {@link dev.nrt4j.Status#INVALID}, rather than making the backend look absent.
     */
    @Override
    public BackendAvailability probe(RuntimeOptions options) {
        try {
            return BackendAvailability.available(
                    "simulates " + ReferenceConfiguration.of(options).describe());
        } catch (NeuronException e) {
            return BackendAvailability.available(
                    "runs anywhere, but opening it with these options fails: " + e.getMessage());
        }
    }

    /**
     * Reads the model's HLO (as loading it would) and lists what the interpreter does not implement: opcodes
     * and custom-call targets, a NEFF without its HLO, and more replicas than the instance type has cores.
     */
    @Override
    public ModelSupport check(ModelSource source, RuntimeOptions options) {
        ModelArtifacts artifacts = ModelArtifacts.of(source);
        if (artifacts.hlo().isEmpty()) {
            return ModelSupport.unsupported(
                    NAME,
                    List.of("it is a compiled NEFF without the HLO module it was compiled from;"
                            + " the reference device executes HLO"));
        }
        HloModule module = artifacts.hlo().get().readHloModule();
        List<String> obstacles = new ArrayList<>();
        for (String op : Evaluator.unsupportedOperations(module, OpRegistry.standard())) {
            obstacles.add(op + " is not implemented by the reference device");
        }
        ReferenceConfiguration config = ReferenceConfiguration.of(options);
        int cores = config.layout().logicalCoreCount();
        if (module.replicaCount() > cores) {
            obstacles.add("it runs on " + module.replicaCount() + " replicas and " + config.describe() + " has " + cores
                    + " cores");
        }
        return obstacles.isEmpty() ? ModelSupport.supported(NAME) : ModelSupport.unsupported(NAME, obstacles);
    }

    @Override
    public RuntimeBackend open(RuntimeOptions options) {
        return ReferenceRuntime.open(ReferenceConfiguration.of(options), options);
    }
}
