package dev.nrt4j.hlo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * {@link HloTypeChecker} rules for the collectives: {@code all-reduce}, {@code all-gather},
 * {@code reduce-scatter}, {@code all-to-all} and {@code collective-permute}. How many participants
 * a group has is known only from {@code replica_groups}; with none listed (one group of every
 * participant, a number fixed at load), a gathered or scattered dimension need only be a whole
 * multiple of the other.
 */
final class CollectiveRules {
    private CollectiveRules() {}

    static void register(Map<HloOpcode, BiConsumer<CheckSite, HloInstruction>> r) {
        r.put(HloOpcode.ALL_REDUCE, CollectiveRules::allReduce);
        r.put(HloOpcode.ALL_GATHER, (x, i) -> gatherOrScatter(x, i, true));
        r.put(HloOpcode.REDUCE_SCATTER, (x, i) -> gatherOrScatter(x, i, false));
        r.put(HloOpcode.ALL_TO_ALL, CollectiveRules::allToAll);
        r.put(HloOpcode.COLLECTIVE_PERMUTE, CollectiveRules::collectivePermute);
    }

    /** The members of each group, or 0 when the groups are not listed. */
    private static long groupSize(CheckSite x, HloInstruction i) {
        List<List<Long>> groups = i.replicaGroups();
        if (groups.isEmpty()) {
            return 0;
        }
        long size = groups.get(0).size();
        for (List<Long> g : groups) {
            if (g.size() != size || size == 0) {
                throw x.invalid("replica_groups=" + groups + " must all have the same, non-zero number of members");
            }
        }
        return size;
    }

    /** The operands' shapes as the result declares them: the one array, or a tuple of them all. */
    private static HloShape operandsAsResult(CheckSite x, HloInstruction i) {
        if (i.operands().isEmpty()) {
            throw x.invalid("takes at least 1 operand, has 0");
        }
        List<HloShape> parts = new ArrayList<>();
        for (int k = 0; k < i.operands().size(); k++) {
            parts.add(x.array(k));
        }
        return parts.size() == 1 ? parts.get(0) : HloShape.tuple(parts);
    }

    /** Each operand is reduced across the group element by element: the result has the operands' shapes. */
    private static void allReduce(CheckSite x, HloInstruction i) {
        x.calledCount(1);
        HloShape shapes = operandsAsResult(x, i);
        x.scalarParameters("to_apply", i.calledComputations().get(0), 2);
        x.result(shapes);
    }

    /**
     * {@code all-gather} concatenates the group's operands along {@code dimensions[0]}, so the result
     * is that many times larger there; {@code reduce-scatter} hands each member one block of the
     * reduced operand, so the result is that many times smaller.
     */
    private static void gatherOrScatter(CheckSite x, HloInstruction i, boolean gather) {
        if (!gather) {
            x.calledCount(1);
            x.scalarParameters("to_apply", i.calledComputations().get(0), 2);
        }
        HloShape operands = operandsAsResult(x, i);
        List<HloShape> ins = operands.isTuple() ? operands.tupleShapes() : List.of(operands);
        HloShape r = i.shape();
        List<HloShape> outs = ins.size() == 1 ? List.of(r) : r.tupleShapes();
        if ((ins.size() == 1) == r.isTuple() || outs.size() != ins.size()) {
            throw x.invalid("declares " + r + ", expected "
                    + (ins.size() == 1 ? "an array" : "a tuple of " + ins.size() + " arrays"));
        }
        if (i.dimensions().size() != 1) {
            throw x.invalid("dimensions=" + i.dimensions() + " must name one dimension");
        }
        long g = groupSize(x, i);
        for (int k = 0; k < ins.size(); k++) {
            HloShape in = ins.get(k);
            HloShape out = outs.get(k);
            int d = x.dimensionOf(i.dimensions().get(0), in, "dimensions");
            boolean ok = out.isArray() && out.elementType() == in.elementType() && out.rank() == in.rank();
            for (int j = 0; ok && j < in.rank(); j++) {
                ok = j == d || out.dim(j) == in.dim(j);
            }
            long small = gather ? in.dim(d) : ok ? out.dim(d) : 0;
            long large = gather ? (ok ? out.dim(d) : 0) : in.dim(d);
            if (ok) {
                // With the group size known, the sizes are exact; otherwise any whole number of blocks.
                ok = g > 0
                        ? small <= HloShape.MAX_ELEMENTS / g && small * g == large
                        : small == 0 ? large == 0 : large % small == 0;
            }
            if (!ok) {
                throw x.invalid(
                        "declares " + r + " for operand " + k + " " + in + "; expected its shape with dimension " + d
                                + (gather ? " gathered" : " scattered") + " over "
                                + (g > 0 ? g + " group members" : "the group (a whole multiple)"));
            }
        }
    }

    /**
     * With {@code dimensions}, one array is split into group-size blocks along that dimension and
     * the received blocks are concatenated back in its place: the shape is unchanged and the
     * dimension divides by the group size. Without, each of the operands (one per member) is sent
     * whole and the result is the tuple of their shapes, which must all be one shape.
     */
    private static void allToAll(CheckSite x, HloInstruction i) {
        HloShape shapes = operandsAsResult(x, i);
        long g = groupSize(x, i);
        if (!i.dimensions().isEmpty()) {
            x.operands(1);
            if (i.dimensions().size() != 1) {
                throw x.invalid("dimensions=" + i.dimensions() + " must name one dimension");
            }
            int d = x.dimensionOf(i.dimensions().get(0), shapes, "dimensions");
            if (g > 0 && shapes.dim(d) % g != 0) {
                throw x.invalid("dimension " + d + " of operand 0 " + shapes + " does not split into " + g + " blocks");
            }
            x.result(shapes);
            return;
        }
        if (g > 0 && i.operands().size() != g) {
            throw x.invalid("has " + i.operands().size() + " operands, expected one per group member (" + g + ")");
        }
        HloShape first = i.operand(0).shape();
        for (int k = 1; k < i.operands().size(); k++) {
            if (!i.operand(k).shape().sameDimensionsAndType(first)) {
                throw x.invalid("operand " + k + " is " + i.operand(k).shape() + ", expected "
                        + first.withDefaultLayout() + " like operand 0");
            }
        }
        HloShape tuple = HloShape.tuple(shapes.isTuple() ? shapes.tupleShapes() : List.of(shapes));
        // One operand may come back as itself or as a one-element tuple; both are written.
        x.result(shapes.isTuple() || i.shape().isTuple() ? tuple : shapes);
    }

    /** A participant receives another's operand (or zeros): the result has the operand's shape. */
    private static void collectivePermute(CheckSite x, HloInstruction i) {
        if (i.operands().size() != 1) {
            return; // the in-place form carries output buffers and offsets; its shapes are the buffers'
        }
        x.result(i.operand(0).shape());
    }
}
