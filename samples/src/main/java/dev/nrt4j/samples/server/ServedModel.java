package dev.nrt4j.samples.server;

import dev.nrt4j.Model;
import dev.nrt4j.ModelSignature;
import dev.nrt4j.TensorInfo;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * One model the server serves under a name: a copy loaded on each of the server's cores, and the
 * round-robin choice of the copy that answers the next request. The copies are owned by the server,
 * which closes them at shutdown. Thread-safe.
 */
final class ServedModel {
    private final String name;
    private final List<Model> replicas;
    private final AtomicLong next = new AtomicLong();

    ServedModel(String name, List<Model> replicas) {
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("model '" + name + "' has no copies to serve");
        }
        this.name = name;
        this.replicas = List.copyOf(replicas);
    }

    String name() {
        return name;
    }

    List<Model> replicas() {
        return replicas;
    }

    /** Every copy has the signature of the first: they were loaded from one file. */
    ModelSignature signature() {
        return replicas.get(0).signature();
    }

    /** The copy for the next request; copies take turns, so every core gets its share. */
    Model pick() {
        return replicas.get((int) Math.floorMod(next.getAndIncrement(), (long) replicas.size()));
    }

    /** The expected inputs as one line for error messages, e.g. {@code "model 'mlp' expects input0 f32[4, 64]"}. */
    String expectation() {
        return "model '" + name + "' expects "
                + signature().inputs().stream().map(TensorJson::describe).collect(Collectors.joining(", "));
    }

    /** The input named {@code name}, if the model has one. */
    TensorInfo input(String input) {
        return signature().input(input).orElse(null);
    }
}
