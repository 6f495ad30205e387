package dev.nrt4j.spi;

import dev.nrt4j.RuntimeOptions;

/**
 * Makes one backend available to {@link dev.nrt4j.NeuronRuntime}. Found through
 * {@link java.util.ServiceLoader}; implementations need a public no-argument constructor, and must
 * be cheap to construct and thread-safe. Where the backend's machine shows through the driver's files
 * is told apart, by a {@link DriverViewProvider}.
 */
public interface BackendProvider {
    /** {@return the name users choose this backend by, e.g. {@code "native"} or {@code "reference"}} */
    String name();

    /**
     * Preference when no backend is named: among available backends the highest wins. Hardware
     * backends rank above simulations.
     *
     * @return this backend's rank; only its order relative to other providers' matters
     */
    int priority();

    /**
     * Whether this backend could open with these options here, and if not, why. Must be fast, must
     * not claim any device, and must never throw: a failure to load a library is an answer, not an error.
     *
     * @param options the options the runtime would be opened with, already resolved; not null
     * @return available or not, with the detail or reason; never null
     */
    BackendAvailability probe(RuntimeOptions options);

    /**
     * Opens the backend: claims cores and whatever else a runtime needs.
     *
     * @param options the options to open with, the same as passed to {@link #probe}; not null
     * @return the open backend, owned by the calling runtime, which closes it exactly once
     * @throws dev.nrt4j.NeuronException with the status of what failed (e.g. {@link dev.nrt4j.Status#RESOURCE}
     *     when the cores are owned by another process, {@link dev.nrt4j.Status#INVALID} for a malformed core set)
     */
    RuntimeBackend open(RuntimeOptions options);

    /**
     * Whether this backend could run {@code source} with these options, and if not, which ops or features
     * stop it; for {@code inspect} and for programs choosing a backend. Must not claim any device or
     * compile anything.
     *
     * @param source the model; not null
     * @param options the options a runtime would be opened with; not null
     * @return the answer; never null
     * @throws dev.nrt4j.NeuronException {@link dev.nrt4j.Status#INVALID} when the model cannot be read at all
     *     (damaged, hostile or ill-typed: no backend could run it)
     */
    dev.nrt4j.ModelSupport check(dev.nrt4j.ModelSource source, RuntimeOptions options);
}
