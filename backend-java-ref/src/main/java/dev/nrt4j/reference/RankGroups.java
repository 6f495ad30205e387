package dev.nrt4j.reference;

import dev.nrt4j.reference.interpreter.CollectiveRendezvous;
import dev.nrt4j.reference.interpreter.Rendezvous;
import java.util.HashMap;
import java.util.Map;

/**
 * The groups of ranks of one runtime: loads of the same program file for the same number of ranks
 * form one group and share one {@link Rendezvous}, which lives while any of its ranks is loaded
 * (libnrt likewise forms one communicator per program and world size). Thread-safe.
 */
final class RankGroups {
    private static final class Group {
        final Rendezvous rendezvous;
        int members;

        Group(Rendezvous rendezvous) {
            this.rendezvous = rendezvous;
        }
    }

    private final Map<String, Group> groups = new HashMap<>();

    synchronized Rendezvous join(String key, int ranks) {
        Group g = groups.computeIfAbsent(key, k -> new Group(new CollectiveRendezvous(ranks)));
        g.members++;
        return g.rendezvous;
    }

    synchronized void leave(String key) {
        Group g = groups.get(key);
        if (g != null && --g.members == 0) {
            groups.remove(key);
        }
    }
}
