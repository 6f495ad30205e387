package dev.nrt4j.samples.server;

import dev.nrt4j.DType;
import dev.nrt4j.HostTensor;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Shape;
import dev.nrt4j.TensorInfo;
import dev.nrt4j.npy.Npy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The inputs of an inference request, decoded from its body and checked against the model before
 * anything touches the device, so that every mistake is a 400 that names the input, what was sent and
 * what the model expects. Stateless and thread-safe.
 */
final class InferInputs {
    private InferInputs() {}

    /**
     * The inputs of a JSON body {@code {"inputs": {"<name>": {"dtype", "shape", "data"}}}}, one for each
     * of the model's inputs and no other.
     *
     * @throws HttpProblem (400) if the body is not JSON of that form, or an input is missing, unknown,
     *     or does not fit the model (see {@link TensorJson#decode})
     */
    static Map<String, HostTensor> fromJson(JsonMapper mapper, byte[] body, ServedModel model) {
        String expect = model.expectation();
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JacksonException e) {
            throw HttpProblem.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode inputs = root == null ? null : root.get("inputs");
        if (inputs == null || !inputs.isObject()) {
            throw HttpProblem.badRequest(
                    "the body must be a JSON object {\"inputs\": {\"<input name>\": {\"dtype\": ..., "
                            + "\"shape\": [...], \"data\": [...]}}}; " + expect);
        }
        for (String name : inputs.propertyNames()) {
            if (model.input(name) == null) {
                throw HttpProblem.badRequest("model '" + model.name() + "' has no input '" + name + "'; it expects "
                        + expect.substring(expect.indexOf(" expects ") + 9));
            }
        }
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (TensorInfo info : model.signature().inputs()) {
            JsonNode t = inputs.get(info.name());
            if (t == null) {
                throw HttpProblem.badRequest("input '" + info.name() + "' is missing; " + expect);
            }
            out.put(info.name(), TensorJson.decode(t, info, expect));
        }
        return out;
    }

    /**
     * The input of a {@code .npy} body for a model with one input; {@code inputName}, from the query
     * string, may name it.
     *
     * @throws HttpProblem (400) if the model has several inputs, the name is not its input's, the body
     *     is not a valid {@code .npy}, or its dtype or shape differ from the model's
     */
    static Map<String, HostTensor> fromNpy(byte[] body, ServedModel model, String inputName) {
        List<TensorInfo> expected = model.signature().inputs();
        if (expected.size() != 1) {
            throw HttpProblem.badRequest("a .npy body carries one input and model '" + model.name() + "' has "
                    + expected.size() + "; send JSON. " + model.expectation());
        }
        TensorInfo info = expected.get(0);
        if (inputName != null && !inputName.equals(info.name())) {
            throw HttpProblem.badRequest(
                    "model '" + model.name() + "' has no input '" + inputName + "'; " + model.expectation());
        }
        HostTensor t;
        try {
            t = Npy.read(body);
        } catch (NeuronException e) {
            throw HttpProblem.badRequest("the body is not a valid .npy file: " + e.getMessage());
        }
        requireMatch(info, t.dtype(), t.shape(), model.expectation());
        return Map.of(info.name(), t);
    }

    private static void requireMatch(TensorInfo info, DType dtype, Shape shape, String expect) {
        if (dtype != info.dtype()) {
            throw HttpProblem.badRequest("input '" + info.name() + "' has dtype " + dtype.hloName()
                    + " but the model expects " + info.dtype().hloName() + "; " + expect);
        }
        if (!shape.equals(info.shape())) {
            throw HttpProblem.badRequest("input '" + info.name() + "' has shape " + shape + " but the model expects "
                    + info.shape() + "; " + expect);
        }
    }
}
