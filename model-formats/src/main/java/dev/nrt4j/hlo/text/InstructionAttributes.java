package dev.nrt4j.hlo.text;

import dev.nrt4j.hlo.DotDimensions;
import dev.nrt4j.hlo.GatherDimensions;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.ScatterDimensions;
import dev.nrt4j.hlo.TriangularSolveOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The attributes after an instruction's operands ({@code , name=value ...}): which names exist, the
 * syntax of each value, and how they map onto {@link HloInstruction.Builder}. Values of their own
 * family are read by {@link WindowSyntax}, {@link DimLabels} and {@link CollectiveSyntax}. Not
 * thread-safe; one per text.
 */
final class InstructionAttributes {
    /**
     * Attributes that carry nothing the IR keeps (debug info, sharding, scheduling, precision hints)
     * or that it has no field for yet ({@code k} and {@code largest} of topk); their values are skipped.
     */
    private static final Set<String> IGNORED = Set.of(
            "metadata",
            "sharding",
            "frontend_attributes",
            "statistics",
            "parameter_replication",
            "control-predecessors",
            "origin",
            "original_value",
            "result_accuracy",
            "operand_precision",
            "precision_config",
            "inferred_dimension",
            "constrain_layout",
            "api_version",
            "schedule",
            "output_to_operand_aliasing",
            "operand_layout_constraints",
            "is_composite",
            "custom_call_has_side_effect",
            "is_host_transfer",
            "async_execution_thread",
            "padding_type",
            "literal",
            "k",
            "largest",
            "composite.name",
            "composite.attributes",
            "composite.version",
            "is_cross_program_prefetch",
            "cross_program_prefetch_index",
            "sparsity",
            "delta",
            "infeed_config",
            "outfeed_config",
            "outfeed_shape",
            "epsilon",
            "feature_index",
            "slice_sizes_unused",
            "channel_type");

    private final Cursor c;
    private final WindowSyntax windows;
    private final DimLabels labels;
    private final CollectiveSyntax collectives;

    /** One instruction's names and where they were written, as its attributes are read. */
    static final class Ins {
        final String name;
        final int at;
        final List<String> operands = new ArrayList<>();
        final List<Integer> operandAt = new ArrayList<>();
        final List<String> callees = new ArrayList<>();
        final List<Integer> calleeAt = new ArrayList<>();

        Ins(String name, int at) {
            this.name = name;
            this.at = at;
        }
    }

    InstructionAttributes(Cursor c) {
        this.c = c;
        this.windows = new WindowSyntax(c);
        this.labels = new DimLabels(c);
        this.collectives = new CollectiveSyntax(c);
    }

    /** Reads one instruction's attributes into {@code b}; its called computations go to {@code ins}. */
    void read(HloOpcode opcode, HloInstruction.Builder b, Ins ins) {
        new Attributes(opcode, b, ins).read();
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
                String attr = c.attributeName();
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
                    b.dimensions(c.longList());
                    break;
                case "iota_dimension":
                    b.dimensions(List.of(c.integer("iota_dimension", 0, Integer.MAX_VALUE)));
                    break;
                case "index":
                    b.tupleIndex(c.integer("index", 0, Integer.MAX_VALUE));
                    break;
                case "slice":
                    b.slice(windows.slices());
                    break;
                case "dynamic_slice_sizes":
                    b.dynamicSliceSizes(c.longList());
                    break;
                case "slice_sizes":
                    b.gatherSliceSizes(c.longList());
                    break;
                case "padding":
                    b.padding(windows.padding());
                    break;
                case "window":
                    b.window(windows.window());
                    break;
                case "dim_labels":
                    b.convolutionDimensions(labels.read());
                    break;
                case "feature_group_count":
                    b.featureGroupCount(c.integer(attr, 1, Long.MAX_VALUE));
                    break;
                case "batch_group_count":
                    b.batchGroupCount(c.integer(attr, 1, Long.MAX_VALUE));
                    break;
                case "lhs_contracting_dims":
                case "rhs_contracting_dims":
                case "lhs_batch_dims":
                case "rhs_batch_dims":
                case "offset_dims":
                case "collapsed_slice_dims":
                case "start_index_map":
                case "operand_batching_dims":
                case "start_indices_batching_dims":
                case "update_window_dims":
                case "inserted_window_dims":
                case "scatter_dims_to_operand_dims":
                case "input_batching_dims":
                case "scatter_indices_batching_dims":
                    dimLists.put(attr, c.intList());
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
                    b.replicaGroups(collectives.replicaGroups());
                    break;
                case "channel_id":
                    b.channelId(c.integer(attr, 0, Long.MAX_VALUE));
                    break;
                case "use_global_device_ids":
                    b.useGlobalDeviceIds(c.bool(attr));
                    break;
                case "source_target_pairs":
                    b.sourceTargetPairs(collectives.sourceTargetPairs());
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
                    b.fftLength(c.longList());
                    break;
                case "left_side":
                case "lower":
                case "unit_diagonal":
                    bools.put(attr, c.bool(attr));
                    break;
                case "transpose_a":
                    transposeA = oneOf(attr, "NO_TRANSPOSE", "TRANSPOSE", "ADJOINT");
                    break;
                case "to_apply":
                case "calls":
                case "condition":
                case "body":
                case "true_computation":
                case "false_computation":
                case "select":
                case "scatter":
                    callee(attr);
                    break;
                case "branch_computations":
                case "called_computations":
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
                    order = callees.containsKey("branch_computations")
                            ? List.of("branch_computations")
                            : List.of("true_computation", "false_computation");
                    break;
                case SELECT_AND_SCATTER:
                    order = List.of("select", "scatter");
                    break;
                default:
                    order = List.of(
                            "to_apply",
                            "calls",
                            "called_computations",
                            "branch_computations",
                            "true_computation",
                            "false_computation",
                            "condition",
                            "body",
                            "select",
                            "scatter");
            }
            for (String key : order) {
                List<String> names = callees.get(key);
                if (names != null) {
                    ins.callees.addAll(names);
                    ins.calleeAt.addAll(calleesAt.get(key));
                }
            }
            if (opcode != HloOpcode.WHILE
                    && opcode != HloOpcode.CONDITIONAL
                    && opcode != HloOpcode.SELECT_AND_SCATTER) {
                for (String stray :
                        List.of("condition", "body", "select", "scatter", "true_computation", "false_computation")) {
                    if (callees.containsKey(stray)) {
                        throw c.errorAt(
                                calleesAt.get(stray).get(0), "attribute '" + stray + "' does not apply to " + opcode);
                    }
                }
            }
            if (dimLists.containsKey("lhs_contracting_dims")
                    || dimLists.containsKey("rhs_contracting_dims")
                    || dimLists.containsKey("lhs_batch_dims")
                    || dimLists.containsKey("rhs_batch_dims")) {
                b.dotDimensions(new DotDimensions(
                        dims("lhs_contracting_dims"),
                        dims("rhs_contracting_dims"),
                        dims("lhs_batch_dims"),
                        dims("rhs_batch_dims")));
            }
            boolean gather = opcode == HloOpcode.GATHER
                    || dimLists.containsKey("offset_dims")
                    || dimLists.containsKey("start_index_map")
                    || dimLists.containsKey("collapsed_slice_dims");
            boolean scatter = opcode == HloOpcode.SCATTER
                    || dimLists.containsKey("update_window_dims")
                    || dimLists.containsKey("scatter_dims_to_operand_dims")
                    || dimLists.containsKey("inserted_window_dims");
            int indexVectorDim = (int) (long) ints.getOrDefault("index_vector_dim", 0L);
            if (gather) {
                b.gatherDimensions(new GatherDimensions(
                        dims("offset_dims"),
                        dims("collapsed_slice_dims"),
                        dims("start_index_map"),
                        indexVectorDim,
                        dims("operand_batching_dims"),
                        dims("start_indices_batching_dims")));
            }
            if (scatter) {
                b.scatterDimensions(new ScatterDimensions(
                        dims("update_window_dims"),
                        dims("inserted_window_dims"),
                        dims("scatter_dims_to_operand_dims"),
                        indexVectorDim,
                        dims("input_batching_dims"),
                        dims("scatter_indices_batching_dims")));
            }
            if (opcode == HloOpcode.TRIANGULAR_SOLVE) {
                b.triangularSolveOptions(new TriangularSolveOptions(
                        bools.getOrDefault("left_side", false),
                        bools.getOrDefault("lower", false),
                        bools.getOrDefault("unit_diagonal", false),
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
            throw c.errorAt(
                    at, attr + " must be one of " + String.join(", ", allowed) + ", not '" + Cursor.printable(v) + "'");
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
}
