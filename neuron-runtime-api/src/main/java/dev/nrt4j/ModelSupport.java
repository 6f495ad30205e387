package dev.nrt4j;

import java.util.List;
import java.util.Objects;

/**
 * Whether a backend can run a model, and if not, what stops it: the answer of
 * {@link NeuronRuntime#check(ModelSource, RuntimeOptions)}. Immutable and thread-safe.
 */
public final class ModelSupport {
    private final String backend;
    private final List<String> obstacles;

    private ModelSupport(String backend, List<String> obstacles) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.obstacles = List.copyOf(obstacles);
    }

    /**
     * The backend can run the model.
     *
     * @param backend the backend's name; not null
     * @return the answer
     */
    public static ModelSupport supported(String backend) {
        return new ModelSupport(backend, List.of());
    }

    /**
     * The backend cannot run the model.
     *
     * @param backend the backend's name; not null
     * @param obstacles what stops it, each one line naming the op or feature (e.g.
     *     {@code custom-call target "MyKernel"}); not empty
     * @return the answer
     * @throws IllegalArgumentException if {@code obstacles} is empty
     */
    public static ModelSupport unsupported(String backend, List<String> obstacles) {
        if (obstacles.isEmpty()) {
            throw new IllegalArgumentException("an unsupported model needs at least one obstacle");
        }
        return new ModelSupport(backend, obstacles);
    }

    /** {@return the name of the backend that answered} */
    public String backend() {
        return backend;
    }

    /** {@return whether the backend can run the model} */
    public boolean isSupported() {
        return obstacles.isEmpty();
    }

    /** {@return what stops the backend, one line each, in a stable order; empty when it can run the model} */
    public List<String> obstacles() {
        return obstacles;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSupport
                && backend.equals(((ModelSupport) o).backend)
                && obstacles.equals(((ModelSupport) o).obstacles);
    }

    @Override
    public int hashCode() {
        return backend.hashCode() * 31 + obstacles.hashCode();
    }

    @Override
    public String toString() {
        return isSupported() ? backend + " runs it" : backend + " cannot run it: " + String.join("; ", obstacles);
    }
}
