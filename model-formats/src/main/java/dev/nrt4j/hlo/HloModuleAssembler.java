package dev.nrt4j.hlo;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Turns the drafts a reader collected — computations and instruction builders that name their
 * operands and callees by key — into an immutable, checked {@link HloModule}. This is the one home
 * of the graph checks: both HLO readers build through it and do none of their own, so both reject
 * the same malformed graphs with the same detail: duplicate names, operands, callees, roots and
 * entries that name nothing, cycles among instructions, recursion among computations, empty
 * computations, misnumbered parameters, and ill-typed instructions ({@link HloTypeChecker}). The
 * reader's {@link GraphDefects} says where in its input a defect is (the text reader adds the line
 * and column); every failure has status {@link Status#INVALID}.
 *
 * <p>Ordering is iterative (no recursion), so arbitrarily deep graphs cannot overflow the stack.
 * Not thread-safe; use one per read.
 */
public final class HloModuleAssembler {
    private final GraphDefects defects;
    private final Map<String, ComputationDraft> computations = new LinkedHashMap<>();
    private String moduleName = "module";
    private String entryKey;
    private int replicaCount = 1;
    private int partitionCount = 1;

    /**
     * An assembler whose failures name only the source: for readers that cannot point further.
     *
     * @param source what is being read, for messages (e.g. a file name)
     */
    public HloModuleAssembler(String source) {
        this(new GraphDefects() {
            private final String operation = "read HLO " + Objects.requireNonNull(source);

            @Override
            public NeuronException refuse(GraphSite site, String detail) {
                return new NeuronException(Status.INVALID, operation, detail);
            }
        });
    }

    /**
     * An assembler that reports graph defects through the reader.
     *
     * @param defects makes the failure for each defect, pointing into the reader's input
     */
    public HloModuleAssembler(GraphDefects defects) {
        this.defects = Objects.requireNonNull(defects);
    }

    /** Sets the module's name. */
    public HloModuleAssembler name(String name) {
        this.moduleName = Objects.requireNonNull(name);
        return this;
    }

    /** Names the entry computation; without it the last computation added is the entry (as XLA does). */
    public HloModuleAssembler entry(String computationKey) {
        this.entryKey = computationKey;
        return this;
    }

    /** Sets the replica count (at least 1). */
    public HloModuleAssembler replicaCount(int n) {
        this.replicaCount = n;
        return this;
    }

    /** Sets the partition count (at least 1). */
    public HloModuleAssembler partitionCount(int n) {
        this.partitionCount = n;
        return this;
    }

    /**
     * Adds a computation.
     *
     * @throws NeuronException {@link Status#INVALID} if the key is taken
     */
    public ComputationDraft computation(String key, String name) {
        if (computations.containsKey(key)) {
            throw defects.refuse(GraphSite.computation(key), "computation " + defects.name(name) + " is defined twice");
        }
        ComputationDraft d = new ComputationDraft(key, name);
        computations.put(key, d);
        return d;
    }

    /** The instructions of one computation before assembly. Not thread-safe. */
    public final class ComputationDraft {
        private final String key;
        private final String name;
        private final Map<String, HloInstruction.Builder> instructions = new LinkedHashMap<>();
        private String rootKey;

        private ComputationDraft(String key, String name) {
            this.key = key;
            this.name = name;
        }

        /**
         * Adds an instruction.
         *
         * @throws NeuronException {@link Status#INVALID} if its key is taken in this computation
         */
        public ComputationDraft add(HloInstruction.Builder instruction) {
            if (instructions.putIfAbsent(instruction.key(), instruction) != null) {
                throw defects.refuse(
                        GraphSite.instruction(key, instruction.key),
                        "instruction " + defects.name(instruction.name) + " is defined twice in computation "
                                + defects.name(name));
            }
            return this;
        }

        /** Names the root; without it the last instruction added is the root (as XLA does). */
        public ComputationDraft root(String instructionKey) {
            this.rootKey = instructionKey;
            return this;
        }

        /** Number of instructions added so far. */
        public int size() {
            return instructions.size();
        }
    }

    /**
     * Assembles and checks the module.
     *
     * @throws NeuronException {@link Status#INVALID} naming what is malformed
     */
    public HloModule assemble() {
        if (computations.isEmpty()) {
            throw defects.refuse(GraphSite.module(), "the module has no computations");
        }
        if (replicaCount < 1 || partitionCount < 1) {
            throw defects.refuse(
                    GraphSite.module(),
                    "replica_count " + replicaCount + " and num_partitions " + partitionCount + " must be at least 1");
        }
        List<ComputationDraft> drafts = new ArrayList<>(computations.values());
        List<ComputationDraft> order = orderComputations(drafts);
        Map<String, HloComputation> built = new HashMap<>();
        List<HloComputation> all = new ArrayList<>();
        for (ComputationDraft d : order) {
            HloComputation c = assemble(d, built);
            built.put(d.key, c);
            all.add(c);
        }
        String entry = entryKey != null ? entryKey : drafts.get(drafts.size() - 1).key;
        HloComputation entryComputation = built.get(entry);
        if (entryComputation == null) {
            throw defects.refuse(
                    GraphSite.module(), "the entry computation " + defects.reference(entry) + " is not defined");
        }
        HloModule module = new HloModule(moduleName, all, entryComputation, replicaCount, partitionCount);
        // Here rather than in each consumer, so that load, inspect and run refuse the same programs.
        HloTypeChecker.check(module);
        return module;
    }

    /** Callees before callers, keeping the source order where it already is one; recursion is an error. */
    private List<ComputationDraft> orderComputations(List<ComputationDraft> drafts) {
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < drafts.size(); i++) {
            position.put(drafts.get(i).key, i);
        }
        int n = drafts.size();
        int[] pending = new int[n];
        List<List<Integer>> callers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            callers.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            ComputationDraft d = drafts.get(i);
            for (HloInstruction.Builder b : d.instructions.values()) {
                for (int k = 0; k < b.calledComputationKeys.size(); k++) {
                    String callee = b.calledComputationKeys.get(k);
                    Integer j = position.get(callee);
                    if (j == null) {
                        throw defects.refuse(
                                GraphSite.callee(d.key, b.key, k),
                                "instruction " + defects.name(b.name)
                                        + " in computation " + defects.name(d.name) + " calls computation "
                                        + defects.reference(callee) + ", which is not defined");
                    }
                    pending[i]++;
                    callers.get(j).add(i);
                }
            }
        }
        return topologicalOrder(
                n,
                pending,
                callers,
                i -> drafts.get(i),
                stuck -> defects.refuse(
                        GraphSite.computation(drafts.get(stuck.get(0)).key),
                        "computations " + names(stuck, i -> drafts.get(i).name)
                                + " call themselves, directly or through others, or call into such a cycle;"
                                + " HLO has no recursion"));
    }

    private HloComputation assemble(ComputationDraft d, Map<String, HloComputation> built) {
        if (d.instructions.isEmpty()) {
            throw defects.refuse(
                    GraphSite.computation(d.key), "computation " + defects.name(d.name) + " has no instructions");
        }
        List<HloInstruction.Builder> list = new ArrayList<>(d.instructions.values());
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            position.put(list.get(i).key, i);
        }
        int n = list.size();
        int[] pending = new int[n];
        List<List<Integer>> users = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            users.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            HloInstruction.Builder b = list.get(i);
            for (int k = 0; k < b.operandKeys.size(); k++) {
                String operand = b.operandKeys.get(k);
                Integer j = position.get(operand);
                if (j == null) {
                    throw defects.refuse(
                            GraphSite.operand(d.key, b.key, k),
                            "instruction " + defects.name(b.name)
                                    + " in computation " + defects.name(d.name) + " uses operand "
                                    + defects.reference(operand)
                                    + ", which is not defined there");
                }
                pending[i]++;
                users.get(j).add(i);
            }
        }
        List<HloInstruction.Builder> order = topologicalOrder(
                n,
                pending,
                users,
                list::get,
                stuck -> defects.refuse(
                        GraphSite.instruction(d.key, list.get(stuck.get(0)).key),
                        "instructions " + names(stuck, i -> list.get(i).name)
                                + " of computation " + defects.name(d.name)
                                + " are on or behind a cycle: following their"
                                + " operands leads back to an instruction already visited"));
        Map<String, HloInstruction> made = new HashMap<>();
        List<HloInstruction> instructions = new ArrayList<>(n);
        List<HloInstruction> parameters = new ArrayList<>();
        Map<HloInstruction, String> parameterKeys = new HashMap<>();
        for (HloInstruction.Builder b : order) {
            List<HloInstruction> operands = new ArrayList<>(b.operandKeys.size());
            for (String k : b.operandKeys) {
                operands.add(made.get(k));
            }
            List<HloComputation> callees = new ArrayList<>(b.calledComputationKeys.size());
            for (String k : b.calledComputationKeys) {
                callees.add(built.get(k));
            }
            HloInstruction ins = new HloInstruction(b, instructions.size(), operands, callees);
            made.put(b.key, ins);
            instructions.add(ins);
            if (b.opcode == HloOpcode.PARAMETER) {
                parameters.add(ins);
                parameterKeys.put(ins, b.key);
            }
        }
        parameters.sort((x, y) -> Long.compare(x.parameterNumber(), y.parameterNumber()));
        for (int i = 0; i < parameters.size(); i++) {
            HloInstruction p = parameters.get(i);
            if (p.parameterNumber() != i) {
                throw defects.refuse(
                        GraphSite.instruction(d.key, parameterKeys.get(p)),
                        "computation "
                                + defects.name(d.name) + " must number its " + parameters.size() + " parameters 0.."
                                + (parameters.size() - 1) + " once each; " + defects.name(p.name()) + " is parameter("
                                + p.parameterNumber() + ")");
            }
        }
        String rootKey = d.rootKey != null ? d.rootKey : list.get(n - 1).key;
        HloInstruction root = made.get(rootKey);
        if (root == null) {
            throw defects.refuse(
                    GraphSite.computation(d.key),
                    "the root " + defects.reference(rootKey) + " of computation " + defects.name(d.name)
                            + " is not one of its instructions");
        }
        return new HloComputation(d.name, instructions, root, parameters);
    }

    /**
     * Kahn's algorithm, taking the lowest source position among the ready items so that an order that
     * is already valid is kept as it is.
     */
    private <T> List<T> topologicalOrder(
            int n,
            int[] pending,
            List<List<Integer>> dependents,
            IntFunction<T> item,
            Function<List<Integer>, NeuronException> cycle) {
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < n; i++) {
            if (pending[i] == 0) {
                ready.add(i);
            }
        }
        List<T> out = new ArrayList<>(n);
        boolean[] done = new boolean[n];
        while (!ready.isEmpty()) {
            int i = ready.poll();
            done[i] = true;
            out.add(item.apply(i));
            for (int user : dependents.get(i)) {
                if (--pending[user] == 0) {
                    ready.add(user);
                }
            }
        }
        if (out.size() != n) {
            List<Integer> stuck = new ArrayList<>();
            for (int i = 0; i < n && stuck.size() < 5; i++) {
                if (!done[i]) {
                    stuck.add(i);
                }
            }
            throw cycle.apply(stuck);
        }
        return out;
    }

    /** The first few stuck items, as the reader prints names, in source order. */
    private String names(List<Integer> idx, IntFunction<String> name) {
        List<String> out = new ArrayList<>();
        idx.forEach(i -> out.add(defects.name(name.apply(i))));
        return String.join(", ", out);
    }
}
