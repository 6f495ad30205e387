package dev.nrt4j.device;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The logical NeuronCores a process reserves: a contiguous, increasing run of global ids. Inside
 * the process they are renumbered from 0, so process-local core {@code i} is global core
 * {@code first() + i}.
 *
 * <p>Immutable and thread-safe.
 */
public final class VisibleCores {
    private final int first;
    private final int count;

    private VisibleCores(int first, int count) {
        this.first = first;
        this.count = count;
    }

    /**
     * The run of {@code count} cores starting at global id {@code first}.
     *
     * @param first the lowest global id, 0 or more
     * @param count the number of cores, at least 1
     * @return the run
     * @throws IllegalArgumentException if {@code first} is negative, {@code count} is below 1, or
     *                                  the run passes {@link Integer#MAX_VALUE}
     */
    public static VisibleCores range(int first, int count) {
        if (first < 0 || count < 1 || (long) first + count - 1 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("no core run starts at " + first + " with " + count + " cores");
        }
        return new VisibleCores(first, count);
    }

    /** {@return the lowest global id} */
    public int first() {
        return first;
    }

    /** {@return the highest global id} */
    public int last() {
        return first + count - 1;
    }

    /** {@return the number of cores, at least 1} */
    public int count() {
        return count;
    }

    /** {@return the global ids, ascending; a new unmodifiable list} */
    public List<Integer> ids() {
        return IntStream.rangeClosed(first, last()).boxed().collect(Collectors.toUnmodifiableList());
    }

    /**
     * Whether global core {@code id} is one of these.
     *
     * @param id a global core id; any int is accepted
     * @return whether {@code first() <= id <= last()}
     */
    public boolean contains(int id) {
        return id >= first && id <= last();
    }

    /**
     * The global id of process-local core {@code localIndex}.
     *
     * @param localIndex the process-local index, {@code 0 <= localIndex < count()}
     * @return {@code first() + localIndex}
     * @throws IllegalArgumentException if {@code localIndex} is not in {@code 0 .. count()-1}
     */
    public int globalId(int localIndex) {
        if (localIndex < 0 || localIndex >= count) {
            throw new IllegalArgumentException("the process sees cores 0-" + (count - 1) + ", not " + localIndex);
        }
        return first + localIndex;
    }

    /**
     * The set written as {@code NEURON_RT_VISIBLE_CORES} accepts it: {@code "3"} for one core,
     * {@code "3-6"} for several.
     *
     * @return the spec, which {@link CoreSelection#parseVisibleCores} reads back to an equal value on an
     *     instance with more than {@link #last()} cores
     */
    public String toSpec() {
        return count == 1 ? Integer.toString(first) : first + "-" + last();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VisibleCores && ((VisibleCores) o).first == first && ((VisibleCores) o).count == count;
    }

    @Override
    public int hashCode() {
        return first * 31 + count;
    }

    /** The same text as {@link #toSpec()}. */
    @Override
    public String toString() {
        return toSpec();
    }
}
