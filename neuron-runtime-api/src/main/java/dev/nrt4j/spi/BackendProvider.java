package dev.nrt4j.spi;

import dev.nrt4j.RuntimeOptions;

/**
 * Makes one backend available to {@link dev.nrt4j.NeuronRuntime}. Found through
 * {@link java.util.ServiceLoader}; implementations need a public no-argument constructor, and must
 * be cheap to construct and thread-safe.
 */
public interface BackendProvider {
    /** The name users choose this backend by, e.g. {@code "native"} or {@code "reference"}. */
    String name();

    /**
     * Preference when no backend is named: among available backends the highest wins. Hardware
     * backends rank above simulations.
     */
    int priority();

    /**
     * Whether this backend could open with these options here, and if not, why. Must be fast, must
     * not claim any device, and must never throw: a failure to load a library is an answer, not an error.
     */
    BackendAvailability probe(RuntimeOptions options);

    /**
     * Opens the backend: claims cores and whatever else a runtime needs.
     *
     * @throws dev.nrt4j.NeuronException with the status of what failed (e.g. {@link dev.nrt4j.Status#RESOURCE}
     *     when the cores are owned by another process, {@link dev.nrt4j.Status#INVALID} for a malformed core set)
     */
    RuntimeBackend open(RuntimeOptions options);
}
