package dev.nrt4j.hlo.text;

import dev.nrt4j.hlo.ConvolutionDimensions;
import dev.nrt4j.hlo.DotDimensions;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.GatherDimensions;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.HloModuleAssembler;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import dev.nrt4j.hlo.PaddingDimension;
import dev.nrt4j.hlo.ScatterDimensions;
import dev.nrt4j.hlo.SliceDimension;
import dev.nrt4j.hlo.SourceTargetPair;
import dev.nrt4j.hlo.TriangularSolveOptions;
import dev.nrt4j.hlo.Window;
import dev.nrt4j.hlo.WindowDimension;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The recursive-descent parser behind {@link HloTextParser}: one instance per text. Recursion is
 * limited to tuple shapes and tuple literals, both bounded by {@link HloTextParser#MAX_DEPTH};
 * everything else that can nest (layouts, skipped attribute values, literal braces) is walked
 * iteratively. Graph checks (undefined names, cycles, recursion, parameter numbering) are done here
 * so that errors can point at the text; the assembler repeats them as a backstop.
 */
final class ModuleReader {
    private static final int MAX_DEPTH = HloTextParser.MAX_DEPTH;
    /** Devices an iota or mesh replica-group list may expand to; far above real systems. */
    private static final long MAX_DEVICES = 1 << 16;
    /**
     * Device ids all iota and mesh lists of a module may expand to together: these are the only
     * values not written out in the text, so this keeps memory proportional to the text.
     */
    private static final long MAX_EXPANDED_DEVICES = 1 << 20;

    /**
     * Attributes that carry nothing the IR keeps (debug info, sharding, scheduling, precision hints)
     * or that it has no field for yet ({@code k} and {@code largest} of topk); their values are skipped.
     */
    private static final Set<String> IGNORED = Set.of(
            "metadata", "sharding", "frontend_attributes", "statistics", "parameter_replication",
            "control-predecessors", "origin", "original_value", "result_accuracy", "operand_precision",
            "precision_config", "inferred_dimension", "constrain_layout", "api_version", "schedule",
            "output_to_operand_aliasing", "operand_layout_constraints", "is_composite", "custom_call_has_side_effect",
            "is_host_transfer", "async_execution_thread", "padding_type", "literal", "k", "largest",
            "composite.name", "composite.attributes", "composite.version", "is_cross_program_prefetch",
            "cross_program_prefetch_index", "sparsity", "delta", "infeed_config", "outfeed_config", "outfeed_shape",
            "epsilon", "feature_index", "slice_sizes_unused", "channel_type");

    private final Cursor c;
    private final String source;
    private final HloModuleAssembler assembler;
    private final LiteralReader literals;

    /** What the graph checks need to know about each computation, with positions for messages. */
    private static final class Comp {
        final String name;
        final int at;
        final List<Ins> instructions = new ArrayList<>();
        final Map<String, Ins> byName = new HashMap<>();
        Ins root;

        Comp(String name, int at) {
            this.name = name;
            this.at = at;
        }
    }

    private static final class Ins {
        final String name;
        final int at;
        final List<String> operands = new ArrayList<>();
        final List<Integer> operandAt = new ArrayList<>();
        final List<String> callees = new ArrayList<>();
        final List<Integer> calleeAt = new ArrayList<>();
        long parameterNumber = -1;

        Ins(String name, int at) {
            this.name = name;
            this.at = at;
        }
    }

    private final Map<String, Comp> comps = new LinkedHashMap<>();
    private long expandedDevices;

    ModuleReader(String text, String source) {
        this.c = new Cursor(text, source);
        this.source = source;
        this.assembler = new HloModuleAssembler(source);
        this.literals = new LiteralReader(c, MAX_DEPTH);
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
        if (comps.isEmpty()) {
            throw c.error("the module has no computations");
        }
        if (entry != null) {
            assembler.entry(entry);
        }
        checkGraph();
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
            String attr = attributeName();
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

    /** {@code name=} of an attribute; the name as written (without the {@code =}). */
    private String attributeName() {
        c.skipSpace();
        int at = c.pos;
        int p = at;
        String t = c.text();
        if (p >= t.length() || !Cursor.isNameStart(t.charAt(p))) {
            throw c.error("expected an attribute name but found " + c.describeNext());
        }
        while (p < t.length() && Cursor.isNameChar(t.charAt(p))) {
            p++;
        }
        String name = t.substring(at, p);
        c.pos = p;
        c.expect('=');
        return name;
    }

    private String readComputation() {
        int at = c.pos;
        String name = c.name("a computation name");
        if (comps.containsKey(name)) {
            throw c.errorAt(at, "computation '" + name + "' is defined twice");
        }
        Comp comp = new Comp(name, at);
        comps.put(name, comp);
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
            readInstruction(comp, draft, rootSeen);
        }
        c.expect('}');
        if (comp.instructions.isEmpty()) {
            throw c.errorAt(at, "computation '" + name + "' has no instructions");
        }
        if (c.peek() == ',') {
            c.pos++;
            int attrAt = c.pos;
            String attr = attributeName();
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
                shape(0);
            } while (c.tryChar(','));
            c.expect(')');
        }
        if (!c.tryLiteral("->")) {
            throw c.error("expected '->' and the result shape after the parameter list but found " + c.describeNext());
        }
        shape(0);
    }

    // ----------------------------------------------------------------------------------------- shapes

    /** Whether a shape starts here: a tuple's parenthesis or an element type directly followed by '['. */
    private boolean shapeAhead() {
        char first = c.peek();
        if (first == '(') {
            return true;
        }
        String t = c.text();
        int p = c.pos;
        while (p < t.length() && (Cursor.isNameStart(t.charAt(p)) || Cursor.isDigit(t.charAt(p)))) {
            p++;
        }
        return p > c.pos && p < t.length() && t.charAt(p) == '['
                && elementType(t.substring(c.pos, p)) != null;
    }

    private static ElementType elementType(String word) {
        for (ElementType e : ElementType.values()) {
            if (e != ElementType.TUPLE && e.textName().equals(word)) {
                return e;
            }
        }
        return null;
    }

    HloShape shape(int depth) {
        if (depth > MAX_DEPTH) {
            throw c.error("shapes nest more than " + MAX_DEPTH + " tuples deep");
        }
        c.skipSpace();
        int at = c.pos;
        if (c.tryChar('(')) {
            List<HloShape> elements = new ArrayList<>();
            if (!c.tryChar(')')) {
                do {
                    elements.add(shape(depth + 1));
                } while (c.tryChar(','));
                c.expect(')');
            }
            return HloShape.tuple(elements);
        }
        String word = c.word("a shape");
        ElementType type = elementType(word);
        if (type == null) {
            boolean bracket = c.peekRaw(0) == '[';
            c.pos = at;
            throw c.error(bracket ? "unknown element type '" + Cursor.printable(word) + "'"
                    : "expected a shape such as f32[2,3] but found " + c.describeNext());
        }
        c.expect('[');
        List<Long> dims = new ArrayList<>();
        if (!c.tryChar(']')) {
            do {
                char next = c.peek();
                if (next == '?' || (next == '<' && c.peekRaw(1) == '=')) {
                    throw c.error("dynamic dimensions ('?' and '<=N') are not supported");
                }
                dims.add(c.integer("a dimension size", 0, Long.MAX_VALUE));
            } while (c.tryChar(','));
            c.expect(']');
        }
        int[] layout = layoutAhead() ? layout() : null;
        long[] d = dims.stream().mapToLong(Long::longValue).toArray();
        if (type == ElementType.TOKEN || type == ElementType.OPAQUE) {
            if (d.length != 0) {
                throw c.errorAt(at, type.textName() + " shapes have no dimensions: write " + type.textName() + "[]");
            }
            return type == ElementType.TOKEN ? HloShape.token() : HloShape.opaque();
        }
        try {
            return HloShape.array(type, d, layout);
        } catch (IllegalArgumentException e) {
            throw c.errorAt(at, e.getMessage());
        }
    }

    /**
     * A layout follows a shape only as {@code {digits...}}, {@code {}} or {@code {:...}}; a computation's
     * body after its result shape starts with an instruction name instead.
     */
    private boolean layoutAhead() {
        int save = c.pos;
        try {
            if (!c.tryChar('{')) {
                return false;
            }
            char next = c.peek();
            return Cursor.isDigit(next) || next == '}' || next == ':';
        } finally {
            c.pos = save;
        }
    }

    private int[] layout() {
        c.expect('{');
        List<Integer> minorToMajor = new ArrayList<>();
        if (Cursor.isDigit(c.peek())) {
            do {
                minorToMajor.add((int) c.integer("a layout dimension", 0, Integer.MAX_VALUE));
            } while (c.tryChar(','));
        }
        if (c.tryChar(':')) {
            // Tiling, element size, memory space and the like: physical details of no logical consequence.
            int depth = 0;
            String t = c.text();
            while (true) {
                if (c.pos >= t.length()) {
                    throw c.error("the layout is not closed with '}'");
                }
                char ch = t.charAt(c.pos);
                if (ch == '(' || ch == '{') {
                    depth++;
                } else if (ch == ')' || (ch == '}' && depth > 0)) {
                    depth--;
                } else if (ch == '}') {
                    break;
                }
                c.pos++;
            }
        }
        c.expect('}');
        return minorToMajor.stream().mapToInt(Integer::intValue).toArray();
    }

    // ----------------------------------------------------------------------------------- instructions

    private void readInstruction(Comp comp, HloModuleAssembler.ComputationDraft draft, Set<String> rootSeen) {
        c.skipSpace();
        int at = c.pos;
        boolean isRoot = c.tryWord("ROOT");
        int nameAt = c.pos;
        String name = c.name("an instruction name");
        if (comp.byName.containsKey(name)) {
            throw c.errorAt(nameAt, "instruction '" + name + "' is defined twice in computation '" + comp.name + "'");
        }
        if (isRoot && !rootSeen.isEmpty()) {
            throw c.errorAt(at, "computation '" + comp.name + "' has a second ROOT instruction");
        }
        c.expect('=');
        HloShape shape = shape(0);
        c.skipSpace();
        int opcodeAt = c.pos;
        String opcodeName = opcode();
        HloOpcode opcode = HloOpcode.fromName(opcodeName).orElseThrow(() -> c.errorAt(opcodeAt,
                "instruction '" + name + "' has the unknown opcode '" + Cursor.printable(opcodeName) + "'"));
        Ins ins = new Ins(name, nameAt);
        HloInstruction.Builder b = HloInstruction.builder(name, name, opcode, shape);
        c.expect('(');
        if (opcode == HloOpcode.PARAMETER) {
            ins.parameterNumber = c.integer("a parameter number", 0, Integer.MAX_VALUE);
            b.parameterNumber(ins.parameterNumber);
            c.expect(')');
        } else if (opcode == HloOpcode.CONSTANT) {
            b.literal(literals.read(shape, 0));
            c.expect(')');
        } else {
            if (!c.tryChar(')')) {
                do {
                    if (shapeAhead()) {
                        shape(0);
                    }
                    c.skipSpace();
                    int operandAt = c.pos;
                    String operand = c.name("an operand name");
                    if (c.peek() == '(') {
                        throw c.errorAt(operandAt, "nested instructions as operands are not supported; give '"
                                + operand + "(...)' a name of its own");
                    }
                    ins.operands.add(operand);
                    ins.operandAt.add(operandAt);
                } while (c.tryChar(','));
                c.expect(')');
            }
            b.operands(ins.operands);
        }
        new Attributes(opcode, b, ins).read();
        b.calledComputations(ins.callees);
        comp.instructions.add(ins);
        comp.byName.put(name, ins);
        draft.add(b);
        if (isRoot) {
            rootSeen.add(name);
            comp.root = ins;
            draft.root(name);
        }
    }

    private String opcode() {
        String t = c.text();
        int start = c.pos;
        int p = start;
        while (p < t.length() && ((t.charAt(p) >= 'a' && t.charAt(p) <= 'z') || Cursor.isDigit(t.charAt(p))
                || t.charAt(p) == '-' || t.charAt(p) == '_')) {
            p++;
        }
        if (p == start) {
            throw c.error("expected an opcode but found " + c.describeNext());
        }
        c.pos = p;
        return t.substring(start, p);
    }

    /** The attributes after one instruction's operands, put into the builder at the end. */
    private final class Attributes {
        private final HloOpcode opcode;
        private final HloInstruction.Builder b;
        private final Ins ins;
        private final Set<String> seen = new HashSet<>();
        private final Map<String, List<String>> callees = new HashMap<>();
        private final Map<String, List<Integer>> calleesAt = new HashMap<>();
        private final Map<String, List<Integer>> dimLists = new HashMap<>();
        private final Map<String, Long> ints = new HashMap<>();
        private final Map<String, Boolean> bools = new HashMap<>();
        private String transposeA;

        Attributes(HloOpcode opcode, HloInstruction.Builder b, Ins ins) {
            this.opcode = opcode;
            this.b = b;
            this.ins = ins;
        }

        void read() {
            while (c.peek() == ',') {
                c.pos++;
                c.skipSpace();
                int at = c.pos;
                String attr = attributeName();
                if (!seen.add(attr)) {
                    throw c.errorAt(at, "attribute '" + attr + "' is given twice");
                }
                one(attr, at);
            }
            finish();
        }

        private void one(String attr, int at) {
            switch (attr) {
                case "dimensions":
                    b.dimensions(longList());
                    break;
                case "iota_dimension":
                    b.dimensions(List.of(c.integer("iota_dimension", 0, Integer.MAX_VALUE)));
                    break;
                case "index":
                    b.tupleIndex(c.integer("index", 0, Integer.MAX_VALUE));
                    break;
                case "slice":
                    b.slice(slices());
                    break;
                case "dynamic_slice_sizes":
                    b.dynamicSliceSizes(longList());
                    break;
                case "slice_sizes":
                    b.gatherSliceSizes(longList());
                    break;
                case "padding":
                    b.padding(padding());
                    break;
                case "window":
                    b.window(window());
                    break;
                case "dim_labels":
                    b.convolutionDimensions(dimLabels());
                    break;
                case "feature_group_count":
                    b.featureGroupCount(c.integer(attr, 1, Long.MAX_VALUE));
                    break;
                case "batch_group_count":
                    b.batchGroupCount(c.integer(attr, 1, Long.MAX_VALUE));
                    break;
                case "lhs_contracting_dims": case "rhs_contracting_dims": case "lhs_batch_dims": case "rhs_batch_dims":
                case "offset_dims": case "collapsed_slice_dims": case "start_index_map": case "operand_batching_dims":
                case "start_indices_batching_dims": case "update_window_dims": case "inserted_window_dims":
                case "scatter_dims_to_operand_dims": case "input_batching_dims": case "scatter_indices_batching_dims":
                    dimLists.put(attr, intList());
                    break;
                case "index_vector_dim":
                    ints.put(attr, c.integer(attr, 0, Integer.MAX_VALUE));
                    break;
                case "direction":
                    b.comparisonDirection(oneOf(attr, "EQ", "NE", "GE", "GT", "LE", "LT"));
                    break;
                case "type":
                    b.comparisonType(oneOf(attr, "FLOAT", "TOTALORDER", "SIGNED", "UNSIGNED"));
                    break;
                case "order":
                    // Newer printers say order=TOTAL for what the proto calls comparison type TOTALORDER.
                    if (oneOf(attr, "TOTAL", "PARTIAL").equals("TOTAL") && !seen.contains("type")) {
                        b.comparisonType("TOTALORDER");
                    }
                    break;
                case "is_stable":
                    b.isStable(c.bool(attr));
                    break;
                case "indices_are_sorted":
                    b.indicesAreSorted(c.bool(attr));
                    break;
                case "unique_indices":
                    b.uniqueIndices(c.bool(attr));
                    break;
                case "custom_call_target":
                    b.customCallTarget(c.quoted(attr));
                    break;
                case "backend_config":
                    b.backendConfig(backendConfig());
                    break;
                case "replica_groups":
                    b.replicaGroups(replicaGroups());
                    break;
                case "channel_id":
                    b.channelId(c.integer(attr, 0, Long.MAX_VALUE));
                    break;
                case "use_global_device_ids":
                    b.useGlobalDeviceIds(c.bool(attr));
                    break;
                case "source_target_pairs":
                    b.sourceTargetPairs(sourceTargetPairs());
                    break;
                case "algorithm":
                    if (opcode == HloOpcode.RNG_BIT_GENERATOR) {
                        b.rngAlgorithm(oneOf(attr, "rng_default", "rng_three_fry", "rng_philox"));
                    } else {
                        // dot's algorithm is a precision hint, like operand_precision.
                        c.skipValue();
                    }
                    break;
                case "distribution":
                    b.rngDistribution(oneOf(attr, "rng_uniform", "rng_normal"));
                    break;
                case "exponent_bits":
                    b.exponentBits((int) c.integer(attr, 0, Integer.MAX_VALUE));
                    break;
                case "mantissa_bits":
                    b.mantissaBits((int) c.integer(attr, 0, Integer.MAX_VALUE));
                    break;
                case "kind":
                    b.fusionKind(oneOf(attr, "kLoop", "kInput", "kOutput", "kCustom"));
                    break;
                case "fft_type":
                    b.fftType(oneOf(attr, "FFT", "IFFT", "RFFT", "IRFFT"));
                    break;
                case "fft_length":
                    b.fftLength(longList());
                    break;
                case "left_side": case "lower": case "unit_diagonal":
                    bools.put(attr, c.bool(attr));
                    break;
                case "transpose_a":
                    transposeA = oneOf(attr, "NO_TRANSPOSE", "TRANSPOSE", "ADJOINT");
                    break;
                case "to_apply": case "calls": case "condition": case "body": case "true_computation":
                case "false_computation": case "select": case "scatter":
                    callee(attr);
                    break;
                case "branch_computations": case "called_computations":
                    calleeList(attr);
                    break;
                default:
                    if (!IGNORED.contains(attr)) {
                        throw c.errorAt(at, "unknown attribute '" + Cursor.printable(attr) + "' on " + opcode);
                    }
                    c.skipValue();
            }
        }

        private void callee(String attr) {
            c.skipSpace();
            calleesAt.put(attr, List.of(c.pos));
            callees.put(attr, List.of(c.name("a computation name")));
        }

        private void calleeList(String attr) {
            List<String> names = new ArrayList<>();
            List<Integer> at = new ArrayList<>();
            c.expect('{');
            if (!c.tryChar('}')) {
                do {
                    c.skipSpace();
                    at.add(c.pos);
                    names.add(c.name("a computation name"));
                } while (c.tryChar(','));
                c.expect('}');
            }
            callees.put(attr, names);
            calleesAt.put(attr, at);
        }

        private void finish() {
            List<String> order;
            switch (opcode) {
                case WHILE:
                    order = List.of("body", "condition");
                    require("body");
                    require("condition");
                    break;
                case CONDITIONAL:
                    order = callees.containsKey("branch_computations") ? List.of("branch_computations")
                            : List.of("true_computation", "false_computation");
                    break;
                case SELECT_AND_SCATTER:
                    order = List.of("select", "scatter");
                    break;
                default:
                    order = List.of("to_apply", "calls", "called_computations", "branch_computations",
                            "true_computation", "false_computation", "condition", "body", "select", "scatter");
            }
            for (String key : order) {
                List<String> names = callees.get(key);
                if (names != null) {
                    ins.callees.addAll(names);
                    ins.calleeAt.addAll(calleesAt.get(key));
                }
            }
            if (opcode != HloOpcode.WHILE && opcode != HloOpcode.CONDITIONAL && opcode != HloOpcode.SELECT_AND_SCATTER) {
                for (String stray : List.of("condition", "body", "select", "scatter", "true_computation", "false_computation")) {
                    if (callees.containsKey(stray)) {
                        throw c.errorAt(calleesAt.get(stray).get(0), "attribute '" + stray + "' does not apply to " + opcode);
                    }
                }
            }
            if (dimLists.containsKey("lhs_contracting_dims") || dimLists.containsKey("rhs_contracting_dims")
                    || dimLists.containsKey("lhs_batch_dims") || dimLists.containsKey("rhs_batch_dims")) {
                b.dotDimensions(new DotDimensions(dims("lhs_contracting_dims"), dims("rhs_contracting_dims"),
                        dims("lhs_batch_dims"), dims("rhs_batch_dims")));
            }
            boolean gather = opcode == HloOpcode.GATHER || dimLists.containsKey("offset_dims")
                    || dimLists.containsKey("start_index_map") || dimLists.containsKey("collapsed_slice_dims");
            boolean scatter = opcode == HloOpcode.SCATTER || dimLists.containsKey("update_window_dims")
                    || dimLists.containsKey("scatter_dims_to_operand_dims") || dimLists.containsKey("inserted_window_dims");
            int indexVectorDim = (int) (long) ints.getOrDefault("index_vector_dim", 0L);
            if (gather) {
                b.gatherDimensions(new GatherDimensions(dims("offset_dims"), dims("collapsed_slice_dims"),
                        dims("start_index_map"), indexVectorDim, dims("operand_batching_dims"),
                        dims("start_indices_batching_dims")));
            }
            if (scatter) {
                b.scatterDimensions(new ScatterDimensions(dims("update_window_dims"), dims("inserted_window_dims"),
                        dims("scatter_dims_to_operand_dims"), indexVectorDim, dims("input_batching_dims"),
                        dims("scatter_indices_batching_dims")));
            }
            if (opcode == HloOpcode.TRIANGULAR_SOLVE) {
                b.triangularSolveOptions(new TriangularSolveOptions(bools.getOrDefault("left_side", false),
                        bools.getOrDefault("lower", false), bools.getOrDefault("unit_diagonal", false),
                        transposeA == null ? "NO_TRANSPOSE" : transposeA));
            } else if (opcode == HloOpcode.CHOLESKY && bools.containsKey("lower")) {
                b.choleskyLower(bools.get("lower"));
            }
        }

        private void require(String attr) {
            if (!callees.containsKey(attr)) {
                throw c.errorAt(ins.at, opcode + " '" + ins.name + "' needs the attribute " + attr + "=");
            }
        }

        private List<Integer> dims(String attr) {
            return dimLists.getOrDefault(attr, List.of());
        }

        private String oneOf(String attr, String... allowed) {
            c.skipSpace();
            int at = c.pos;
            String v = c.word(attr);
            for (String a : allowed) {
                if (a.equals(v)) {
                    return v;
                }
            }
            throw c.errorAt(at, attr + " must be one of " + String.join(", ", allowed) + ", not '" + Cursor.printable(v) + "'");
        }

        private String backendConfig() {
            c.skipSpace();
            if (c.peek() == '"') {
                return c.quoted("backend_config");
            }
            if (c.peek() != '{') {
                throw c.error("backend_config is a quoted string or {...}, not " + c.describeNext());
            }
            int start = c.pos;
            c.skipValue();
            return c.text().substring(start, c.pos);
        }
    }

    // ------------------------------------------------------------------------------ attribute values

    private List<Long> longList() {
        List<Long> out = new ArrayList<>();
        c.expect('{');
        if (!c.tryChar('}')) {
            do {
                out.add(c.integer("a list element"));
            } while (c.tryChar(','));
            c.expect('}');
        }
        return out;
    }

    private List<Integer> intList() {
        List<Integer> out = new ArrayList<>();
        c.expect('{');
        if (!c.tryChar('}')) {
            do {
                out.add((int) c.integer("a dimension number", 0, Integer.MAX_VALUE));
            } while (c.tryChar(','));
            c.expect('}');
        }
        return out;
    }

    /** {@code {[0:3:1], [0:4]}}: a stride of 1 may be left out. */
    private List<SliceDimension> slices() {
        List<SliceDimension> out = new ArrayList<>();
        c.expect('{');
        if (!c.tryChar('}')) {
            do {
                c.expect('[');
                long start = c.integer("a slice start");
                c.expect(':');
                long limit = c.integer("a slice limit");
                long stride = c.tryChar(':') ? c.integer("a slice stride") : 1;
                c.expect(']');
                out.add(new SliceDimension(start, limit, stride));
            } while (c.tryChar(','));
            c.expect('}');
        }
        return out;
    }

    /** {@code 0_0x1_1} or {@code 0_0_1x1_1_0}: low_high or low_high_interior per dimension, 'x' between. */
    private List<PaddingDimension> padding() {
        List<PaddingDimension> out = new ArrayList<>();
        c.skipSpace();
        char first = c.peekRaw(0);
        if (!Cursor.isDigit(first) && first != '-') {
            return out;
        }
        do {
            long[] parts = underscored("padding", 2, 3);
            out.add(new PaddingDimension(parts[0], parts[1], parts.length == 3 ? parts[2] : 0));
        } while (c.peekRaw(0) == 'x' && advance());
        return out;
    }

    private boolean advance() {
        c.pos++;
        return true;
    }

    /** Integers joined by '_' with no spaces, e.g. {@code -1_2_0}. */
    private long[] underscored(String what, int min, int max) {
        int at = c.pos;
        List<Long> parts = new ArrayList<>();
        parts.add(rawInteger(what));
        while (c.peekRaw(0) == '_') {
            c.pos++;
            parts.add(rawInteger(what));
        }
        if (parts.size() < min || parts.size() > max) {
            throw c.errorAt(at, what + " needs " + (min == max ? min : min + " or " + max) + " numbers joined by '_' per dimension");
        }
        return parts.stream().mapToLong(Long::longValue).toArray();
    }

    /** An integer that must start right here (these compact syntaxes allow no spaces). */
    private long rawInteger(String what) {
        char ch = c.peekRaw(0);
        if (!Cursor.isDigit(ch) && !(ch == '-' && Cursor.isDigit(c.peekRaw(1)))) {
            throw c.error("expected a number in " + what + " but found " + c.describeNext());
        }
        return c.integer(what);
    }

    /** {@code 2x3x1}: one integer per dimension, 'x' between. */
    private long[] xList(String what) {
        List<Long> out = new ArrayList<>();
        out.add(rawInteger(what));
        while (c.peekRaw(0) == 'x') {
            c.pos++;
            out.add(rawInteger(what));
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** {@code {size=3x3 stride=2x2 pad=0_1x0_1 lhs_dilate=1x1 rhs_dilate=1x1 rhs_reversal=0x0}}. */
    private Window window() {
        int at = c.pos;
        c.expect('{');
        Map<String, long[]> fields = new HashMap<>();
        Map<String, long[][]> pads = new HashMap<>();
        while (!c.tryChar('}')) {
            if (c.atEnd()) {
                throw c.errorAt(at, "the window is not closed with '}'");
            }
            c.skipSpace();
            int fieldAt = c.pos;
            String key = attributeName();
            if (fields.containsKey(key) || pads.containsKey(key)) {
                throw c.errorAt(fieldAt, "window field '" + key + "' is given twice");
            }
            switch (key) {
                case "size": case "stride": case "lhs_dilate": case "rhs_dilate": case "rhs_reversal":
                    fields.put(key, xList(key));
                    break;
                case "pad": {
                    List<long[]> list = new ArrayList<>();
                    do {
                        list.add(underscored("pad", 2, 2));
                    } while (c.peekRaw(0) == 'x' && advance());
                    pads.put(key, list.toArray(new long[0][]));
                    break;
                }
                default:
                    throw c.errorAt(fieldAt, "unknown window field '" + Cursor.printable(key) + "'");
            }
        }
        if (fields.isEmpty() && pads.isEmpty()) {
            return new Window(List.of());
        }
        long[] size = fields.get("size");
        if (size == null) {
            throw c.errorAt(at, "the window needs size=");
        }
        int n = size.length;
        for (Map.Entry<String, long[]> e : fields.entrySet()) {
            if (e.getValue().length != n) {
                throw c.errorAt(at, "window " + e.getKey() + " has " + e.getValue().length + " dimensions but size has " + n);
            }
        }
        long[][] pad = pads.get("pad");
        if (pad != null && pad.length != n) {
            throw c.errorAt(at, "window pad has " + pad.length + " dimensions but size has " + n);
        }
        List<WindowDimension> dims = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            dims.add(new WindowDimension(size[i], get(fields, "stride", i, 1), pad == null ? 0 : pad[i][0],
                    pad == null ? 0 : pad[i][1], get(fields, "rhs_dilate", i, 1), get(fields, "lhs_dilate", i, 1),
                    get(fields, "rhs_reversal", i, 0) != 0));
        }
        return new Window(dims);
    }

    private static long get(Map<String, long[]> fields, String key, int i, long dflt) {
        long[] v = fields.get(key);
        return v == null ? dflt : v[i];
    }

    /** {@code b01f_01io->b01f}: the position of each letter or digit is the dimension it labels. */
    private ConvolutionDimensions dimLabels() {
        c.skipSpace();
        int at = c.pos;
        String t = c.text();
        int p = at;
        while (p < t.length() && (Cursor.isNameChar(t.charAt(p)) || t.charAt(p) == '>' || t.charAt(p) == '?')) {
            p++;
        }
        String labels = t.substring(at, p);
        int arrow = labels.indexOf("->");
        int underscore = labels.indexOf('_');
        if (underscore < 0 || arrow < underscore) {
            throw c.errorAt(at, "dim_labels is written like b01f_01io->b01f, not '" + Cursor.printable(labels) + "'");
        }
        String in = labels.substring(0, underscore);
        String kernel = labels.substring(underscore + 1, arrow);
        String out = labels.substring(arrow + 2);
        c.pos = p;
        int spatial = in.length() - 2;
        int[] inputDims = labelPositions(in, 'b', 'f', spatial, at, "input");
        int[] kernelDims = labelPositions(kernel, 'i', 'o', spatial, at, "kernel");
        int[] outputDims = labelPositions(out, 'b', 'f', spatial, at, "output");
        return new ConvolutionDimensions(inputDims[0], inputDims[1], tail(inputDims), kernelDims[0], kernelDims[1],
                tail(kernelDims), outputDims[0], outputDims[1], tail(outputDims));
    }

    private static List<Integer> tail(int[] a) {
        List<Integer> out = new ArrayList<>();
        for (int i = 2; i < a.length; i++) {
            out.add(a[i]);
        }
        return out;
    }

    /** Positions of the two letters then of spatial digits 0..spatial-1; every label exactly once. */
    private int[] labelPositions(String s, char first, char second, int spatial, int at, String what) {
        if (spatial < 0 || s.length() != spatial + 2 || spatial > 10) {
            throw c.errorAt(at, "the " + what + " labels '" + Cursor.printable(s) + "' must name " + first + ", " + second
                    + " and the same spatial dimensions as the input (at most 10)");
        }
        int[] pos = new int[spatial + 2];
        java.util.Arrays.fill(pos, -1);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            int slot = ch == first ? 0 : ch == second ? 1 : Cursor.isDigit(ch) && ch - '0' < spatial ? 2 + ch - '0' : -1;
            if (slot < 0 || pos[slot] >= 0) {
                throw c.errorAt(at, "the " + what + " labels '" + Cursor.printable(s) + "' must name " + first + ", " + second
                        + " and spatial dimensions 0.." + (spatial - 1) + " once each");
            }
            pos[slot] = i;
        }
        return pos;
    }

    /**
     * {@code {{0,1},{2,3}}}, the iota form {@code [G,S]<=[dims]T(perm)}, or the mesh form
     * {@code mesh['x'=2,'y'=2] {'x'}}.
     */
    private List<List<Long>> replicaGroups() {
        char first = c.peek();
        if (first == '{') {
            return groupList("replica_groups");
        }
        if (first == '[') {
            return iotaGroups();
        }
        if (c.tryWord("mesh")) {
            return meshGroups();
        }
        throw c.error("replica_groups is {{...},...}, [G,S]<=[dims] or mesh[...] {...}, not " + c.describeNext());
    }

    private List<List<Long>> groupList(String what) {
        List<List<Long>> out = new ArrayList<>();
        c.expect('{');
        if (!c.tryChar('}')) {
            do {
                out.add(longList());
            } while (c.tryChar(','));
            c.expect('}');
        }
        return out;
    }

    private List<List<Long>> iotaGroups() {
        int at = c.pos;
        long[] shape = bracketList("the replica group shape");
        if (shape.length != 2) {
            throw c.errorAt(at, "the iota replica-group form starts with [groups,group_size]");
        }
        if (!c.tryLiteral("<=")) {
            throw c.error("expected '<=' in the iota replica-group form but found " + c.describeNext());
        }
        long[] reshape = bracketList("the iota dimensions");
        long total = 1;
        for (long d : reshape) {
            if (d < 1 || d > MAX_DEVICES || (total *= d) > MAX_DEVICES) {
                throw c.errorAt(at, "the iota dimensions must be positive and name at most " + MAX_DEVICES + " devices");
            }
        }
        int[] perm = new int[reshape.length];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        if (c.peekRaw(0) == 'T') {
            c.expect('T');
            c.expect('(');
            List<Long> p = new ArrayList<>();
            if (!c.tryChar(')')) {
                do {
                    p.add(c.integer("a transpose dimension", 0, reshape.length - 1));
                } while (c.tryChar(','));
                c.expect(')');
            }
            boolean[] used = new boolean[reshape.length];
            if (p.size() != reshape.length) {
                throw c.errorAt(at, "T(...) must permute all " + reshape.length + " iota dimensions");
            }
            for (int i = 0; i < perm.length; i++) {
                int d = (int) (long) p.get(i);
                if (used[d]) {
                    throw c.errorAt(at, "T(...) must be a permutation of the iota dimensions");
                }
                used[d] = true;
                perm[i] = d;
            }
        }
        if (shape[0] < 0 || shape[1] < 0 || shape[0] > MAX_DEVICES || shape[1] > MAX_DEVICES || shape[0] * shape[1] != total) {
            throw c.errorAt(at, "[" + shape[0] + "," + shape[1] + "] groups do not hold the " + total + " devices of the iota");
        }
        spendDevices(total, at);
        // Device id at transposed position: walk the transposed index space in row-major order and
        // map each index back to the original row-major iota.
        long[] strides = new long[reshape.length];
        long s = 1;
        for (int i = reshape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= reshape[i];
        }
        long[] tDims = new long[perm.length];
        for (int i = 0; i < perm.length; i++) {
            tDims[i] = reshape[perm[i]];
        }
        long[] idx = new long[perm.length];
        List<Long> flat = new ArrayList<>();
        for (long n = 0; n < total; n++) {
            long id = 0;
            for (int i = 0; i < perm.length; i++) {
                id += idx[i] * strides[perm[i]];
            }
            flat.add(id);
            for (int i = perm.length - 1; i >= 0; i--) {
                if (++idx[i] < tDims[i]) {
                    break;
                }
                idx[i] = 0;
            }
        }
        List<List<Long>> out = new ArrayList<>();
        for (int g = 0; g < shape[0]; g++) {
            out.add(List.copyOf(flat.subList((int) (g * shape[1]), (int) ((g + 1) * shape[1]))));
        }
        return out;
    }

    private void spendDevices(long n, int at) {
        expandedDevices += n;
        if (expandedDevices > MAX_EXPANDED_DEVICES) {
            throw c.errorAt(at, "the module's iota and mesh replica groups expand to more than " + MAX_EXPANDED_DEVICES
                    + " device ids in all");
        }
    }

    private long[] bracketList(String what) {
        c.expect('[');
        List<Long> out = new ArrayList<>();
        if (!c.tryChar(']')) {
            do {
                out.add(c.integer(what));
            } while (c.tryChar(','));
            c.expect(']');
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * {@code mesh['x'=2,'y'=2] {'x'}}: devices numbered row-major over the mesh axes; each group holds
     * the devices that differ only along the listed axes (in the listed order), one group per position
     * on the other axes. Sub-axes and explicit device orders are refused.
     */
    private List<List<Long>> meshGroups() {
        int at = c.pos;
        c.expect('[');
        List<String> axes = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        long total = 1;
        if (!c.tryChar(']')) {
            do {
                String axis = quotedAxis();
                if (axes.contains(axis)) {
                    throw c.errorAt(at, "mesh axis '" + Cursor.printable(axis) + "' is named twice");
                }
                c.expect('=');
                long size = c.integer("a mesh axis size", 1, MAX_DEVICES);
                total *= size;
                if (total > MAX_DEVICES) {
                    throw c.errorAt(at, "the mesh has more than " + MAX_DEVICES + " devices");
                }
                axes.add(axis);
                sizes.add(size);
            } while (c.tryChar(','));
            c.expect(']');
        }
        c.expect('{');
        List<Integer> grouped = new ArrayList<>();
        if (!c.tryChar('}')) {
            do {
                int axisAt = c.pos;
                String axis = quotedAxis();
                int k = axes.indexOf(axis);
                if (k < 0 || grouped.contains(k)) {
                    throw c.errorAt(axisAt, "'" + Cursor.printable(axis) + "' is not a mesh axis, or is listed twice"
                            + " (sub-axes are not supported)");
                }
                grouped.add(k);
            } while (c.tryChar(','));
            c.expect('}');
        }
        spendDevices(total, at);
        List<Integer> others = new ArrayList<>();
        for (int i = 0; i < axes.size(); i++) {
            if (!grouped.contains(i)) {
                others.add(i);
            }
        }
        long[] strides = new long[axes.size()];
        long s = 1;
        for (int i = axes.size() - 1; i >= 0; i--) {
            strides[i] = s;
            s *= sizes.get(i);
        }
        List<List<Long>> out = new ArrayList<>();
        for (long[] outer : odometer(others, sizes)) {
            long base = 0;
            for (int i = 0; i < others.size(); i++) {
                base += outer[i] * strides[others.get(i)];
            }
            List<Long> group = new ArrayList<>();
            for (long[] inner : odometer(grouped, sizes)) {
                long id = base;
                for (int i = 0; i < grouped.size(); i++) {
                    id += inner[i] * strides[grouped.get(i)];
                }
                group.add(id);
            }
            out.add(group);
        }
        return out;
    }

    /** Every index over the given axes, row-major in the order given. */
    private static List<long[]> odometer(List<Integer> axes, List<Long> sizes) {
        List<long[]> out = new ArrayList<>();
        long[] idx = new long[axes.size()];
        while (true) {
            out.add(idx.clone());
            int i = axes.size() - 1;
            while (i >= 0 && ++idx[i] == sizes.get(axes.get(i))) {
                idx[i] = 0;
                i--;
            }
            if (i < 0) {
                return out;
            }
        }
    }

    private String quotedAxis() {
        c.skipSpace();
        if (c.peekRaw(0) != '\'') {
            throw c.error("expected a mesh axis name in single quotes but found " + c.describeNext());
        }
        int end = c.text().indexOf('\'', c.pos + 1);
        if (end < 0) {
            throw c.error("the mesh axis name is not closed");
        }
        String name = c.text().substring(c.pos + 1, end);
        c.pos = end + 1;
        return name;
    }

    private List<SourceTargetPair> sourceTargetPairs() {
        List<SourceTargetPair> out = new ArrayList<>();
        int at = c.pos;
        for (List<Long> pair : groupList("source_target_pairs")) {
            if (pair.size() != 2) {
                throw c.errorAt(at, "each source_target_pairs entry is {source,target}");
            }
            out.add(new SourceTargetPair(pair.get(0), pair.get(1)));
        }
        return out;
    }

    // ----------------------------------------------------------------------------------- graph checks

    private void checkGraph() {
        for (Comp comp : comps.values()) {
            List<Ins> params = new ArrayList<>();
            for (Ins ins : comp.instructions) {
                for (int i = 0; i < ins.operands.size(); i++) {
                    if (!comp.byName.containsKey(ins.operands.get(i))) {
                        throw c.errorAt(ins.operandAt.get(i), "operand '" + ins.operands.get(i) + "' of '" + ins.name
                                + "' is not defined in computation '" + comp.name + "'");
                    }
                }
                for (int i = 0; i < ins.callees.size(); i++) {
                    if (!comps.containsKey(ins.callees.get(i))) {
                        throw c.errorAt(ins.calleeAt.get(i), "computation '" + ins.callees.get(i) + "' called by '"
                                + ins.name + "' is not defined");
                    }
                }
                if (ins.parameterNumber >= 0) {
                    params.add(ins);
                }
            }
            params.sort((x, y) -> Long.compare(x.parameterNumber, y.parameterNumber));
            for (int i = 0; i < params.size(); i++) {
                if (params.get(i).parameterNumber != i) {
                    Ins p = params.get(i);
                    throw c.errorAt(p.at, "computation '" + comp.name + "' must number its " + params.size()
                            + " parameters 0.." + (params.size() - 1) + " once each; '" + p.name + "' is parameter("
                            + p.parameterNumber + ")");
                }
            }
            checkAcyclic(comp);
        }
        checkNoRecursion();
    }

    /** Kahn's algorithm; whatever is left over lies on or behind a cycle. */
    private void checkAcyclic(Comp comp) {
        Map<String, Integer> pending = new HashMap<>();
        Map<String, List<Ins>> users = new HashMap<>();
        ArrayDeque<Ins> ready = new ArrayDeque<>();
        for (Ins ins : comp.instructions) {
            pending.put(ins.name, ins.operands.size());
            for (String o : ins.operands) {
                users.computeIfAbsent(o, k -> new ArrayList<>()).add(ins);
            }
            if (ins.operands.isEmpty()) {
                ready.add(ins);
            }
        }
        int done = 0;
        while (!ready.isEmpty()) {
            Ins ins = ready.poll();
            done++;
            for (Ins user : users.getOrDefault(ins.name, List.of())) {
                if (pending.merge(user.name, -1, Integer::sum) == 0) {
                    ready.add(user);
                }
            }
        }
        if (done != comp.instructions.size()) {
            for (Ins ins : comp.instructions) {
                if (pending.get(ins.name) > 0) {
                    throw c.errorAt(ins.at, "instruction '" + ins.name + "' of computation '" + comp.name
                            + "' is on or behind a cycle: following its operands leads back to an instruction already visited");
                }
            }
        }
    }

    private void checkNoRecursion() {
        Map<String, Integer> pending = new HashMap<>();
        Map<String, List<String>> callers = new HashMap<>();
        ArrayDeque<String> ready = new ArrayDeque<>();
        for (Comp comp : comps.values()) {
            int n = 0;
            for (Ins ins : comp.instructions) {
                for (String callee : ins.callees) {
                    callers.computeIfAbsent(callee, k -> new ArrayList<>()).add(comp.name);
                    n++;
                }
            }
            pending.put(comp.name, n);
            if (n == 0) {
                ready.add(comp.name);
            }
        }
        int done = 0;
        while (!ready.isEmpty()) {
            String name = ready.poll();
            done++;
            for (String caller : callers.getOrDefault(name, List.of())) {
                if (pending.merge(caller, -1, Integer::sum) == 0) {
                    ready.add(caller);
                }
            }
        }
        if (done != comps.size()) {
            for (Comp comp : comps.values()) {
                if (pending.get(comp.name) > 0) {
                    throw c.errorAt(comp.at, "computation '" + comp.name
                            + "' calls itself, directly or through others; HLO has no recursion");
                }
            }
        }
    }
}
