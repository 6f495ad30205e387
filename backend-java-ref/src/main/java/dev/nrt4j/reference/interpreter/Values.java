package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.HloLiteral;
import java.util.ArrayList;
import java.util.List;

/** Conversions between the IR's literals and interpreter values. */
final class Values {
    private Values() {}

    static Value fromLiteral(HloLiteral literal) {
        if (!literal.isTuple()) {
            return Array.fromLiteral(literal);
        }
        List<Value> elements = new ArrayList<>();
        for (HloLiteral e : literal.elements()) {
            elements.add(fromLiteral(e));
        }
        return new TupleValue(elements);
    }
}
