package dev.nrt4j.hlo.text;

import dev.nrt4j.hlo.ReplicaGroups;
import dev.nrt4j.hlo.SourceTargetPair;
import java.util.ArrayList;
import java.util.List;

/**
 * The collectives' attributes in HLO text: {@code replica_groups=} in its explicit, iota and mesh
 * forms, and {@code source_target_pairs=}. This reads the syntax only; {@link ReplicaGroups}
 * expands and limits the lists, the same way for the proto reader. Not thread-safe; one per text
 * (the expansion limit counts the whole module).
 */
final class CollectiveSyntax {
    private final Cursor c;
    private final ReplicaGroups groups = new ReplicaGroups();

    CollectiveSyntax(Cursor c) {
        this.c = c;
    }

    /**
     * {@code {{0,1},{2,3}}}, the iota form {@code [G,S]<=[dims]T(perm)}, or the mesh form
     * {@code mesh['x'=2,'y'=2] {'x'}}.
     */
    List<List<Long>> replicaGroups() {
        char first = c.peek();
        int at = c.pos;
        if (first == '{') {
            return groups.explicit(groupList(), detail -> c.errorAt(at, detail));
        }
        if (first == '[') {
            return iotaGroups();
        }
        if (c.tryWord("mesh")) {
            return meshGroups();
        }
        throw c.error("replica_groups is {{...},...}, [G,S]<=[dims] or mesh[...] {...}, not " + c.describeNext());
    }

    private List<List<Long>> groupList() {
        List<List<Long>> out = new ArrayList<>();
        c.expect('{');
        if (!c.tryChar('}')) {
            do {
                out.add(c.longList());
            } while (c.tryChar(','));
            c.expect('}');
        }
        return out;
    }

    /** {@code [G,S]<=[dims]} with an optional {@code T(perm)}; {@link ReplicaGroups} expands it. */
    private List<List<Long>> iotaGroups() {
        int at = c.pos;
        long[] shape = bracketList("the replica group shape");
        if (shape.length != 2) {
            throw c.errorAt(at, "the iota replica-group form starts with [groups,group_size]");
        }
        if (!c.tryLiteral("<=")) {
            throw c.error("expected '<=' in the iota replica-group form but found " + c.describeNext());
        }
        long[] reshape = bracketList("the iota dimensions");
        int[] perm = null;
        if (c.peekRaw(0) == 'T') {
            c.expect('T');
            c.expect('(');
            List<Integer> p = new ArrayList<>();
            if (!c.tryChar(')')) {
                do {
                    p.add((int) c.integer("a transpose dimension", 0, Integer.MAX_VALUE));
                } while (c.tryChar(','));
                c.expect(')');
            }
            if (p.isEmpty() && reshape.length != 0) {
                // ReplicaGroups reads no permutation as none; written out, T() must still list them all.
                throw c.errorAt(at, "T(...) must permute all " + reshape.length + " iota dimensions");
            }
            perm = p.stream().mapToInt(Integer::intValue).toArray();
        }
        return groups.iota(shape[0], shape[1], reshape, perm, detail -> c.errorAt(at, detail));
    }

    private long[] bracketList(String what) {
        c.expect('[');
        List<Long> out = new ArrayList<>();
        if (!c.tryChar(']')) {
            do {
                out.add(c.integer(what));
            } while (c.tryChar(','));
            c.expect(']');
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * {@code mesh['x'=2,'y'=2] {'x'}}: the axes by name, expanded by {@link ReplicaGroups}. Sub-axes
     * and explicit device orders are refused.
     */
    private List<List<Long>> meshGroups() {
        int at = c.pos;
        c.expect('[');
        List<String> axes = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        if (!c.tryChar(']')) {
            do {
                String axis = quotedAxis();
                if (axes.contains(axis)) {
                    throw c.errorAt(at, "mesh axis '" + Cursor.printable(axis) + "' is named twice");
                }
                c.expect('=');
                sizes.add(c.integer("a mesh axis size", 1, ReplicaGroups.MAX_MEMBERS));
                axes.add(axis);
            } while (c.tryChar(','));
            c.expect(']');
        }
        c.expect('{');
        List<Integer> grouped = new ArrayList<>();
        if (!c.tryChar('}')) {
            do {
                int axisAt = c.pos;
                String axis = quotedAxis();
                int k = axes.indexOf(axis);
                if (k < 0 || grouped.contains(k)) {
                    throw c.errorAt(
                            axisAt,
                            "'" + Cursor.printable(axis) + "' is not a mesh axis, or is listed twice"
                                    + " (sub-axes are not supported)");
                }
                grouped.add(k);
            } while (c.tryChar(','));
            c.expect('}');
        }
        return groups.mesh(
                sizes.stream().mapToLong(Long::longValue).toArray(),
                grouped.stream().mapToInt(Integer::intValue).toArray(),
                detail -> c.errorAt(at, detail));
    }

    private String quotedAxis() {
        c.skipSpace();
        if (c.peekRaw(0) != '\'') {
            throw c.error("expected a mesh axis name in single quotes but found " + c.describeNext());
        }
        int end = c.text().indexOf('\'', c.pos + 1);
        if (end < 0) {
            throw c.error("the mesh axis name is not closed");
        }
        String name = c.text().substring(c.pos + 1, end);
        c.pos = end + 1;
        return name;
    }

    List<SourceTargetPair> sourceTargetPairs() {
        List<SourceTargetPair> out = new ArrayList<>();
        int at = c.pos;
        for (List<Long> pair : groupList()) {
            if (pair.size() != 2) {
                throw c.errorAt(at, "each source_target_pairs entry is {source,target}");
            }
            out.add(new SourceTargetPair(pair.get(0), pair.get(1)));
        }
        return out;
    }
}
