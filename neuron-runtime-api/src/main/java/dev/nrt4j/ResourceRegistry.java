package dev.nrt4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resources a runtime still owns, so that closing the runtime closes them: models first (they
 * may be using tensors), then tensor sets, then tensors.
 */
final class ResourceRegistry {
    private final Set<Lifecycle> models = ConcurrentHashMap.newKeySet();
    private final Set<Lifecycle> tensorSets = ConcurrentHashMap.newKeySet();
    private final Set<Lifecycle> tensors = ConcurrentHashMap.newKeySet();

    /** The families of resources, in the order the runtime closes them. */
    enum Kind {
        MODEL, TENSOR_SET, TENSOR
    }

    private Set<Lifecycle> family(Lifecycle l) {
        switch (l.kind()) {
            case MODEL: return models;
            case TENSOR_SET: return tensorSets;
            default: return tensors;
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
        for (Set<Lifecycle> s : List.of(models, tensorSets, tensors)) {
            for (Lifecycle l : s) {
                out.add(l.description());
            }
        }
        return out;
    }

    void closeAll() {
        for (Set<Lifecycle> s : List.of(models, tensorSets, tensors)) {
            for (Lifecycle l : List.copyOf(s)) {
                l.close();
            }
        }
    }
}
