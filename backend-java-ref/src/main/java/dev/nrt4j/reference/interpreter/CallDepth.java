package dev.nrt4j.reference.interpreter;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.HloComputation;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloModule;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Bounds how deeply a module's computations call one another. The evaluator runs a called computation
 * (through {@code call}, {@code while}, {@code conditional}, reducers …) by recursing on the Java
 * stack, so a module whose call chain is deeper than {@link #MAX} is refused at load with
 * {@link Status#INVALID}; every execution is then bounded too, because HLO has no dynamic recursion:
 * the deepest nesting an execution can reach is the longest chain of the call graph. The walk here
 * keeps its own stack, so the check itself cannot overflow on the modules it refuses. Stateless.
 */
final class CallDepth {
    /**
     * The deepest chain of computations the evaluator accepts, entry included. Compilers emit a few
     * levels (fusions in loops in conditionals); 200 leaves room for that while staying far inside a
     * default 512 KiB thread stack, on the core's thread and on fork-join workers alike.
     */
    static final int MAX = 200;

    private CallDepth() {}

    /**
     * @throws NeuronException {@link Status#INVALID} naming the limit and the computation where the chain
     *     passes it, or a computation that calls itself
     */
    static void check(HloModule module) {
        Map<HloComputation, Integer> depth = new HashMap<>();
        Map<HloComputation, Boolean> onPath = new HashMap<>();
        // Explicit DFS: each frame is a computation and the index of the next callee to visit.
        Deque<Frame> path = new ArrayDeque<>();
        path.push(new Frame(module.entry()));
        onPath.put(module.entry(), true);
        while (!path.isEmpty()) {
            Frame top = path.peek();
            if (path.size() > MAX) {
                throw refuse(
                        module,
                        "its computations call one another " + path.size() + " deep at "
                                + top.computation.name() + "; the reference device evaluates at most " + MAX
                                + " nested computations; flatten the chain of calls (inline them)");
            }
            HloComputation next = top.nextCallee();
            if (next == null) {
                path.pop();
                onPath.remove(top.computation);
                depth.put(top.computation, top.deepest + 1);
                if (!path.isEmpty()) {
                    path.peek().deepest = Math.max(path.peek().deepest, top.deepest + 1);
                }
                continue;
            }
            if (onPath.containsKey(next)) {
                throw refuse(
                        module,
                        "computation " + next.name() + " calls itself (through " + top.computation.name()
                                + "); HLO does not allow recursion");
            }
            Integer known = depth.get(next);
            if (known != null) {
                top.deepest = Math.max(top.deepest, known);
                if (path.size() + known > MAX) {
                    throw refuse(
                            module,
                            "its computations call one another " + (path.size() + known) + " deep below "
                                    + top.computation.name() + "; the reference device evaluates at most " + MAX
                                    + " nested computations; flatten the chain of calls (inline them)");
                }
                continue;
            }
            onPath.put(next, true);
            path.push(new Frame(next));
        }
    }

    private static NeuronException refuse(HloModule module, String why) {
        return new NeuronException(
                Status.INVALID, "load HLO module " + module.name() + " on the reference device", why);
    }

    /** One computation on the walk's path. */
    private static final class Frame {
        final HloComputation computation;
        private int instruction;
        private int callee;
        /** The deepest chain found below this computation so far, not counting itself. */
        int deepest;

        Frame(HloComputation computation) {
            this.computation = computation;
        }

        /** The next computation this one calls, or null when all were visited. */
        HloComputation nextCallee() {
            while (instruction < computation.instructions().size()) {
                HloInstruction i = computation.instructions().get(instruction);
                if (callee < i.calledComputations().size()) {
                    return i.calledComputations().get(callee++);
                }
                instruction++;
                callee = 0;
            }
            return null;
        }
    }
}
