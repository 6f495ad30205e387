package dev.nrt4j.reference.interpreter;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.DotFlops;
import dev.nrt4j.hlo.HloComputation;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.HloOpcode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * Executes the computations of one HLO module, instruction by instruction in the computation's
 * order, the way XLA's {@code HloEvaluator} does, dispatching each opcode to its {@link OpHandler}.
 * A value is dropped as soon as its last user has run, so memory follows the live values rather than
 * the whole program. Thread-safe: any number of executions may run at once.
 */
public final class Evaluator {
    /** Opcodes whose result is an operand, so they allocate nothing the memory check should count. */
    private static final Set<HloOpcode> ALIASING = EnumSet.of(
            HloOpcode.COPY,
            HloOpcode.OPT_BARRIER,
            HloOpcode.ADD_DEPENDENCY,
            HloOpcode.GET_TUPLE_ELEMENT,
            HloOpcode.BITCAST);

    private final HloModule module;
    private final OpRegistry registry;
    private final int parallelism;
    private final MemoryGuard memory;
    private final InstructionTrace trace;
    private final LongConsumer flops;
    private final Map<HloComputation, Plan> plans = new ConcurrentHashMap<>();
    /**
     * Whether chains of elementwise instructions run fused ({@link ElementwiseFusion}): only with the standard
     * handlers, whose kernels the groups run, and not while tracing, so that a profile times every instruction.
     */
    private final boolean fuse;

    /**
     * @throws NeuronException {@link Status#INVALID} naming every opcode of the module the registry cannot
     *     evaluate, a {@code while} whose condition does not return {@code pred[]}, or a chain of calls deeper
     *     than {@link CallDepth#MAX}
     */
    public Evaluator(HloModule module, OpRegistry registry, int parallelism) {
        this(module, registry, parallelism, MemoryGuard.HEAP_ONLY);
    }

    /**
     * An evaluator whose values must also fit {@code memory} (the core's device memory).
     *
     * @throws NeuronException as {@link #Evaluator(HloModule, OpRegistry, int)}
     */
    public Evaluator(HloModule module, OpRegistry registry, int parallelism, MemoryGuard memory) {
        this(module, registry, parallelism, memory, null);
    }

    /**
     * An evaluator that also tells {@code trace} of every instruction it executes.
     *
     * @param trace told of each executed instruction, or null to trace nothing (and pay nothing for it)
     * @throws NeuronException as {@link #Evaluator(HloModule, OpRegistry, int)}
     */
    public Evaluator(
            HloModule module, OpRegistry registry, int parallelism, MemoryGuard memory, InstructionTrace trace) {
        this(module, registry, parallelism, memory, trace, null);
    }

    /**
     * An evaluator that also tells {@code flops} the FLOPs of every {@code dot} and {@code convolution} it
     * executes (as {@link DotFlops} counts them), as each one ends: what the runtime adds to its core's FLOP
     * counters, so one in a loop body counts once per iteration.
     *
     * @param trace told of each executed instruction, or null
     * @param flops told the FLOPs of each executed dot and convolution, from whichever thread ran it, or null
     *     to count none
     * @throws NeuronException as {@link #Evaluator(HloModule, OpRegistry, int)}
     */
    public Evaluator(
            HloModule module,
            OpRegistry registry,
            int parallelism,
            MemoryGuard memory,
            InstructionTrace trace,
            LongConsumer flops) {
        this(module, registry, parallelism, memory, trace, flops, trace == null && registry.standardElementwise());
    }

    /**
     * The evaluator as above, with elementwise fusion on or off ({@code true} only with the standard registry and no
     * trace); tests compare the two.
     */
    Evaluator(
            HloModule module,
            OpRegistry registry,
            int parallelism,
            MemoryGuard memory,
            InstructionTrace trace,
            LongConsumer flops,
            boolean fuse) {
        this.memory = memory;
        this.trace = trace;
        this.flops = flops;
        this.module = module;
        this.registry = registry;
        this.parallelism = Math.max(1, parallelism);
        this.fuse = fuse;
        Set<String> missing = unsupportedOperations(module, registry);
        if (!missing.isEmpty()) {
            throw new NeuronException(
                    Status.INVALID,
                    "load HLO module " + module.name() + " on the reference device",
                    "it uses operations the reference device does not implement: " + String.join(", ", missing));
        }
        CallDepth.check(module);
    }

    /**
     * The operations of {@code module} that {@code registry} cannot execute: opcodes it has no handler
     * for (by their HLO text name), and custom-call targets that are not {@link CustomCallTarget}s as
     * {@code custom-call target "NAME"}; sorted, empty when every instruction can run.
     */
    public static Set<String> unsupportedOperations(HloModule module, OpRegistry registry) {
        Set<String> missing = new TreeSet<>();
        for (HloComputation c : module.computations()) {
            for (HloInstruction i : c.instructions()) {
                if (!registry.supports(i.opcode())) {
                    missing.add(i.opcode().text());
                } else if (i.opcode() == HloOpcode.CUSTOM_CALL) {
                    String target = i.customCallTarget().orElse("");
                    if (CustomCallTarget.fromName(target).isEmpty()) {
                        missing.add("custom-call target \"" + target + "\"");
                    }
                }
            }
        }
        return missing;
    }

    /** The module it executes. */
    public HloModule module() {
        return module;
    }

    int parallelism() {
        return parallelism;
    }

    /**
     * Runs the entry computation.
     *
     * @param arguments one value per entry parameter
     * @param timeoutNanos how long it may run, or {@code Long.MAX_VALUE} for no limit
     * @throws NeuronException {@link Status#TIMEOUT} past the timeout, {@link Status#INVALID} for a malformed
     *     instruction (named in the message), {@link Status#RESOURCE} for values too large to hold
     */
    public Value run(List<Value> arguments, long timeoutNanos, int replicaId, int replicaCount) {
        return run(arguments, timeoutNanos, replicaId, replicaCount, Rendezvous.SINGLE, Long.MAX_VALUE);
    }

    /**
     * Runs the entry computation as rank {@code replicaId} of {@code replicaCount}, meeting the other
     * ranks at {@code rendezvous} for collectives.
     *
     * @param collectiveTimeoutNanos how long a rank waits for the others at one collective
     * @throws NeuronException as {@link #run(List, long, int, int)}, and {@link Status#TIMEOUT} or
     *     {@link Status#EXEC_HW_ERR_COLLECTIVES} when ranks do not all arrive at a collective
     */
    public Value run(
            List<Value> arguments,
            long timeoutNanos,
            int replicaId,
            int replicaCount,
            Rendezvous rendezvous,
            long collectiveTimeoutNanos) {
        return run(
                arguments,
                timeoutNanos,
                replicaId,
                replicaCount,
                rendezvous,
                collectiveTimeoutNanos,
                Cancellation.NEVER);
    }

    /**
     * Runs the entry computation as {@link #run(List, long, int, int, Rendezvous, long)} does, stopping
     * at its next deadline check once {@code cancellation} is raised.
     *
     * @throws NeuronException as {@link #run(List, long, int, int, Rendezvous, long)}, and {@link Status#CLOSED}
     *     once cancelled
     */
    public Value run(
            List<Value> arguments,
            long timeoutNanos,
            int replicaId,
            int replicaCount,
            Rendezvous rendezvous,
            long collectiveTimeoutNanos,
            Cancellation cancellation) {
        long deadline = timeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + timeoutNanos;
        EvaluationContext ctx = new EvaluationContext(
                this, deadline, replicaId, replicaCount, rendezvous, collectiveTimeoutNanos, cancellation);
        return evaluate(module.entry(), arguments, ctx);
    }

    Value evaluate(HloComputation computation, List<Value> arguments, EvaluationContext ctx) {
        Plan plan = plans.computeIfAbsent(computation, c -> new Plan(c, fuse));
        List<HloInstruction> instructions = computation.instructions();
        if (arguments.size() != computation.parameters().size()) {
            throw new NeuronException(
                    Status.INVALID,
                    "evaluate computation " + computation.name(),
                    "it takes " + computation.parameters().size() + " arguments, got " + arguments.size());
        }
        Value[] values = new Value[instructions.size()];
        ElementwiseFusion.Fusions fusions = plan.fusions;
        for (int i = 0; i < values.length; i++) {
            HloInstruction ins = instructions.get(i);
            ctx.checkDeadline();
            if (fusions != null && fusions.inside[i]) {
                // Computed, block by block, when its group's root runs.
                continue;
            }
            if (fusions != null && fusions.rootOf[i] != null) {
                memory.check(ins.name() + " (" + ins.shape() + ")", ins.shape().byteSize());
                ElementwiseFusion.Group group = fusions.rootOf[i];
                values[i] = guarded(ins, () -> group.evaluate(values, ctx));
            } else if (trace == null) {
                values[i] = compute(ins, plan, values, arguments, ctx);
            } else {
                long start = System.nanoTime();
                values[i] = compute(ins, plan, values, arguments, ctx);
                trace.executed(ins, ctx.replicaId(), start, System.nanoTime());
            }
            if (flops != null && plan.flops[i] != 0) {
                flops.accept(plan.flops[i]);
            }
            for (int dead : plan.releasedAfter[i]) {
                values[dead] = null;
            }
        }
        return values[computation.root().index()];
    }

    private Value compute(HloInstruction ins, Plan plan, Value[] values, List<Value> arguments, EvaluationContext ctx) {
        switch (ins.opcode()) {
            case PARAMETER:
                return arguments.get((int) ins.parameterNumber());
            case CONSTANT:
                return plan.constant(ins);
            default:
                break;
        }
        List<Value> operands = new ArrayList<>(ins.operands().size());
        for (HloInstruction o : ins.operands()) {
            operands.add(values[o.index()]);
        }
        if (ins.shape().isArray() && !ALIASING.contains(ins.opcode())) {
            // Before the kernel allocates: kernels make their output storage in many ways, but its size is the
            // instruction's shape.
            memory.check(ins.name() + " (" + ins.shape() + ")", ins.shape().byteSize());
        }
        OpHandler handler = registry.handler(ins.opcode()).orElseThrow();
        return guarded(ins, () -> handler.apply(ins, operands, ctx));
    }

    /** Runs what computes {@code ins}, turning a kernel's exception into a status that names the instruction. */
    private static Value guarded(HloInstruction ins, java.util.function.Supplier<Value> kernel) {
        try {
            return kernel.get();
        } catch (NeuronException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            // A kernel's own check of its operands: what HloTypeChecker does not cover yet (its Javadoc lists
            // the unchecked ops) surfaces here, and is the program's fault.
            throw new NeuronException(
                    Status.INVALID,
                    "execute " + ins.name() + " (" + ins.opcode() + ")",
                    "the instruction does not fit its operands: " + e.getMessage(),
                    e);
        } catch (RuntimeException e) {
            // Anything else (an index out of bounds, a failed cast, a null) on a program the type checker
            // accepted is a bug here, not the user's: say so rather than blame the model.
            throw new NeuronException(
                    Status.FAILURE,
                    "execute " + ins.name() + " (" + ins.opcode() + ")",
                    "internal error in the reference device's interpreter (" + e + "); this is a bug in nrt4j,"
                            + " please report it with the model and this message",
                    e);
        }
    }

    /**
     * What the evaluator works out once per computation: after which instruction each value is no
     * longer needed, each instruction's FLOPs, and the constants as arrays.
     */
    private static final class Plan {
        final int[][] releasedAfter;
        /** Per instruction, the FLOPs one execution of it does (0 for all but dots and convolutions). */
        final long[] flops;
        /** The elementwise groups run as one pass, or null when instructions run one by one. */
        final ElementwiseFusion.Fusions fusions;

        private final Map<HloInstruction, Value> constants = new ConcurrentHashMap<>();

        Plan(HloComputation c, boolean fuse) {
            List<HloInstruction> ins = c.instructions();
            fusions = fuse ? ElementwiseFusion.plan(c) : null;
            // A fused member reads its operands when its group's root runs, so that is when they are last used.
            int[] at = fusions == null ? null : ElementwiseFusion.evaluatedAt(fusions);
            int[] lastUse = new int[ins.size()];
            java.util.Arrays.fill(lastUse, -1);
            for (HloInstruction i : ins) {
                int use = at == null ? i.index() : at[i.index()];
                for (HloInstruction o : i.operands()) {
                    lastUse[o.index()] = Math.max(lastUse[o.index()], use);
                }
            }
            lastUse[c.root().index()] = -1;
            List<List<Integer>> after = new ArrayList<>();
            for (int i = 0; i < ins.size(); i++) {
                after.add(new ArrayList<>());
            }
            for (int v = 0; v < ins.size(); v++) {
                if (lastUse[v] >= 0) {
                    after.get(lastUse[v]).add(v);
                }
            }
            flops = new long[ins.size()];
            for (int i = 0; i < ins.size(); i++) {
                flops[i] = DotFlops.of(ins.get(i));
            }
            releasedAfter = new int[ins.size()][];
            for (int i = 0; i < ins.size(); i++) {
                releasedAfter[i] =
                        after.get(i).stream().mapToInt(Integer::intValue).toArray();
            }
        }

        Value constant(HloInstruction ins) {
            return constants.computeIfAbsent(
                    ins,
                    k -> Values.fromLiteral(k.literal()
                            .orElseThrow(
                                    () -> new IllegalArgumentException("constant " + k.name() + " has no literal"))));
        }
    }
}
