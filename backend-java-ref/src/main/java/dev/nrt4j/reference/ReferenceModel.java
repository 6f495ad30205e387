package dev.nrt4j.reference;

import dev.nrt4j.ModelSignature;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.TensorInfo;
import dev.nrt4j.artifacts.ModelArtifacts;
import dev.nrt4j.hlo.HloComputation;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import dev.nrt4j.hlo.HloSignature;
import dev.nrt4j.reference.interpreter.Array;
import dev.nrt4j.reference.interpreter.Evaluator;
import dev.nrt4j.reference.interpreter.InstructionTrace;
import dev.nrt4j.reference.interpreter.MemoryGuard;
import dev.nrt4j.reference.interpreter.OpRegistry;
import dev.nrt4j.reference.interpreter.Rendezvous;
import dev.nrt4j.reference.interpreter.TupleValue;
import dev.nrt4j.reference.interpreter.Value;
import dev.nrt4j.reference.sysfs.CoreStats;
import dev.nrt4j.spi.ModelHandle;
import dev.nrt4j.spi.TensorHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model loaded on a reference core: its HLO module (or, for a bare NEFF, only its signature), the
 * interpreter for it, and the device memory its constants hold.
 */
final class ReferenceModel implements ModelHandle {
    private static final OpRegistry OPS = OpRegistry.standard();
    /** The largest value the interpreter holds: one Java array of bytes. */
    private static final long MAX_VALUE_BYTES = Integer.MAX_VALUE - 8;

    private final String source;
    private final ModelSignature signature;
    private final Evaluator evaluator;
    private final int core;
    private final CoreExecutor executor;
    private final HbmStack stack;
    private final long reservedBytes;
    /** The timeouts and the close signal of the runtime this model was loaded on. */
    private final ExecutionLimits limits;

    private final CoreStats stats;
    /** The id monitoring tools know this load by. */
    private final int modelId;
    /** The rank this load is, of how many, and where the ranks meet; set once by the runtime before the model is handed out. */
    private volatile int rank;

    private volatile int worldSize = 1;
    private volatile Rendezvous rendezvous = Rendezvous.SINGLE;
    private volatile Runnable leaveGroup = () -> {};

    private ReferenceModel(
            String source,
            ModelSignature signature,
            Evaluator evaluator,
            int core,
            CoreExecutor executor,
            HbmStack stack,
            long reservedBytes,
            ExecutionLimits limits,
            CoreStats stats) {
        this.source = source;
        this.limits = limits;
        this.signature = signature;
        this.evaluator = evaluator;
        this.core = core;
        this.executor = executor;
        this.stack = stack;
        this.reservedBytes = reservedBytes;
        this.stats = stats;
        this.modelId = stats.modelLoaded(source, reservedBytes);
    }

    /**
     * A model that executes {@code module}; its constants are reserved on {@code stack}. Each executed
     * instruction is told to {@code trace} when it is not null.
     *
     * @throws NeuronException {@link Status#INVALID} for an operation the interpreter lacks or an unusable
     *     signature, {@link Status#RESOURCE} when the constants do not fit the core's HBM
     */
    static ReferenceModel ofHlo(
            HloModule module,
            String source,
            int core,
            CoreExecutor executor,
            HbmStack stack,
            ExecutionLimits limits,
            CoreStats stats,
            InstructionTrace trace) {
        ModelSignature signature = HloSignature.of(module.entry(), source);
        checkValueSizes(signature, source);
        Evaluator evaluator = new Evaluator(
                module,
                OPS,
                Runtime.getRuntime().availableProcessors(),
                new MemoryGuard(stack.capacity()),
                trace,
                stats::flopsExecuted);
        long constants = constantBytes(module);
        stack.reserve(constants, "load " + source + " on core " + core);
        return new ReferenceModel(source, signature, evaluator, core, executor, stack, constants, limits, stats);
    }

    /**
     * Inputs and outputs enter and leave the interpreter as one byte array each, so a program with one
     * larger than that can never run here. Refused at load, before anyone allocates or fills gigabytes
     * of tensors for it (an (int) cast at execution used to overflow).
     */
    private static void checkValueSizes(ModelSignature signature, String source) {
        signature.inputs().forEach(info -> checkValueSize(info, "input", source));
        signature.outputs().forEach(info -> checkValueSize(info, "output", source));
    }

    private static void checkValueSize(TensorInfo info, String role, String source) {
        if (info.byteSize() > MAX_VALUE_BYTES) {
            throw new NeuronException(
                    Status.RESOURCE,
                    "load " + source + " on the reference device",
                    role + " " + info.name()
                            + " (" + info.dtype().hloName() + info.shape() + ") is " + info.byteSize()
                            + " bytes and the reference device"
                            + " holds at most " + MAX_VALUE_BYTES + " bytes in one value; use a program with smaller "
                            + role
                            + "s, or the native backend");
        }
    }

    /** A model known only by its signature (a NEFF without HLO): it loads, but cannot execute. */
    static ReferenceModel signatureOnly(
            ModelSignature signature, String source, int core, CoreExecutor executor, CoreStats stats) {
        return new ReferenceModel(source, signature, null, core, executor, null, 0, null, stats);
    }

    private static long constantBytes(HloModule module) {
        long total = 0;
        for (HloComputation c : module.computations()) {
            for (HloInstruction i : c.instructions()) {
                if (i.opcode() == HloOpcode.CONSTANT && i.literal().isPresent()) {
                    total += literalBytes(i.shape());
                }
            }
        }
        return total;
    }

    private static long literalBytes(HloShape shape) {
        if (shape.isTuple()) {
            long sum = 0;
            for (HloShape s : shape.tupleShapes()) {
                sum += literalBytes(s);
            }
            return sum;
        }
        return shape.isArray() ? shape.byteSize() : 0;
    }

    /**
     * Makes this load rank {@code rank} of {@code worldSize} ranks that meet at {@code rendezvous};
     * {@code leaveGroup} runs when the model is unloaded.
     */
    void joinGroup(int rank, int worldSize, Rendezvous rendezvous, Runnable leaveGroup) {
        this.rank = rank;
        this.worldSize = worldSize;
        this.rendezvous = rendezvous;
        this.leaveGroup = leaveGroup;
    }

    /** Replicas the program was written for (1 for a NEFF known only by its signature). */
    int replicaCount() {
        return evaluator == null ? 1 : evaluator.module().replicaCount();
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public int core() {
        return core;
    }

    @Override
    public void execute(Map<String, TensorHandle> inputs, Map<String, TensorHandle> outputs) {
        long start = System.nanoTime();
        Status outcome = Status.FAILURE;
        try {
            executeCounted(inputs, outputs);
            outcome = Status.SUCCESS;
        } catch (NeuronException e) {
            outcome = e.status();
            throw e;
        } finally {
            stats.executed(outcome, (System.nanoTime() - start) / 1000);
        }
    }

    private void executeCounted(Map<String, TensorHandle> inputs, Map<String, TensorHandle> outputs) {
        if (evaluator == null) {
            throw new NeuronException(
                    Status.INVALID,
                    "execute " + source,
                    "the reference device executes HLO, and this NEFF has no HLO beside it; load the compile-cache"
                            + " directory (MODULE_*) or the " + ModelArtifacts.HLO_MODULE + " it was compiled from");
        }
        executor.run(() -> {
            runOnCore(inputs, outputs);
            return null;
        });
    }

    private void runOnCore(Map<String, TensorHandle> inputs, Map<String, TensorHandle> outputs) {
        HloComputation entry = evaluator.module().entry();
        List<Value> args = new ArrayList<>();
        for (int i = 0; i < signature.inputs().size(); i++) {
            TensorInfo info = signature.inputs().get(i);
            TensorHandle t = inputs.get(info.name());
            HloShape shape = entry.parameters().get(i).shape();
            if (t instanceof ReferenceTensor) {
                // Unchanged weights come back as the value decoded last time, not as another copy.
                args.add(((ReferenceTensor) t).readArray(shape.elementType(), shape.dims()));
                continue;
            }
            // At most MAX_VALUE_BYTES, as checked at load.
            ByteBuffer bytes = ByteBuffer.allocate((int) info.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
            t.read(0, bytes);
            bytes.flip();
            args.add(Array.fromBytes(shape.elementType(), shape.dims(), bytes));
        }
        Value result = evaluator.run(
                args,
                limits.timeoutNanos(),
                rank,
                worldSize,
                rendezvous,
                limits.collectiveTimeoutNanos(),
                limits.cancellation());
        List<Array> leaves = new ArrayList<>();
        flatten(result, leaves);
        if (leaves.size() != signature.outputs().size()) {
            throw new NeuronException(
                    Status.EXEC_COMPLETED_WITH_ERR,
                    "execute " + source,
                    "the program produced " + leaves.size() + " outputs, its signature has "
                            + signature.outputs().size());
        }
        for (int j = 0; j < leaves.size(); j++) {
            outputs.get(signature.outputs().get(j).name())
                    .write(0, ByteBuffer.wrap(leaves.get(j).toBytes()));
        }
    }

    private static void flatten(Value v, List<Array> leaves) {
        if (v.isTuple()) {
            for (Value e : ((TupleValue) v).elements()) {
                flatten(e, leaves);
            }
        } else {
            leaves.add(v.asArray());
        }
    }

    @Override
    public void unload() {
        if (stack != null) {
            stack.release(reservedBytes);
        }
        stats.modelUnloaded(modelId, reservedBytes);
        leaveGroup.run();
    }
}
