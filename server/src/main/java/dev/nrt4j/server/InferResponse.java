package dev.nrt4j.server;

import dev.nrt4j.HostTensor;
import dev.nrt4j.ModelSignature;
import dev.nrt4j.TensorInfo;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An inference response as the protocol writes it: {@code model_name}, {@code model_version}, the
 * request's {@code id}, and the outputs asked for (all when none were), each with its data as JSON or,
 * with the binary tensor data extension, as a {@code binary_data_size} parameter and its bytes after the
 * JSON, in the order the outputs are listed. Immutable.
 *
 * @param body the whole body
 * @param jsonLength the JSON part's length, for {@code Inference-Header-Content-Length}; -1 when the body
 *     is only JSON
 */
record InferResponse(byte[] body, int jsonLength) {
    static InferResponse of(
            String model, InferRequest request, ModelSignature signature, Map<String, HostTensor> outputs) {
        List<InferRequest.RequestedOutput> wanted = request.outputs();
        if (wanted.isEmpty()) {
            wanted = new ArrayList<>();
            for (TensorInfo t : signature.outputs()) {
                wanted.add(new InferRequest.RequestedOutput(t.name(), request.binaryByDefault()));
            }
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("model_name", model);
        root.put("model_version", ModelRegistry.VERSION);
        if (request.id() != null) {
            root.put("id", request.id());
        }
        ArrayNode outs = root.putArray("outputs");
        List<ByteBuffer> binary = new ArrayList<>();
        for (InferRequest.RequestedOutput w : wanted) {
            HostTensor t = outputs.get(w.name());
            ObjectNode o = outs.addObject();
            o.put("name", w.name());
            o.put("datatype", V2Datatype.nameOf(t.dtype()));
            ArrayNode shape = o.putArray("shape");
            for (long d : t.shape().dims()) {
                shape.add(d);
            }
            if (w.binary()) {
                o.putObject("parameters").put("binary_data_size", t.byteSize());
                binary.add(t.data());
            } else {
                o.set("data", TensorJson.write(t));
            }
        }
        byte[] json = StrictJson.MAPPER.writeValueAsBytes(root);
        if (binary.isEmpty()) {
            return new InferResponse(json, -1);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(
                json.length + binary.stream().mapToInt(ByteBuffer::remaining).sum());
        body.writeBytes(json);
        for (ByteBuffer b : binary) {
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            body.writeBytes(bytes);
        }
        return new InferResponse(body.toByteArray(), json.length);
    }
}
