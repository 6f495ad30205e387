package dev.nrt4j.hlo.text;

import dev.nrt4j.NeuronException;
import dev.nrt4j.hlo.GraphDefects;
import dev.nrt4j.hlo.GraphSite;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each computation, instruction, operand and callee name was written, so that the graph
 * defects {@link dev.nrt4j.hlo.HloModuleAssembler} finds come out with the text's line and column
 * like every other error of the text reader. The text's keys are its names. Not thread-safe.
 */
final class TextPositions implements GraphDefects {
    /** Offsets of one instruction's name and of each operand and callee name it wrote. */
    private record Written(int at, int[] operands, int[] callees) {}

    private final Cursor c;
    private final Map<String, Integer> computations = new HashMap<>();
    private final Map<String, Map<String, Written>> instructions = new HashMap<>();

    TextPositions(Cursor c) {
        this.c = c;
    }

    /** Records a computation's name; a later one of the same name replaces it, so a duplicate points at itself. */
    void computation(String name, int at) {
        computations.put(name, at);
        instructions.put(name, new HashMap<>());
    }

    /** Records an instruction of the computation last recorded under {@code computation}. */
    void instruction(String computation, String name, int at, List<Integer> operandsAt, List<Integer> calleesAt) {
        instructions
                .get(computation)
                .put(
                        name,
                        new Written(
                                at,
                                operandsAt.stream().mapToInt(Integer::intValue).toArray(),
                                calleesAt.stream().mapToInt(Integer::intValue).toArray()));
    }

    /** The defect at the place it names; module-wide ones at the reader's current position (the end). */
    @Override
    public NeuronException refuse(GraphSite site, String detail) {
        return c.errorAt(offset(site), detail);
    }

    private int offset(GraphSite site) {
        Integer computation = site.computation() == null ? null : computations.get(site.computation());
        if (computation == null) {
            return c.pos;
        }
        Written ins = site.instruction() == null
                ? null
                : instructions.get(site.computation()).get(site.instruction());
        if (ins == null) {
            return computation;
        }
        switch (site.part()) {
            case OPERAND:
                return site.index() < ins.operands().length ? ins.operands()[site.index()] : ins.at();
            case CALLEE:
                return site.index() < ins.callees().length ? ins.callees()[site.index()] : ins.at();
            default:
                return ins.at();
        }
    }
}
