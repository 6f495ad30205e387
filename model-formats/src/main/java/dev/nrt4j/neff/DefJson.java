package dev.nrt4j.neff;

import dev.nrt4j.DType;
import dev.nrt4j.ModelSignature;
import dev.nrt4j.Shape;
import dev.nrt4j.TensorInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Builds a model's signature from the JSON members of a NEFF.
 *
 * <p>What is documented ([C] in the research notes): each subgraph's {@code sgNN/def.json} has a
 * {@code var} object whose keys are variable names; each variable has {@code type}, a unique
 * {@code var_id} and {@code size} in bytes; the runtime reports the variables of type {@code input}
 * and {@code output} under those names, with that byte size.
 *
 * <p>What is inferred ([RE]/[I]): def.json does not carry element types or shapes. They are taken
 * from {@code neff.json} (legacy name {@code kelp.json}), a TVM graph whose {@code "op":"null"} nodes
 * are the I/O tensors and whose {@code attrs.shape} / {@code attrs.dltype} lists, indexed through
 * {@code node_row_ptr}, give each one's shape and type. A variable that neff.json does not describe is
 * reported as {@code UINT8} with shape {@code [size]}, which is exact about bytes and claims nothing
 * else. The order within inputs and within outputs is ascending {@code var_id} (inferred; the runtime's
 * order is not documented). With several subgraphs the signature is their union; a name declared in
 * two subgraphs must agree on kind and size. The runtime requires at least one output, and so does
 * this reader.
 *
 * <p>Failures are {@code NeuronException(INVALID)} naming the member and the variable. Stateless.
 */
final class DefJson {
    private static final Pattern DEF_JSON = Pattern.compile("sg[0-9]+/def\\.json");

    private DefJson() {}

    private record Var(String name, boolean input, long id, long size, String member) {}

    private record Described(DType dtype, Shape shape) {}

    static ModelSignature signature(
            Map<String, byte[]> kept, List<TarEntry> entries, NeffLimits limits, String source) {
        // Sorted so that sg00 comes before sg01 whatever order the archive has.
        Map<String, TarEntry> defs = new TreeMap<>();
        TarEntry graph = null;
        for (TarEntry e : entries) {
            if (DEF_JSON.matcher(e.name()).matches()) {
                defs.put(e.name(), e);
            } else if (e.name().equals("neff.json")
                    || (graph == null && e.name().equals("kelp.json"))) {
                graph = e;
            }
        }
        if (defs.isEmpty()) {
            throw NeffFailure.invalid(
                    source,
                    "the payload has no sgNN/def.json member, so it declares no"
                            + " inputs or outputs; it is not a NEFF or it is damaged");
        }
        Map<String, Var> byName = new LinkedHashMap<>();
        for (TarEntry def : defs.values()) {
            for (Var v : vars(json(def, kept, limits, source), def.name(), source)) {
                Var seen = byName.putIfAbsent(v.name, v);
                if (seen != null && (seen.input != v.input || seen.size != v.size)) {
                    throw NeffFailure.invalid(
                            source,
                            "variable " + NeffFailure.quote(v.name) + " is declared as "
                                    + kind(seen) + " of " + seen.size + " bytes in " + seen.member + " but as "
                                    + kind(v)
                                    + " of " + v.size + " bytes in " + v.member);
                }
            }
        }
        Map<String, Described> described =
                graph == null ? Map.of() : describe(json(graph, kept, limits, source), graph.name(), source);
        List<TensorInfo> inputs = new ArrayList<>();
        List<TensorInfo> outputs = new ArrayList<>();
        List<Var> ordered = new ArrayList<>(byName.values());
        ordered.sort(Comparator.comparingLong(Var::id).thenComparing(Var::name));
        for (Var v : ordered) {
            TensorInfo t = tensor(v, described.get(v.name), graph, source);
            (v.input ? inputs : outputs).add(t);
        }
        if (outputs.isEmpty()) {
            throw NeffFailure.invalid(
                    source,
                    String.join(", ", defs.keySet())
                            + " declare no variable of type output; the runtime cannot load such a NEFF");
        }
        return new ModelSignature(inputs, outputs);
    }

    private static String kind(Var v) {
        return v.input ? "an input" : "an output";
    }

    private static JsonNode json(TarEntry e, Map<String, byte[]> kept, NeffLimits limits, String source) {
        byte[] data = kept.get(e.name());
        if (data == null) {
            throw NeffFailure.invalid(
                    source,
                    e.name() + " is " + e.size() + " bytes, which is more than this reader"
                            + " keeps in memory (maxKeptEntryBytes " + limits.maxKeptEntryBytes()
                            + ", maxKeptTotalBytes "
                            + limits.maxKeptTotalBytes() + ")");
        }
        return JsonMembers.parse(data, limits, source, e.name());
    }

    private static List<Var> vars(JsonNode root, String member, String source) {
        if (!root.isObject()) {
            throw NeffFailure.invalid(source, member + " is not a JSON object");
        }
        JsonNode varObject = root.get("var");
        if (varObject == null || !varObject.isObject()) {
            throw NeffFailure.invalid(source, member + " has no \"var\" object declaring its variables");
        }
        List<Var> out = new ArrayList<>();
        Set<Long> ids = new HashSet<>();
        // Jackson keeps object members in document order, so the second of two clashing vars is blamed.
        for (Map.Entry<String, JsonNode> e : varObject.properties()) {
            String name = e.getKey();
            String where = "variable " + NeffFailure.quote(name) + " in " + member;
            JsonNode v = e.getValue();
            if (!v.isObject()) {
                throw NeffFailure.invalid(source, where + " is not a JSON object");
            }
            JsonNode typeNode = v.get("type");
            if (typeNode == null || !typeNode.isString()) {
                throw NeffFailure.invalid(source, where + " has no string \"type\"");
            }
            long id = nonNegative(v.get("var_id"), where, "var_id", source);
            if (!ids.add(id)) {
                throw NeffFailure.invalid(source, where + " repeats var_id " + id + "; var_id must be unique");
            }
            String type = typeNode.stringValue();
            if (type.equals("input") || type.equals("output")) {
                if (name.isEmpty()
                        || name.getBytes(StandardCharsets.UTF_8).length > 255
                        || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    // nrt_tensor_info_t holds a NUL-terminated name of at most 255 bytes.
                    throw NeffFailure.invalid(
                            source,
                            where + " has a name the runtime cannot report"
                                    + " (empty, longer than 255 bytes, or with control characters)");
                }
                long size = nonNegative(v.get("size"), where, "size", source);
                out.add(new Var(name, type.equals("input"), id, size, member));
            }
        }
        return out;
    }

    private static long nonNegative(JsonNode value, String where, String key, String source) {
        // isIntegralNumber first: a decimal such as 1e999999999 is never converted, which would be slow.
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw NeffFailure.invalid(
                    source,
                    where + " has "
                            + (value == null
                                    ? "no \"" + key + "\""
                                    : "\"" + key + "\" "
                                            + NeffFailure.quote(
                                                    value.isString() ? value.stringValue() : value.toString()))
                            + "; it must be a non-negative integer below 2^63");
        }
        return value.longValue();
    }

    /**
     * Shapes and types of the graph's input nodes by name. The graph layout is reverse-engineered, so a
     * neff.json that does not have it describes nothing; a value it does give must make sense.
     */
    private static Map<String, Described> describe(JsonNode graph, String member, String source) {
        if (!graph.isObject()) {
            throw NeffFailure.invalid(source, member + " is not a JSON object");
        }
        JsonNode nodes = graph.get("nodes");
        JsonNode attrs = graph.get("attrs");
        if (nodes == null || !nodes.isArray() || attrs == null || !attrs.isObject()) {
            return Map.of();
        }
        JsonNode shapes = tagged(attrs.get("shape"), "list_shape");
        JsonNode dtypes = tagged(attrs.get("dltype"), "list_str");
        if (shapes == null || dtypes == null) {
            return Map.of();
        }
        JsonNode rowPtr = graph.get("node_row_ptr");
        if (rowPtr != null && !rowPtr.isArray()) {
            rowPtr = null;
        }
        Map<String, Described> out = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode node = nodes.get(i);
            if (!node.isObject()) {
                continue;
            }
            JsonNode op = node.get("op");
            JsonNode nameNode = node.get("name");
            if (op == null
                    || !op.isString()
                    || !op.stringValue().equals("null")
                    || nameNode == null
                    || !nameNode.isString()) {
                continue;
            }
            String name = nameNode.stringValue();
            long entry = i;
            if (rowPtr != null) {
                JsonNode p = i < rowPtr.size() ? rowPtr.get(i) : null;
                if (p == null || !p.isIntegralNumber() || !p.canConvertToLong()) {
                    continue;
                }
                entry = p.longValue();
            }
            if (entry < 0 || entry >= shapes.size() || entry >= dtypes.size()) {
                continue;
            }
            String where = "node " + NeffFailure.quote(name) + " in " + member;
            out.put(
                    name,
                    new Described(
                            dtype(dtypes.get((int) entry), where, source),
                            shape(shapes.get((int) entry), where, source)));
        }
        return out;
    }

    /** TVM writes typed lists as {@code ["list_shape", [...]]}; the values are the last element. */
    private static JsonNode tagged(JsonNode o, String tag) {
        if (o != null
                && o.isArray()
                && o.size() == 2
                && o.get(0).isString()
                && tag.equals(o.get(0).stringValue())
                && o.get(1).isArray()) {
            return o.get(1);
        }
        return null;
    }

    private static Shape shape(JsonNode l, String where, String source) {
        if (!l.isArray()) {
            throw NeffFailure.invalid(source, where + " has a shape that is not a list of dimensions");
        }
        long[] dims = new long[l.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = nonNegative(l.get(i), where, "dimension " + i, source);
        }
        try {
            return Shape.of(dims);
        } catch (IllegalArgumentException e) {
            throw NeffFailure.invalid(source, where + " has an impossible shape: " + e.getMessage(), e);
        }
    }

    private static DType dtype(JsonNode o, String where, String source) {
        if (!o.isString()) {
            throw NeffFailure.invalid(source, where + " has a dltype that is not a string");
        }
        String s = o.stringValue().toLowerCase(Locale.ROOT);
        switch (s) {
            case "float32":
                return DType.FLOAT32;
            case "float16":
                return DType.FLOAT16;
            case "bfloat16":
                return DType.BFLOAT16;
            case "float64":
                return DType.FLOAT64;
            case "int8":
                return DType.INT8;
            case "uint8":
                return DType.UINT8;
            case "int16":
                return DType.INT16;
            case "uint16":
                return DType.UINT16;
            case "int32":
                return DType.INT32;
            case "uint32":
                return DType.UINT32;
            case "int64":
                return DType.INT64;
            case "uint64":
                return DType.UINT64;
            case "bool":
                return DType.PRED;
            case "float8_e4m3fn":
            case "float8_e4m3":
                return DType.FP8_E4M3;
            case "float8_e5m2":
                return DType.FP8_E5M2;
            case "float8_e3m4":
                return DType.FP8_E3M4;
            default:
                try {
                    return DType.fromHloName(s);
                } catch (IllegalArgumentException e) {
                    throw NeffFailure.invalid(
                            source,
                            where + " has dltype " + NeffFailure.quote(o.stringValue())
                                    + ", which is not an element type nrt4j knows");
                }
        }
    }

    private static TensorInfo tensor(Var v, Described d, TarEntry graph, String source) {
        if (d == null) {
            return new TensorInfo(v.name, DType.UINT8, Shape.of(v.size), v.size);
        }
        long needed;
        try {
            needed = d.shape.byteSize(d.dtype);
        } catch (IllegalArgumentException e) {
            needed = -1;
        }
        if (needed < 0 || needed > v.size) {
            throw NeffFailure.invalid(
                    source,
                    kind(v) + " " + NeffFailure.quote(v.name) + " is " + v.size
                            + " bytes in " + v.member + " but " + graph.name() + " gives it " + d.dtype.hloName()
                            + d.shape
                            + ", which needs more");
        }
        return new TensorInfo(v.name, d.dtype, d.shape, v.size);
    }
}
