package dev.nrt4j.conformance.contract;

import java.util.Objects;

/**
 * One runtime behaviour every backend must show, named so that a failure reads like the violated
 * sentence of the contract ({@code a_core_held_by_one_runtime_is_refused_to_another}).
 *
 * @param area what part of the runtime it is about: discovery, cores, tensors, sets, models, execute,
 *     concurrency, memory, collectives, lifecycle
 * @param name the behaviour, in snake case
 * @param body the check
 */
public record Rule(String area, String name, RuleBody body) {
    public Rule {
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
    }

    /** {@code area/name}, the rule's id in reports. */
    public String id() {
        return area + "/" + name;
    }
}
