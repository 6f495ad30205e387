package dev.nrt4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resources a runtime still owns, so that closing the runtime closes them, in the order
 * {@link dev.nrt4j.spi.RuntimeBackend#close()} promises backends. The one record of what is alive:
 * backends keep none of their own.
 */
final class ResourceRegistry {
    /** Where the owned resources report leaks and failures to free. */
    final RuntimeLog log;

    private final Set<Lifecycle> models = ConcurrentHashMap.newKeySet();
    private final Set<Lifecycle> tensorSets = ConcurrentHashMap.newKeySet();
    private final Set<Lifecycle> tensors = ConcurrentHashMap.newKeySet();

    ResourceRegistry(RuntimeLog log) {
        this.log = log;
    }

    /** The families of resources, in the order the runtime closes them. */
    enum Kind {
        TENSOR_SET,
        TENSOR,
        MODEL
    }

    private Set<Lifecycle> family(Lifecycle l) {
        switch (l.kind()) {
            case MODEL:
                return models;
            case TENSOR_SET:
                return tensorSets;
            default:
                return tensors;
        }
    }

    void add(Lifecycle l) {
        family(l).add(l);
    }

    void remove(Lifecycle l) {
        family(l).remove(l);
    }

    List<String> describeOpen() {
        List<String> out = new ArrayList<>();
        for (Set<Lifecycle> s : List.of(tensorSets, tensors, models)) {
            for (Lifecycle l : s) {
                out.add(l.description());
            }
        }
        return out;
    }

    /**
     * Closes everything still open. A release that fails does not stop the others (each would otherwise
     * outlive its runtime); the first failure is thrown at the end, with the later ones suppressed.
     */
    void closeAll() {
        RuntimeException first = null;
        for (Set<Lifecycle> s : List.of(tensorSets, tensors, models)) {
            for (Lifecycle l : List.copyOf(s)) {
                try {
                    l.close();
                } catch (RuntimeException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
