package dev.nrt4j.hlo.text;

import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.HloModuleAssembler;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import java.util.HashSet;
import java.util.Set;

/**
 * The recursive-descent parser behind {@link HloTextParser}, one instance per text: the module
 * header, computations and instructions, handing shapes to {@link ShapeReader}, constants to
 * {@link LiteralReader} and attributes to {@link InstructionAttributes}. Recursion is limited to
 * tuple shapes and tuple literals, both bounded by {@link HloTextParser#MAX_DEPTH}; everything else
 * that can nest (layouts, skipped attribute values, literal braces) is walked iteratively. It checks
 * syntax only: the graph checks (undefined names, cycles, recursion, parameter numbering) are
 * {@link HloModuleAssembler}'s, pointed at the text through {@link TextPositions}.
 */
final class ModuleReader {
    private static final int MAX_DEPTH = HloTextParser.MAX_DEPTH;

    private final Cursor c;
    private final HloModuleAssembler assembler;
    private final TextPositions positions;
    private final ShapeReader shapes;
    private final LiteralReader literals;
    private final InstructionAttributes attributes;

    ModuleReader(String text, String source) {
        this.c = new Cursor(text, source);
        this.positions = new TextPositions(c);
        this.assembler = new HloModuleAssembler(positions);
        this.shapes = new ShapeReader(c);
        this.literals = new LiteralReader(c, MAX_DEPTH);
        this.attributes = new InstructionAttributes(c);
    }

    HloModule read() {
        if (!c.tryWord("HloModule")) {
            throw c.error("HLO text starts with 'HloModule <name>' but found " + c.describeNext());
        }
        assembler.name(c.name("the module name"));
        readModuleAttributes();
        String entry = null;
        int entryAt = -1;
        while (!c.atEnd()) {
            int at = c.pos;
            boolean isEntry = c.tryWord("ENTRY");
            if (isEntry && entry != null) {
                throw c.errorAt(at, "a second computation is marked ENTRY (the first was at " + lineOf(entryAt) + ")");
            }
            String name = readComputation();
            if (isEntry) {
                entry = name;
                entryAt = at;
            }
        }
        if (entry != null) {
            assembler.entry(entry);
        }
        return assembler.assemble();
    }

    private String lineOf(int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < c.text().length(); i++) {
            if (c.text().charAt(i) == '\n') {
                line++;
            }
        }
        return "line " + line;
    }

    private void readModuleAttributes() {
        Set<String> seen = new HashSet<>();
        while (c.tryChar(',')) {
            int at = c.pos;
            String attr = c.attributeName();
            if (!seen.add(attr)) {
                throw c.errorAt(at, "module attribute '" + attr + "' is given twice");
            }
            switch (attr) {
                case "replica_count":
                    assembler.replicaCount((int) c.integer("replica_count", 1, Integer.MAX_VALUE));
                    break;
                case "num_partitions":
                    assembler.partitionCount((int) c.integer("num_partitions", 1, Integer.MAX_VALUE));
                    break;
                default:
                    // entry_computation_layout, is_scheduled, input_output_alias, frontend_attributes, ...:
                    // the computations themselves say everything an interpreter needs.
                    c.skipValue();
            }
        }
    }

    private String readComputation() {
        int at = c.pos;
        String name = c.name("a computation name");
        positions.computation(name, at);
        HloModuleAssembler.ComputationDraft draft = assembler.computation(name, name);
        if (c.peek() == '(') {
            skipParameterList();
        }
        c.expect('{');
        Set<String> rootSeen = new HashSet<>();
        while (c.peek() != '}') {
            if (c.atEnd()) {
                throw c.errorAt(at, "computation '" + name + "' is not closed with '}'");
            }
            readInstruction(name, draft, rootSeen);
        }
        c.expect('}');
        if (c.peek() == ',') {
            c.pos++;
            int attrAt = c.pos;
            String attr = c.attributeName();
            if (!attr.equals("execution_thread")) {
                throw c.errorAt(attrAt, "a computation takes only the attribute execution_thread, not '" + attr + "'");
            }
            c.quoted("execution_thread");
        }
        return name;
    }

    /** {@code (a: f32[2], b: s32[]) -> f32[2]}: checked for form only; the parameter instructions are what counts. */
    private void skipParameterList() {
        c.expect('(');
        if (!c.tryChar(')')) {
            do {
                c.name("a parameter name");
                c.expect(':');
                shapes.shape(0);
            } while (c.tryChar(','));
            c.expect(')');
        }
        if (!c.tryLiteral("->")) {
            throw c.error("expected '->' and the result shape after the parameter list but found " + c.describeNext());
        }
        shapes.shape(0);
    }

    private void readInstruction(String computation, HloModuleAssembler.ComputationDraft draft, Set<String> rootSeen) {
        c.skipSpace();
        int at = c.pos;
        boolean isRoot = c.tryWord("ROOT");
        int nameAt = c.pos;
        String name = c.name("an instruction name");
        if (isRoot && !rootSeen.isEmpty()) {
            throw c.errorAt(at, "computation '" + computation + "' has a second ROOT instruction");
        }
        c.expect('=');
        HloShape shape = shapes.shape(0);
        c.skipSpace();
        int opcodeAt = c.pos;
        String opcodeName = opcode();
        HloOpcode opcode = HloOpcode.fromName(opcodeName)
                .orElseThrow(() -> c.errorAt(
                        opcodeAt,
                        "instruction '" + name + "' has the unknown opcode '" + Cursor.printable(opcodeName) + "'"));
        InstructionAttributes.Ins ins = new InstructionAttributes.Ins(name, nameAt);
        HloInstruction.Builder b = HloInstruction.builder(name, name, opcode, shape);
        c.expect('(');
        if (opcode == HloOpcode.PARAMETER) {
            b.parameterNumber(c.integer("a parameter number", 0, Integer.MAX_VALUE));
            c.expect(')');
        } else if (opcode == HloOpcode.CONSTANT) {
            b.literal(literals.read(shape, 0));
            c.expect(')');
        } else {
            if (!c.tryChar(')')) {
                do {
                    if (shapes.shapeAhead()) {
                        shapes.shape(0);
                    }
                    c.skipSpace();
                    int operandAt = c.pos;
                    String operand = c.name("an operand name");
                    if (c.peek() == '(') {
                        throw c.errorAt(
                                operandAt,
                                "nested instructions as operands are not supported; give '" + operand
                                        + "(...)' a name of its own");
                    }
                    ins.operands.add(operand);
                    ins.operandAt.add(operandAt);
                } while (c.tryChar(','));
                c.expect(')');
            }
            b.operands(ins.operands);
        }
        attributes.read(opcode, b, ins);
        b.calledComputations(ins.callees);
        positions.instruction(computation, name, nameAt, ins.operandAt, ins.calleeAt);
        draft.add(b);
        if (isRoot) {
            rootSeen.add(name);
            draft.root(name);
        }
    }

    private String opcode() {
        String t = c.text();
        int start = c.pos;
        int p = start;
        while (p < t.length()
                && ((t.charAt(p) >= 'a' && t.charAt(p) <= 'z')
                        || Cursor.isDigit(t.charAt(p))
                        || t.charAt(p) == '-'
                        || t.charAt(p) == '_')) {
            p++;
        }
        if (p == start) {
            throw c.error("expected an opcode but found " + c.describeNext());
        }
        c.pos = p;
        return t.substring(start, p);
    }
}
