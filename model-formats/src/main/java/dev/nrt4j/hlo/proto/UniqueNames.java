package dev.nrt4j.hlo.proto;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Hands out names unique within one namespace of a module (its computations, or all its
 * instructions). XLA refuses a module proto that repeats an instruction name anywhere in the module,
 * while HLO text, and so the IR, only keeps names apart within a computation. The first holder keeps
 * its name; later ones get the first free {@code name.N}, skipping every name the module already
 * uses so that a rename can never take a name a later instruction holds.
 *
 * <p>Not thread-safe; one per namespace of one write.
 */
final class UniqueNames {
    private final Set<String> taken = new HashSet<>();
    private final Set<String> given = new HashSet<>();

    /** @param all every name of the namespace, in any order */
    UniqueNames(List<String> all) {
        taken.addAll(all);
    }

    /** {@code name} the first time, else a fresh {@code name.N}. */
    String unique(String name) {
        if (given.add(name)) {
            return name;
        }
        for (long n = 1; ; n++) {
            String candidate = name + "." + n;
            if (!taken.contains(candidate) && given.add(candidate)) {
                return candidate;
            }
        }
    }
}
