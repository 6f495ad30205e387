package dev.nrt4j.reference.interpreter;

/**
 * A value the interpreter computes: an {@link Array} or a {@link TupleValue}. Values are never
 * modified once an instruction has produced them, so they can be shared between instructions and
 * threads.
 */
public interface Value {
    /** Whether this is a tuple. */
    boolean isTuple();

    /** This value as an array. */
    default Array asArray() {
        if (this instanceof Array) {
            return (Array) this;
        }
        throw new IllegalStateException("expected an array, got a tuple");
    }

    /** This value as a tuple. */
    default TupleValue asTuple() {
        if (this instanceof TupleValue) {
            return (TupleValue) this;
        }
        throw new IllegalStateException("expected a tuple, got an array");
    }
}
