package dev.nrt4j.nativert;

import dev.nrt4j.ModelSource;
import dev.nrt4j.ModelSupport;
import dev.nrt4j.NeuronException;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import dev.nrt4j.artifacts.ModelArtifacts;
import dev.nrt4j.artifacts.ModelFile;
import dev.nrt4j.nativert.binding.LibNrt;
import dev.nrt4j.spi.BackendAvailability;
import dev.nrt4j.spi.BackendProvider;
import dev.nrt4j.spi.RuntimeBackend;
import java.util.List;

/**
 * Registers real NeuronCores through libnrt as backend {@value #NAME}. It ranks above the reference
 * device, so {@code NeuronRuntime.open()} picks it whenever libnrt can be bound and reports cores.
 *
 * <p>This class is compiled for Java 17 and is what {@code META-INF/services} lists; the FFM binding
 * it may use lives in the jar's Java 22 part and is reached only through
 * {@link dev.nrt4j.nativert.binding.Bindings}. The binding is FFM on Java 22+, JNA otherwise, or
 * what {@code -Dnrt4j.native.binding=ffm|jna} forces. Thread-safe; cheap to construct.
 */
public final class NativeBackendProvider implements BackendProvider {
    /** The backend's name. */
    public static final String NAME = "native";
    /** Above the reference device's 0. */
    public static final int PRIORITY = 100;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    /**
     * Available when libnrt binds and reports at least one NeuronCore ({@code nrt_get_total_vnc_count},
     * callable before init, so probing claims nothing). Never throws.
     */
    @Override
    public BackendAvailability probe(RuntimeOptions options) {
        try {
            LibraryLocator.Result found = LibraryLocator.locate(System.getenv(), System.getProperties());
            if (found.lib == null) {
                return BackendAvailability.unavailable(found.failure);
            }
            LibNrt lib = found.lib;
            int total = lib.totalCoreCount();
            if (total < 1) {
                return BackendAvailability.unavailable(
                        "libnrt at " + lib.library() + " reports no NeuronCores on this machine");
            }
            return BackendAvailability.available("libnrt " + lib.version() + " (" + lib.library() + ", "
                    + lib.bindingName() + " binding), " + total + " NeuronCores" + NativeRuntime.missingNote(lib));
        } catch (NeuronException e) {
            return BackendAvailability.unavailable("libnrt was found but does not answer: " + e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            return BackendAvailability.unavailable("libnrt could not be used: " + e);
        }
    }

    /**
     * A NEFF runs (libnrt judges it when it loads); an HLO module needs {@code neuronx-cc}, and HLO text
     * cannot be compiled. The model is read as loading would read it, so a damaged one is refused here too.
     */
    @Override
    public ModelSupport check(ModelSource source, RuntimeOptions options) {
        ModelArtifacts artifacts = ModelArtifacts.of(source);
        if (artifacts.neff().isPresent()) {
            artifacts.neff().get().readNeff();
            return ModelSupport.supported(NAME);
        }
        ModelFile hlo = artifacts.hlo().orElseThrow();
        hlo.readHloModule();
        if (hlo.format() != ModelFile.Format.HLO_PROTO) {
            return ModelSupport.unsupported(
                    NAME,
                    List.of("it is HLO text, which neuronx-cc does not compile;"
                            + " the native backend needs the HloModuleProto (.pb) or the compiled NEFF"));
        }
        if (NeffCompiler.find(System.getenv(), System.getProperties()).isEmpty()) {
            return ModelSupport.unsupported(
                    NAME,
                    List.of("it is an HLO module and no neuronx-cc was found to compile it: "
                            + NeffCompiler.howToGetOne()));
        }
        return ModelSupport.supported(NAME);
    }

    /**
     * Binds libnrt, sets the options' {@code NEURON_RT_*} variables and calls {@code nrt_init}.
     *
     * @throws NeuronException {@link Status#FAILURE} when libnrt cannot be bound; {@link Status#RESOURCE}
     *     when this process already has an open native runtime or the cores are taken; the status of
     *     {@code nrt_init} otherwise
     */
    @Override
    public RuntimeBackend open(RuntimeOptions options) {
        LibraryLocator.Result found = LibraryLocator.locate(System.getenv(), System.getProperties());
        if (found.lib == null) {
            throw new NeuronException(Status.FAILURE, "open native runtime", found.failure);
        }
        return NativeRuntime.open(found.lib, options, new NativeDriverView().driverView(options));
    }
}
