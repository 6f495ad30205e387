package dev.nrt4j.server;

import dev.nrt4j.DType;
import dev.nrt4j.HostTensor;
import dev.nrt4j.ModelSignature;
import dev.nrt4j.Shape;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * An inference request as the protocol writes it: {@code id}, {@code parameters}, {@code inputs} (each
 * with {@code name}, {@code shape}, {@code datatype}, and {@code data} or, with the binary tensor data
 * extension, a {@code binary_data_size} parameter naming its bytes after the JSON), and {@code outputs}
 * choosing which outputs come back and whether as binary data. Immutable once parsed.
 *
 * @param id the request's id, echoed in the response; null when it had none
 * @param inputs the input tensors by name
 * @param outputs the outputs asked for, in order; empty for all of them
 * @param binaryByDefault whether outputs not asked for by name come back as binary data
 *     ({@code binary_data_output} in the request's parameters)
 */
record InferRequest(String id, Map<String, HostTensor> inputs, List<RequestedOutput> outputs, boolean binaryByDefault) {
    private static final Set<String> REQUEST_KEYS = Set.of("id", "parameters", "inputs", "outputs");
    private static final Set<String> INPUT_KEYS = Set.of("name", "shape", "datatype", "parameters", "data");
    private static final Set<String> OUTPUT_KEYS = Set.of("name", "parameters");
    private static final int MAX_RANK = 32;

    /**
     * One output a request asks for.
     *
     * @param name the output's name
     * @param binary whether it comes back as binary data
     */
    record RequestedOutput(String name, boolean binary) {}

    /**
     * Parses a request for a model with this signature.
     *
     * @param body the whole body
     * @param jsonLength the JSON part's length from {@code Inference-Header-Content-Length}, or -1 when the
     *     body is only JSON
     * @throws HttpFailure 400 for anything the protocol or the model does not allow
     */
    static InferRequest parse(byte[] body, long jsonLength, ModelSignature signature) {
        if (jsonLength > body.length || jsonLength < -1) {
            throw new HttpFailure(
                    400,
                    "Inference-Header-Content-Length is " + jsonLength + " but the body has " + body.length + " bytes");
        }
        int json = jsonLength < 0 ? body.length : (int) jsonLength;
        JsonNode root;
        try {
            root = StrictJson.MAPPER.readTree(body, 0, json);
        } catch (JacksonException e) {
            throw new HttpFailure(400, "the request is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new HttpFailure(400, "the request must be a JSON object with 'inputs'");
        }
        keysOnly(root, REQUEST_KEYS, "the request");
        String id = null;
        if (root.has("id")) {
            if (!root.get("id").isString()) {
                throw new HttpFailure(400, "'id' must be a string");
            }
            id = root.get("id").stringValue();
        }
        boolean binaryByDefault = flag(root.get("parameters"), "binary_data_output", "the request's parameters");
        JsonNode inputs = root.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw new HttpFailure(400, "'inputs' must be a non-empty array of tensors");
        }
        ByteBuffer binary = ByteBuffer.wrap(body, json, body.length - json);
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        for (JsonNode in : inputs) {
            if (!in.isObject()) {
                throw new HttpFailure(400, "each of 'inputs' must be an object with name, shape, datatype and data");
            }
            String name = string(in, "name", "an input");
            String what = "input '" + name + "'";
            keysOnly(in, INPUT_KEYS, what);
            if (signature.input(name).isEmpty()) {
                throw new HttpFailure(
                        400, "the model has no input '" + name + "'; it takes " + names(signature.inputs()));
            }
            if (tensors.containsKey(name)) {
                throw new HttpFailure(400, what + " is given twice");
            }
            String datatype = string(in, "datatype", what);
            DType dtype = V2Datatype.named(datatype)
                    .map(V2Datatype::dtype)
                    .orElseThrow(
                            () -> new HttpFailure(
                                    400,
                                    what + ": datatype '" + datatype
                                            + "' is not one the server takes (BOOL, UINT8..UINT64, INT8..INT64, FP16, FP32, FP64, BF16)"));
            Shape shape = shape(in.get("shape"), what);
            JsonNode params = in.get("parameters");
            JsonNode size = params != null && params.isObject() ? params.get("binary_data_size") : null;
            if (size != null) {
                tensors.put(name, binaryTensor(what, dtype, shape, size, in.has("data"), binary));
            } else {
                tensors.put(name, TensorJson.read(what, dtype, shape, in.get("data")));
            }
        }
        if (binary.hasRemaining()) {
            throw new HttpFailure(
                    400,
                    binary.remaining()
                            + " bytes of binary data follow the JSON that no input's binary_data_size claims");
        }
        return new InferRequest(id, tensors, outputs(root.get("outputs"), signature), binaryByDefault);
    }

    private static HostTensor binaryTensor(
            String what, DType dtype, Shape shape, JsonNode size, boolean hasData, ByteBuffer binary) {
        if (hasData) {
            throw new HttpFailure(400, what + " has both 'data' and a binary_data_size; give one");
        }
        long need = shape.elementCount() * dtype.byteSize();
        if (!size.isIntegralNumber() || size.longValue() != need) {
            throw new HttpFailure(
                    400,
                    what + ": binary_data_size is " + size + " but " + V2Datatype.nameOf(dtype) + shape + " takes "
                            + need + " bytes");
        }
        if (binary.remaining() < need) {
            throw new HttpFailure(
                    400,
                    what + ": binary_data_size " + need + " runs past the end of the body (" + binary.remaining()
                            + " bytes left)");
        }
        ByteBuffer mine = binary.slice(binary.position(), (int) need);
        binary.position(binary.position() + (int) need);
        return HostTensor.of(dtype, shape, mine);
    }

    private static List<RequestedOutput> outputs(JsonNode outputs, ModelSignature signature) {
        List<RequestedOutput> out = new ArrayList<>();
        if (outputs == null) {
            return out;
        }
        if (!outputs.isArray()) {
            throw new HttpFailure(400, "'outputs' must be an array of {\"name\": ...} objects");
        }
        for (JsonNode o : outputs) {
            if (!o.isObject()) {
                throw new HttpFailure(400, "each of 'outputs' must be an object with a name");
            }
            String name = string(o, "name", "an output");
            keysOnly(o, OUTPUT_KEYS, "output '" + name + "'");
            if (signature.output(name).isEmpty()) {
                throw new HttpFailure(
                        400, "the model has no output '" + name + "'; it gives " + names(signature.outputs()));
            }
            if (out.stream().anyMatch(r -> r.name().equals(name))) {
                throw new HttpFailure(400, "output '" + name + "' is asked for twice");
            }
            out.add(new RequestedOutput(
                    name, flag(o.get("parameters"), "binary_data", "output '" + name + "' parameters")));
        }
        return out;
    }

    private static Shape shape(JsonNode node, String what) {
        if (node == null || !node.isArray() || node.size() > MAX_RANK) {
            throw new HttpFailure(400, what + ": 'shape' must be an array of at most " + MAX_RANK + " dimensions");
        }
        long[] dims = new long[node.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = node.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0) {
                throw new HttpFailure(400, what + ": 'shape' must hold integers 0 or more, got " + node);
            }
            dims[i] = d.longValue();
        }
        try {
            return Shape.of(dims);
        } catch (IllegalArgumentException e) {
            throw new HttpFailure(400, what + ": 'shape' " + node + " holds too many elements");
        }
    }

    private static boolean flag(JsonNode params, String key, String where) {
        if (params == null) {
            return false;
        }
        if (!params.isObject()) {
            throw new HttpFailure(400, where + " must be an object");
        }
        JsonNode v = params.get(key);
        if (v == null) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new HttpFailure(400, where + ": '" + key + "' must be true or false");
        }
        return v.booleanValue();
    }

    private static String string(JsonNode node, String key, String what) {
        JsonNode v = node.get(key);
        if (v == null
                || !v.isString()
                || v.stringValue().isEmpty()
                || v.stringValue().length() > 256) {
            throw new HttpFailure(400, what + " needs a non-empty string '" + key + "' of at most 256 characters");
        }
        return v.stringValue();
    }

    private static void keysOnly(JsonNode node, Set<String> allowed, String what) {
        for (String key : node.propertyNames()) {
            if (!allowed.contains(key)) {
                throw new HttpFailure(
                        400,
                        what + " has an unknown key '" + shorten(key) + "'; the protocol has "
                                + new java.util.TreeSet<>(allowed));
            }
        }
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static List<String> names(List<dev.nrt4j.TensorInfo> infos) {
        List<String> out = new ArrayList<>();
        infos.forEach(i -> out.add(i.name()));
        return out;
    }
}
