package dev.nrt4j.hlo;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Structural comparison of two IR modules for tests: module attributes, every computation in order,
 * every instruction in order with its name, opcode, shape, operands and callees by name, and every
 * attribute, literals bit for bit. The IR classes have no deep {@code equals}, so this is it.
 *
 * <p>Instruction attributes are found by reflection (every public no-argument accessor of
 * {@link HloInstruction}), so an attribute added to the IR later is compared without anyone
 * remembering to add it here. {@link #INSTRUCTION_ACCESSORS} lists what it finds, so a test can
 * check the list is complete.
 */
public final class HloDiff {
    /** Accessors that are not attributes: the graph is compared by name instead. */
    private static final Set<String> NOT_ATTRIBUTES = Set.of(
            "toString",
            "hashCode",
            "getClass",
            "operands",
            "calledComputations",
            "operand",
            "notify",
            "notifyAll",
            "wait",
            "equals");

    /** The accessors compared on every instruction, in a stable order. */
    public static final List<Method> INSTRUCTION_ACCESSORS = accessors();

    private HloDiff() {}

    private static List<Method> accessors() {
        List<Method> out = new ArrayList<>();
        for (Method m : HloInstruction.class.getMethods()) {
            if (m.getDeclaringClass() == HloInstruction.class
                    && m.getParameterCount() == 0
                    && !Modifier.isStatic(m.getModifiers())
                    && !NOT_ATTRIBUTES.contains(m.getName())) {
                out.add(m);
            }
        }
        out.sort(Comparator.comparing(Method::getName));
        return List.copyOf(out);
    }

    /** The first difference, described with where it is; empty if the modules are the same. */
    public static Optional<String> between(HloModule expected, HloModule actual) {
        if (!expected.name().equals(actual.name())) {
            return Optional.of("module name '" + expected.name() + "' vs '" + actual.name() + "'");
        }
        if (expected.replicaCount() != actual.replicaCount() || expected.partitionCount() != actual.partitionCount()) {
            return Optional.of("replicas x partitions " + expected.replicaCount() + "x" + expected.partitionCount()
                    + " vs " + actual.replicaCount() + "x" + actual.partitionCount());
        }
        if (!expected.entry().name().equals(actual.entry().name())) {
            return Optional.of("entry '" + expected.entry().name() + "' vs '"
                    + actual.entry().name() + "'");
        }
        List<HloComputation> e = expected.computations();
        List<HloComputation> a = actual.computations();
        if (e.size() != a.size()) {
            return Optional.of(e.size() + " computations vs " + a.size() + ": " + names(e) + " vs " + names(a));
        }
        for (int i = 0; i < e.size(); i++) {
            Optional<String> d = computation(e.get(i), a.get(i));
            if (d.isPresent()) {
                return Optional.of("computation " + i + " '" + e.get(i).name() + "': " + d.get());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> computation(HloComputation e, HloComputation a) {
        if (!e.name().equals(a.name())) {
            return Optional.of("name vs '" + a.name() + "'");
        }
        if (!e.root().name().equals(a.root().name())) {
            return Optional.of("root '" + e.root().name() + "' vs '" + a.root().name() + "'");
        }
        if (!instructionNames(e.parameters()).equals(instructionNames(a.parameters()))) {
            return Optional.of(
                    "parameters " + instructionNames(e.parameters()) + " vs " + instructionNames(a.parameters()));
        }
        if (e.instructions().size() != a.instructions().size()) {
            return Optional.of(e.instructions().size() + " instructions vs "
                    + a.instructions().size());
        }
        for (int i = 0; i < e.instructions().size(); i++) {
            Optional<String> d =
                    instruction(e.instructions().get(i), a.instructions().get(i));
            if (d.isPresent()) {
                return Optional.of("instruction '" + e.instructions().get(i).name() + "': " + d.get());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> instruction(HloInstruction e, HloInstruction a) {
        if (!instructionNames(e.operands()).equals(instructionNames(a.operands()))) {
            return Optional.of("operands " + instructionNames(e.operands()) + " vs " + instructionNames(a.operands()));
        }
        if (!names(e.calledComputations()).equals(names(a.calledComputations()))) {
            return Optional.of("calls " + names(e.calledComputations()) + " vs " + names(a.calledComputations()));
        }
        for (Method m : INSTRUCTION_ACCESSORS) {
            Object x = invoke(m, e);
            Object y = invoke(m, a);
            if (!same(x, y)) {
                return Optional.of(m.getName() + " " + show(x) + " vs " + show(y));
            }
        }
        return Optional.empty();
    }

    private static Object invoke(Method m, HloInstruction i) {
        try {
            return m.invoke(i);
        } catch (IllegalAccessException | InvocationTargetException ex) {
            throw new AssertionError("cannot call " + m, ex);
        }
    }

    /** Deep equality: literals by shape and bytes, IR nodes by name, containers element by element. */
    static boolean same(Object x, Object y) {
        if (x == null || y == null) {
            return x == y;
        }
        if (x instanceof Optional<?> ox && y instanceof Optional<?> oy) {
            return ox.isPresent() == oy.isPresent() && (ox.isEmpty() || same(ox.get(), oy.get()));
        }
        if (x instanceof List<?> lx && y instanceof List<?> ly) {
            if (lx.size() != ly.size()) {
                return false;
            }
            for (int i = 0; i < lx.size(); i++) {
                if (!same(lx.get(i), ly.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (x instanceof HloLiteral lx && y instanceof HloLiteral ly) {
            return lx.shape().equals(ly.shape())
                    && (lx.isTuple()
                            ? same(lx.elements(), ly.elements())
                            : Arrays.equals(lx.toByteArray(), ly.toByteArray()));
        }
        if (x instanceof HloInstruction ix && y instanceof HloInstruction iy) {
            return ix.name().equals(iy.name());
        }
        if (x instanceof HloComputation cx && y instanceof HloComputation cy) {
            return cx.name().equals(cy.name());
        }
        if (x instanceof int[] ax && y instanceof int[] ay) {
            return Arrays.equals(ax, ay);
        }
        if (x instanceof long[] ax && y instanceof long[] ay) {
            return Arrays.equals(ax, ay);
        }
        if (x.getClass().isArray() || y.getClass().isArray()) {
            throw new AssertionError("no comparison for " + x.getClass().getSimpleName());
        }
        // HloShape has a deep equals; the attribute records compare their lists with equals.
        return x.equals(y);
    }

    private static String show(Object o) {
        if (o instanceof Optional<?> opt && opt.isPresent() && opt.get() instanceof HloLiteral l && !l.isTuple()) {
            return l.shape() + " "
                    + Arrays.toString(Arrays.copyOf(l.toByteArray(), Math.min(32, l.toByteArray().length)));
        }
        return String.valueOf(o);
    }

    private static List<String> names(List<HloComputation> computations) {
        List<String> out = new ArrayList<>();
        computations.forEach(c -> out.add(c.name()));
        return out;
    }

    private static List<String> instructionNames(List<HloInstruction> instructions) {
        List<String> out = new ArrayList<>();
        instructions.forEach(i -> out.add(i.name()));
        return out;
    }
}
