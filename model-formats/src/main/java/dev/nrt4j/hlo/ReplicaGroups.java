package dev.nrt4j.hlo;

import dev.nrt4j.NeuronException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Builds the replica-group lists of one module as the IR keeps them, every group written out, from
 * each way HLO can state them: an explicit list, the iota form ({@code [G,S]<=[dims]T(perm)} in
 * text, {@code IotaReplicaGroupListProto} in a proto) and the text's mesh form. Both HLO readers
 * come here, so both expand the same way and refuse the same lists against the one set of limits
 * below.
 *
 * <p>One instance per module read: it counts the device ids the compact forms have expanded to so
 * far. A refused list comes out as whatever the reader's {@code refuse} function makes of the
 * detail (the readers give {@link dev.nrt4j.Status#INVALID}), so that the text reader can point at
 * the line and column. Not thread-safe.
 */
public final class ReplicaGroups {
    /**
     * Members one instruction's replica-group list may name in all (groups times members), in any
     * form. Far above any real system; it keeps a single list from costing more than a few MB.
     */
    public static final int MAX_MEMBERS = 1 << 16;

    /**
     * Device ids the compact forms (iota, mesh) of one module may expand to together. Those are the
     * only values not written out in the input, so this keeps memory proportional to the input.
     */
    public static final long MAX_EXPANDED_PER_MODULE = 1 << 20;

    private long expanded;

    /** A fresh count for one module. */
    public ReplicaGroups() {}

    /**
     * An explicit list, as written.
     *
     * @param groups the groups of device ids; not null
     * @param refuse makes the reader's failure from a detail
     * @return an immutable copy
     * @throws NeuronException whatever {@code refuse} makes, if the list names more than {@link #MAX_MEMBERS} devices
     */
    public List<List<Long>> explicit(List<List<Long>> groups, Function<String, NeuronException> refuse) {
        long members = 0;
        for (List<Long> g : groups) {
            members += g.size();
        }
        if (members > MAX_MEMBERS) {
            throw refuse.apply(
                    "the replica groups name " + members + " devices in all; at most " + MAX_MEMBERS + " are accepted");
        }
        List<List<Long>> out = new ArrayList<>(groups.size());
        groups.forEach(g -> out.add(List.copyOf(g)));
        return List.copyOf(out);
    }

    /**
     * The iota form: the device ids {@code 0..G*S-1} laid out row-major in {@code reshapeDims},
     * transposed by {@code perm}, then read row-major in rows of {@code perGroup}.
     *
     * @param groups G, the number of groups (at least 1)
     * @param perGroup S, the devices in each group (at least 1)
     * @param reshapeDims the iota's dimensions (each at least 1, product G*S); empty means {@code [G*S]}
     * @param perm the transpose, a permutation of the dimensions; null or empty means none
     * @param refuse makes the reader's failure from a detail
     * @return the groups
     * @throws NeuronException whatever {@code refuse} makes, if the form is inconsistent or over the limits
     */
    public List<List<Long>> iota(
            long groups, long perGroup, long[] reshapeDims, int[] perm, Function<String, NeuronException> refuse) {
        if (groups < 1 || perGroup < 1 || groups > MAX_MEMBERS / perGroup) {
            throw refuse.apply(groups + " replica groups of " + perGroup + " devices are not a usable group list"
                    + " (at least 1 of each, at most " + MAX_MEMBERS + " members in all)");
        }
        int total = (int) (groups * perGroup);
        long[] dims = reshapeDims.length == 0 ? new long[] {total} : reshapeDims.clone();
        long product = 1;
        for (long d : dims) {
            if (d < 1 || d > total || (product *= d) > total) {
                throw refuse.apply("the iota dimensions " + Arrays.toString(reshapeDims) + " do not hold " + groups
                        + " groups of " + perGroup + " devices");
            }
        }
        if (product != total) {
            throw refuse.apply("the iota dimensions " + Arrays.toString(reshapeDims) + " do not hold " + groups
                    + " groups of " + perGroup + " devices");
        }
        int rank = dims.length;
        int[] order = permutation(perm, rank, refuse);
        spend(total, refuse);
        // Row-major strides of the reshaped iota; axis k of the transposed array walks axis order[k].
        long[] stride = new long[rank];
        long s = 1;
        for (int i = rank - 1; i >= 0; i--) {
            stride[i] = s;
            s *= dims[i];
        }
        long[] index = new long[rank];
        long value = 0;
        List<List<Long>> out = new ArrayList<>((int) groups);
        List<Long> current = new ArrayList<>((int) perGroup);
        for (int n = 0; n < total; n++) {
            current.add(value);
            if (current.size() == perGroup) {
                out.add(List.copyOf(current));
                current = new ArrayList<>((int) perGroup);
            }
            for (int k = rank - 1; k >= 0; k--) {
                value += stride[order[k]];
                if (++index[k] < dims[order[k]]) {
                    break;
                }
                value -= stride[order[k]] * dims[order[k]];
                index[k] = 0;
            }
        }
        return List.copyOf(out);
    }

    private static int[] permutation(int[] perm, int rank, Function<String, NeuronException> refuse) {
        int[] order = new int[rank];
        if (perm == null || perm.length == 0) {
            for (int i = 0; i < rank; i++) {
                order[i] = i;
            }
            return order;
        }
        boolean[] seen = new boolean[rank];
        if (perm.length != rank) {
            throw refuse.apply("the transpose " + Arrays.toString(perm) + " is not a permutation of the " + rank
                    + " iota dimensions");
        }
        for (int i = 0; i < rank; i++) {
            int d = perm[i];
            if (d < 0 || d >= rank || seen[d]) {
                throw refuse.apply("the transpose " + Arrays.toString(perm) + " is not a permutation of the " + rank
                        + " iota dimensions");
            }
            seen[d] = true;
            order[i] = d;
        }
        return order;
    }

    /**
     * The mesh form: devices numbered row-major over the mesh axes; each group holds the devices that
     * differ only along the grouped axes (in the order given), one group per position on the others.
     * That is the iota form over the mesh with the other axes transposed to the front, so it is
     * expanded as one.
     *
     * @param axisSizes the size of each mesh axis (each at least 1)
     * @param groupedAxes distinct indices into {@code axisSizes}
     * @param refuse makes the reader's failure from a detail
     * @return the groups
     * @throws NeuronException whatever {@code refuse} makes, if the mesh is inconsistent or over the limits
     */
    public List<List<Long>> mesh(long[] axisSizes, int[] groupedAxes, Function<String, NeuronException> refuse) {
        long total = 1;
        for (long size : axisSizes) {
            if (size < 1 || size > MAX_MEMBERS || (total *= size) > MAX_MEMBERS) {
                throw refuse.apply(
                        "the mesh axes must be at least 1 long and hold at most " + MAX_MEMBERS + " devices");
            }
        }
        boolean[] grouped = new boolean[axisSizes.length];
        long perGroup = 1;
        for (int a : groupedAxes) {
            if (a < 0 || a >= axisSizes.length || grouped[a]) {
                throw refuse.apply("the grouped mesh axes must be distinct axes of the mesh");
            }
            grouped[a] = true;
            perGroup *= axisSizes[a];
        }
        int[] perm = new int[axisSizes.length];
        int k = 0;
        for (int i = 0; i < axisSizes.length; i++) {
            if (!grouped[i]) {
                perm[k++] = i;
            }
        }
        for (int a : groupedAxes) {
            perm[k++] = a;
        }
        return iota(total / perGroup, perGroup, axisSizes, perm, refuse);
    }

    private void spend(long devices, Function<String, NeuronException> refuse) {
        expanded += devices;
        if (expanded > MAX_EXPANDED_PER_MODULE) {
            throw refuse.apply("the module's compact (iota and mesh) replica groups expand to more than "
                    + MAX_EXPANDED_PER_MODULE + " device ids in all");
        }
    }
}
