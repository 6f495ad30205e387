package dev.nrt4j;

/**
 * Where to load a model and, for a program that runs on several cores at once (collectives across
 * replicas), which rank this load is. Immutable and thread-safe.
 */
public final class LoadOptions {
    private static final LoadOptions ANY_CORE = new LoadOptions(-1, 0, 1);

    private final int core;
    private final int rank;
    private final int worldSize;

    private LoadOptions(int core, int rank, int worldSize) {
        this.core = core;
        this.rank = rank;
        this.worldSize = worldSize;
    }

    /**
     * Load on this core (an index into {@link NeuronRuntime#cores()}).
     *
     * @param core the core index, 0 or more; an index past the runtime's cores fails at load time with
     *     {@link Status#INVALID}
     * @return options for an ordinary (single-rank) load on that core
     * @throws IllegalArgumentException if {@code core} is negative
     */
    public static LoadOptions onCore(int core) {
        if (core < 0) {
            throw new IllegalArgumentException("core index must be 0 or more, got " + core + "; use anyCore()");
        }
        return new LoadOptions(core, 0, 1);
    }

    /** {@return options to load on the first free core the runtime picks (libnrt's -1); a shared instance} */
    public static LoadOptions anyCore() {
        return ANY_CORE;
    }

    /**
     * The same placement, as rank {@code rank} of a program that {@code worldSize} loads run together
     * (libnrt's {@code nrt_load_collectives}): load the program once per rank, each on its own core,
     * then execute the ranks concurrently; their collectives exchange data with each other. A rank
     * whose peers do not reach a collective in time fails with {@link Status#TIMEOUT} and the others
     * with {@link Status#EXEC_HW_ERR_COLLECTIVES}; as with libnrt, close and load the ranks again
     * before executing them once more.
     *
     * @param rank this load's rank, {@code 0 <= rank < worldSize}
     * @param worldSize how many ranks run the program together, 1 or more
     * @return new options with this placement and that rank; this instance is unchanged
     * @throws IllegalArgumentException unless {@code 0 <= rank < worldSize}
     */
    public LoadOptions asRank(int rank, int worldSize) {
        if (worldSize < 1 || rank < 0 || rank >= worldSize) {
            throw new IllegalArgumentException(
                    "rank " + rank + " of " + worldSize + " is not a rank; ranks are 0.." + (worldSize - 1));
        }
        return new LoadOptions(core, rank, worldSize);
    }

    /** {@return the core index, or -1 for any} */
    public int core() {
        return core;
    }

    /** {@return this load's rank among the program's ranks (0 for an ordinary load)} */
    public int rank() {
        return rank;
    }

    /** {@return how many ranks run the program together (1 for an ordinary load)} */
    public int worldSize() {
        return worldSize;
    }

    @Override
    public String toString() {
        return (core < 0 ? "any core" : "core " + core) + (worldSize > 1 ? ", rank " + rank + " of " + worldSize : "");
    }
}
