package dev.nrt4j.spi;

import dev.nrt4j.BackendInfo;
import dev.nrt4j.LoadOptions;
import dev.nrt4j.MemoryUsage;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronCore;
import dev.nrt4j.NeuronDevice;
import dev.nrt4j.TensorPlacement;
import java.util.List;

/**
 * An open backend: the devices and cores it claimed, and the factory for tensors and models on them.
 * One per {@link dev.nrt4j.NeuronRuntime}. Must be thread-safe.
 */
public interface RuntimeBackend {
    /** {@return the name, version and configuration of this backend} */
    BackendInfo info();

    /** {@return every device of the machine (or simulated instance), visible or not, in device order} */
    List<NeuronDevice> devices();

    /**
     * {@return the logical cores this runtime claimed, numbered from 0} The API layer reads them once,
     * when the runtime opens, and checks core indices against that list.
     */
    List<NeuronCore> cores();

    /**
     * Allocates {@code size} bytes, zeroed. {@code core} is a valid index into {@link #cores()} for
     * {@link TensorPlacement#DEVICE}, and -1 for {@link TensorPlacement#HOST}.
     *
     * @param placement where the storage lives; not null
     * @param core the core index for device storage, -1 for host storage
     * @param size the size in bytes, 0 or more
     * @param name the tensor's name for diagnostics; not null
     * @return new storage, owned by the caller, which frees it exactly once
     * @throws dev.nrt4j.NeuronException {@link dev.nrt4j.Status#RESOURCE} when the core's memory is full
     */
    TensorHandle allocate(TensorPlacement placement, int core, long size, String name);

    /**
     * Loads a model. {@code options.core()} is -1 (any free core) or a valid core index.
     *
     * @param source the model's bytes and format; not null
     * @param options the core, and the rank for collectives; not null
     * @return the loaded model, owned by the caller, which unloads it exactly once
     * @throws dev.nrt4j.NeuronException {@link dev.nrt4j.Status#INVALID} for a corrupt or unusable model,
     *     {@link dev.nrt4j.Status#UNSUPPORTED_NEFF_VERSION}, {@link dev.nrt4j.Status#LOAD_NOT_ENOUGH_NC},
     *     {@link dev.nrt4j.Status#RESOURCE} when its constants do not fit
     */
    ModelHandle load(ModelSource source, LoadOptions options);

    /**
     * The device memory of core {@code core}: what this runtime holds on it and the core's limit.
     *
     * @param core a valid index into {@link #cores()}
     * @return a new reading; never null
     * @throws dev.nrt4j.NeuronException {@link dev.nrt4j.Status#FAILURE} when the backend cannot tell (a
     *     libnrt without {@code nrt_get_vnc_memory_stats}), or the status the device reports
     */
    MemoryUsage memoryUsage(int core);

    /**
     * Called once when the runtime begins to close, before any handle is released: a backend that can
     * stop its executions in flight makes them fail with {@link dev.nrt4j.Status#CLOSED} now, so that
     * releasing their models need not wait them out. The release still waits for each execution to
     * return. Must not block. By default nothing is stopped: libnrt cannot interrupt a running NEFF, so
     * the native backend's executions end by completing or by their timeout.
     */
    default void cancelExecutions() {}

    /**
     * Releases the cores and everything else; called once. The runtime closes in this order, and backends
     * may rely on it: first {@link #cancelExecutions()}; then every handle still open is released, tensor
     * sets first, then tensors ({@link TensorHandle#free()}), then models ({@link ModelHandle#unload()}),
     * each waiting for the calls inside it; then this method, with no handle left. So a backend keeps no
     * registry of its own handles: the API layer's is the one record of what is alive.
     */
    void close();
}
