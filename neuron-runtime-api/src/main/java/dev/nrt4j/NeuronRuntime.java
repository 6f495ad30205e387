package dev.nrt4j;

import dev.nrt4j.spi.ModelHandle;
import dev.nrt4j.spi.RuntimeBackend;
import dev.nrt4j.spi.TensorHandle;
import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The entry point: a session with one backend — real NeuronCores through libnrt, or the reference
 * device — that owns the cores it claimed, and the tensors and models made through it.
 *
 * <pre>{@code
 * try (NeuronRuntime rt = NeuronRuntime.open()) {
 *     try (Model m = rt.load(ModelSource.of(path))) {
 *         Map<String, HostTensor> out = m.run(Map.of("input0", HostTensor.of(x, 2, 3)));
 *     }
 * }
 * }</pre>
 *
 * <p><b>Choosing a backend:</b> the one named by {@link RuntimeOptions#backend()} (system property
 * {@code nrt4j.backend}, environment variable {@code NRT4J_BACKEND}); otherwise the available backend
 * of highest priority — native when libnrt and a device are present, else the reference device.
 * {@link #describeBackends()} says which backends are on the class path and why each is or is not
 * available.
 *
 * <p><b>Ownership:</b> the caller closes the runtime; closing it closes every model, tensor set and
 * tensor it still owns, then releases the cores. A runtime that becomes unreachable unclosed (with
 * nothing it made still reachable) is closed by the garbage collector, and reported with
 * {@code -Dnrt4j.leakDetection=true}. As with libnrt, cores belong to one runtime (and one
 * process) at a time.
 *
 * <p><b>Thread-safety:</b> all methods are thread-safe. {@link #close()} waits for allocations and
 * loads in progress; later calls throw {@link IllegalStateException}.
 *
 * <p><b>Errors:</b> {@link NeuronException} with the backend's status: {@link Status#RESOURCE} when
 * cores are owned elsewhere or memory is full, {@link Status#INVALID} for a core the runtime lacks or a
 * bad file, {@link Status#LOAD_NOT_ENOUGH_NC}, and so on, as each method says; Java arguments no call
 * could accept are {@link IllegalArgumentException}s (the rule is in the {@code dev.nrt4j} package).
 */
public final class NeuronRuntime implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final RuntimeSession session;
    private final RuntimeBackend backend;
    private final ResourceRegistry registry;
    private final Cleaner.Cleanable cleanable;
    private final RuntimeOptions options;
    private final List<NeuronCore> cores;

    private NeuronRuntime(RuntimeBackend backend, RuntimeOptions options) {
        this.session = new RuntimeSession(backend, RuntimeLog.of(options), options.leakDetection());
        this.backend = backend;
        this.registry = session.registry;
        this.cleanable = CLEANER.register(this, session);
        this.options = options;
        this.cores = List.copyOf(backend.cores());
        session.log.log(
                System.Logger.Level.DEBUG,
                () -> "nrt4j: opened the " + backend.info().name() + " backend with " + cores.size() + " cores");
    }

    /**
     * Opens a runtime configured from system properties and the environment ({@link RuntimeOptions#defaults()}).
     *
     * @return the open runtime, owned by the caller, who closes it to release the cores
     * @throws NeuronException {@link Status#INVALID} for a malformed setting or an unknown backend name,
     *     {@link Status#FAILURE} when no backend is available, or the backend's status (e.g.
     *     {@link Status#RESOURCE} when the cores are in use by another process)
     */
    public static NeuronRuntime open() {
        return open(RuntimeOptions.defaults());
    }

    /**
     * Opens a runtime with these options.
     *
     * @param options the backend, cores and limits to open with; not null. Unset ones fall back to
     *     {@code nrt4j.*} system properties, then {@code NEURON_RT_*} / {@code NRT4J_*} environment
     *     variables, when the options are built
     * @return the open runtime, owned by the caller, who closes it to release the cores
     * @throws NeuronException as {@link #open()}
     */
    public static NeuronRuntime open(RuntimeOptions options) {
        Objects.requireNonNull(options, "options");
        return new NeuronRuntime(chosen(options).open(options), options);
    }

    /**
     * The backend {@link #open(RuntimeOptions)} would use with these options, without opening it.
     *
     * @param options the options a runtime would be opened with; not null
     * @return its description ({@link BackendDescription#isSelected()} is true)
     * @throws NeuronException as {@link #open(RuntimeOptions)} when no backend fits: {@link Status#INVALID}
     *     for an unknown backend name, {@link Status#FAILURE} when none is available
     */
    public static BackendDescription selectedBackend(RuntimeOptions options) {
        Objects.requireNonNull(options, "options");
        BackendRegistry.Candidate c = chosenCandidate(options);
        return new BackendDescription(
                c.name, c.priority, true, true, c.availability().detail());
    }

    /**
     * Whether the backend {@code options} select could run {@code source}, and if not, which ops or
     * features stop it (an HLO op or custom-call target the reference device does not implement, a NEFF
     * without the HLO it was compiled from, a missing {@code neuronx-cc}). Nothing is opened, claimed or
     * compiled.
     *
     * @param source the model; not null
     * @param options selects the backend as {@link #open(RuntimeOptions)} would; not null
     * @return the backend's answer
     * @throws NeuronException {@link Status#INVALID} when the model cannot be read at all (damaged, hostile or
     *     ill-typed, saying why), or when no backend can be chosen (as {@link #open(RuntimeOptions)})
     */
    public static ModelSupport check(ModelSource source, RuntimeOptions options) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(options, "options");
        return chosen(options).check(source, options);
    }

    /** The provider {@code options} select, as every static entry point chooses it. */
    private static dev.nrt4j.spi.BackendProvider chosen(RuntimeOptions options) {
        return chosenCandidate(options).provider;
    }

    private static BackendRegistry.Candidate chosenCandidate(RuntimeOptions options) {
        List<BackendRegistry.Candidate> candidates = BackendRegistry.discover(options);
        return BackendRegistry.choose(candidates, options)
                .orElseThrow(() -> BackendRegistry.explainNoChoice(candidates, options));
    }

    /**
     * Whether this runtime's backend could run {@code source}; see {@link #check(ModelSource, RuntimeOptions)}.
     *
     * @param source the model; not null
     * @return the backend's answer
     * @throws NeuronException {@link Status#INVALID} when the model cannot be read at all
     */
    public ModelSupport check(ModelSource source) {
        return check(source, options);
    }

    /**
     * Every backend on the class path, whether it could run with the default options, and which would be chosen.
     * Probing claims no device.
     *
     * @return one description per backend found, in discovery order; a new list, empty if none is on
     *     the class path
     * @throws NeuronException {@link Status#INVALID} if a system property or environment variable holds a
     *     malformed value (see {@link RuntimeOptions#defaults()})
     */
    public static List<BackendDescription> describeBackends() {
        return describeBackends(RuntimeOptions.defaults());
    }

    /**
     * Every backend on the class path, whether it could run with these options, and which would be chosen.
     *
     * @param options the options to probe each backend with; not null
     * @return one description per backend found, in discovery order; a new list, empty if none is on
     *     the class path
     */
    public static List<BackendDescription> describeBackends(RuntimeOptions options) {
        List<BackendRegistry.Candidate> candidates = BackendRegistry.discover(options);
        Optional<BackendRegistry.Candidate> chosen = BackendRegistry.choose(candidates, options);
        List<BackendDescription> out = new ArrayList<>();
        for (BackendRegistry.Candidate c : candidates) {
            out.add(new BackendDescription(
                    c.name,
                    c.priority,
                    c.availability().isAvailable(),
                    chosen.isPresent() && chosen.get() == c,
                    c.availability().detail()));
        }
        return out;
    }

    /** {@return the backend's name, version and configuration} */
    public BackendInfo backend() {
        return backend.info();
    }

    /** {@return the options this runtime was opened with} */
    public RuntimeOptions options() {
        return options;
    }

    /**
     * Every device of the machine (or simulated instance), in device order.
     *
     * @return the devices, visible to this runtime or not; unmodifiable
     * @throws IllegalStateException if the runtime is closed
     */
    public List<NeuronDevice> devices() {
        enter();
        try {
            return List.copyOf(backend.devices());
        } finally {
            exit();
        }
    }

    /** {@return the logical cores this runtime claimed, numbered from 0; unmodifiable, and still answered after close} */
    public List<NeuronCore> cores() {
        return cores;
    }

    /**
     * How much device memory is held on core {@code core}, and the core's limit: the tensors allocated
     * there and the models loaded there count (with those of cores sharing its HBM stack), other processes' do not.
     *
     * @param core the index into {@link #cores()}
     * @return a snapshot; allocations and frees after it returns do not change it
     * @throws NeuronException {@link Status#INVALID} for a core index out of range, {@link Status#FAILURE}
     *     when the backend cannot tell (a libnrt without {@code nrt_get_vnc_memory_stats})
     * @throws IllegalStateException if the runtime is closed
     */
    public MemoryUsage memoryUsage(int core) {
        enter();
        try {
            checkCore(core, "read the device memory of core " + core);
            return backend.memoryUsage(core);
        } finally {
            exit();
        }
    }

    private void checkCore(int core, String operation) {
        if (core < 0 || core >= cores.size()) {
            throw new NeuronException(
                    Status.INVALID,
                    operation,
                    "core " + core + " does not exist; this runtime has cores 0-" + (cores.size() - 1));
        }
    }

    /**
     * Allocates a zeroed tensor of {@code size} bytes in the device memory of core {@code core}.
     *
     * @param size the size in bytes, 0 or more
     * @param core the index into {@link #cores()}
     * @return the tensor, owned by the caller, who closes it (the runtime closes it otherwise)
     * @throws NeuronException {@link Status#INVALID} for a core index out of range, {@link Status#RESOURCE}
     *     when the core's memory is full
     * @throws IllegalArgumentException for a negative size
     */
    public Tensor allocate(long size, int core) {
        return allocate("tensor", size, core);
    }

    /**
     * As {@link #allocate(long, int)}, named (the name shows in messages and leak reports).
     *
     * @param name the tensor's name for messages; not null, need not be unique
     * @param size the size in bytes, 0 or more
     * @param core the index into {@link #cores()}
     * @return the tensor, owned by the caller, who closes it (the runtime closes it otherwise)
     * @throws NeuronException as {@link #allocate(long, int)}
     * @throws IllegalArgumentException for a negative size
     */
    public Tensor allocate(String name, long size, int core) {
        Objects.requireNonNull(name, "name");
        enter();
        try {
            checkSize(name, size);
            checkCore(core, "allocate tensor '" + name + "'");
            TensorHandle h = backend.allocate(TensorPlacement.DEVICE, core, size, name);
            return new Tensor(this, h, name, TensorPlacement.DEVICE, core, registry, options.leakDetection());
        } finally {
            exit();
        }
    }

    /**
     * Allocates a zeroed tensor of {@code size} bytes in runtime-managed host memory.
     *
     * @param name the tensor's name for messages; not null, need not be unique
     * @param size the size in bytes, 0 or more
     * @return the tensor, owned by the caller, who closes it (the runtime closes it otherwise)
     * @throws NeuronException {@link Status#RESOURCE} when memory is short
     * @throws IllegalArgumentException for a negative size
     */
    public Tensor allocateHost(String name, long size) {
        Objects.requireNonNull(name, "name");
        enter();
        try {
            checkSize(name, size);
            TensorHandle h = backend.allocate(TensorPlacement.HOST, -1, size, name);
            return new Tensor(this, h, name, TensorPlacement.HOST, -1, registry, options.leakDetection());
        } finally {
            exit();
        }
    }

    private static void checkSize(String name, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("allocate tensor '" + name + "': size " + size + " is negative");
        }
    }

    /**
     * An empty tensor set that refers to (and does not own) the tensors put in it.
     *
     * @return the set, owned by the caller, who closes it; closing it leaves its tensors open
     * @throws IllegalStateException if the runtime is closed
     */
    public TensorSet newTensorSet() {
        return ownedTensorSet(List.of());
    }

    /** {@return the per-core workers of {@link Model#executeAsync}} */
    CoreQueues queues() {
        return session.queues;
    }

    TensorSet ownedTensorSet(List<Tensor> owned) {
        enter();
        try {
            return new TensorSet(this, owned, registry, options.leakDetection());
        } finally {
            exit();
        }
    }

    /**
     * Loads a model on the first core the backend picks.
     *
     * @param source the model to load; not null
     * @return the loaded model, owned by the caller, who closes it to free its device memory
     * @throws NeuronException as {@link #load(ModelSource, LoadOptions)}
     */
    public Model load(ModelSource source) {
        return load(source, LoadOptions.anyCore());
    }

    /**
     * Loads the model file at {@code path} (its kind told by its name, see {@link ModelSource#of(Path)}).
     *
     * @param path the model file or compile-cache directory; not null
     * @return the loaded model, owned by the caller, who closes it to free its device memory
     * @throws NeuronException as {@link #load(ModelSource, LoadOptions)}
     */
    public Model load(Path path) {
        return load(ModelSource.of(path), LoadOptions.anyCore());
    }

    /**
     * Loads a model where {@code options} says.
     *
     * @param source the model to load; not null
     * @param options the core and, for collectives, the rank; not null
     * @return the loaded model, owned by the caller, who closes it to free its device memory
     * @throws NeuronException {@link Status#INVALID} for a core index out of range or a corrupt or unusable
     *     model (the message says what the backend needs), {@link Status#UNSUPPORTED_NEFF_VERSION},
     *     {@link Status#LOAD_NOT_ENOUGH_NC}, {@link Status#RESOURCE} when its memory does not fit
     */
    public Model load(ModelSource source, LoadOptions options) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(options, "options");
        enter();
        try {
            if (options.core() >= cores.size()) {
                throw new NeuronException(
                        Status.INVALID,
                        "load " + source.name(),
                        "core " + options.core() + " does not exist; this runtime has cores 0-" + (cores.size() - 1));
            }
            long started = System.nanoTime();
            ModelHandle h = backend.load(source, options);
            String name =
                    source.file().map(f -> String.valueOf(f.getFileName())).orElse(source.name());
            session.log.log(
                    System.Logger.Level.DEBUG,
                    () -> String.format(
                            java.util.Locale.ROOT,
                            "nrt4j: loaded model '%s' on core %d in %.1f ms",
                            name,
                            h.core(),
                            (System.nanoTime() - started) / 1e6));
            return new Model(this, h, name, registry, this.options.leakDetection());
        } finally {
            exit();
        }
    }

    /**
     * Descriptions of the models, tensor sets and tensors this runtime still owns: empty when the
     * program has closed everything it made.
     *
     * @return one line per open resource, as leak reports print it; a snapshot the caller may keep
     */
    public List<String> openResources() {
        return registry.describeOpen();
    }

    /** {@return whether the runtime is still open (not closed by the caller or the garbage collector)} */
    public boolean isOpen() {
        return !session.isClosed();
    }

    /**
     * Closes every model, tensor set and tensor this runtime still owns, then releases the cores.
     * Idempotent. Executions in flight end before it returns: the reference device stops them (they
     * fail with {@link Status#CLOSED}); the native backend cannot stop a running NEFF, so close waits
     * until they complete or reach their timeout.
     */
    @Override
    public void close() {
        boolean wasOpen = !session.isClosed();
        session.close();
        cleanable.clean();
        if (wasOpen) {
            session.log.log(System.Logger.Level.DEBUG, () -> "nrt4j: closed the runtime and released its cores");
        }
    }

    private void enter() {
        session.enter();
    }

    private void exit() {
        session.exit();
    }

    @Override
    public String toString() {
        return "NeuronRuntime[" + backend.info() + (session.isClosed() ? ", closed]" : "]");
    }
}
