package dev.nrt4j.reference.interpreter;

import java.util.List;

/** A tuple of values. Immutable. */
public final class TupleValue implements Value {
    private final List<Value> elements;

    public TupleValue(List<Value> elements) {
        this.elements = List.copyOf(elements);
    }

    @Override
    public boolean isTuple() {
        return true;
    }

    /** The elements, in order. */
    public List<Value> elements() {
        return elements;
    }

    /** Element {@code i}. */
    public Value get(int i) {
        return elements.get(i);
    }

    @Override
    public String toString() {
        return "tuple" + elements;
    }
}
