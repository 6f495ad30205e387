package dev.nrt4j.server;

import dev.nrt4j.HostTensor;
import dev.nrt4j.NeuronException;
import dev.nrt4j.TensorInfo;
import dev.nrt4j.pool.ModelPool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The routes of the Open Inference Protocol (KServe v2 REST), Triton's model repository extension and
 * {@code /metrics}, on Jetty's core handler API. Every answer it makes is JSON ({@code /metrics}: the
 * Prometheus text format); errors are {@code {"error": "..."}}. Thread-safe: Jetty calls it from many
 * threads at once.
 */
final class V2Handler extends Handler.Abstract {
    /** Triton's header: the length of the JSON part of a body that binary tensor data follows. */
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ModelRegistry registry;
    private final ServerMetrics metrics;
    private final ServerOptions options;
    private final Semaphore infers;
    private final BooleanSupplier draining;

    V2Handler(ModelRegistry registry, ServerMetrics metrics, ServerOptions options, BooleanSupplier draining) {
        this.registry = registry;
        this.metrics = metrics;
        this.options = options;
        this.infers = new Semaphore(options.maxConcurrentInfers());
        this.draining = draining;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        metrics.inFlight().incrementAndGet();
        try {
            route(request, response, callback);
        } catch (HttpFailure f) {
            error(request, response, callback, f);
        } catch (RuntimeException e) {
            error(request, response, callback, new HttpFailure(500, "internal error: " + e));
        } finally {
            metrics.inFlight().decrementAndGet();
        }
        return true;
    }

    private void route(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        String[] s = path.startsWith("/") ? path.substring(1).split("/", -1) : new String[] {""};
        if (s.length == 1 && s[0].equals("metrics")) {
            allow(method, "GET");
            send(
                    response,
                    callback,
                    200,
                    "text/plain; version=0.0.4; charset=utf-8",
                    metrics.scrape(registry.loaded(), registry.runtime()).getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (!s[0].equals("v2")) {
            throw new HttpFailure(
                    404, "no such route " + shorten(path) + "; the Open Inference Protocol's routes start with /v2");
        }
        if (s.length == 1) {
            acceptJson(request, false);
            allow(method, "GET");
            json(response, callback, 200, serverMetadata());
            return;
        }
        switch (s[1]) {
            case "health":
                if (s.length == 3 && (s[2].equals("live") || s[2].equals("ready"))) {
                    allow(method, "GET");
                    boolean ok = s[2].equals("live") || !draining.getAsBoolean();
                    if (!ok) {
                        throw HttpFailure.unavailable("the server is shutting down");
                    }
                    send(response, callback, 200, null, new byte[0]);
                    return;
                }
                break;
            case "models":
                if (s.length >= 3) {
                    acceptJson(request, s[s.length - 1].equals("infer"));
                    model(request, response, callback, s);
                    return;
                }
                break;
            case "repository":
                acceptJson(request, false);
                repository(request, response, callback, s);
                return;
            default:
                break;
        }
        throw new HttpFailure(404, "no such route " + shorten(path));
    }

    /** {@code /v2/models/NAME[/versions/V][/ready|/infer]}. */
    private void model(Request request, Response response, Callback callback, String[] s) {
        String name = s[2];
        int next = 3;
        if (s.length > 4 && s[3].equals("versions")) {
            if (!s[4].equals(ModelRegistry.VERSION)) {
                requireKnown(name);
                throw new HttpFailure(
                        404,
                        "model '" + shorten(name) + "' has no version '" + shorten(s[4]) + "'; it has version "
                                + ModelRegistry.VERSION);
            }
            next = 5;
        }
        String tail = s.length == next ? "" : s.length == next + 1 ? s[next] : null;
        if (tail == null || !(tail.isEmpty() || tail.equals("ready") || tail.equals("infer"))) {
            throw new HttpFailure(404, "no such route " + shorten(Request.getPathInContext(request)));
        }
        String method = request.getMethod();
        switch (tail) {
            case "":
                allow(method, "GET");
                json(response, callback, 200, modelMetadata(ready(name)));
                return;
            case "ready":
                allow(method, "GET");
                ModelRegistry.Entry e = requireKnown(name);
                if (e == null || e.pool() == null || !e.pool().isOpen() || draining.getAsBoolean()) {
                    throw HttpFailure.unavailable("model '" + name + "' is not ready"
                            + (e != null && !e.reason().isEmpty() ? ": " + e.reason() : ""));
                }
                send(response, callback, 200, null, new byte[0]);
                return;
            default:
                allow(method, "POST");
                infer(request, response, callback, name);
        }
    }

    private ModelRegistry.Entry requireKnown(String name) {
        ModelRegistry.Entry e = registry.get(name);
        if (e == null && !registry.exists(name)) {
            throw new HttpFailure(404, "no model named '" + shorten(name) + "'; GET /v2/repository/index lists them");
        }
        return e;
    }

    private ModelRegistry.Entry ready(String name) {
        ModelRegistry.Entry e = requireKnown(name);
        if (e == null || e.pool() == null) {
            throw HttpFailure.unavailable("model '" + name + "' is not loaded"
                    + (e != null && !e.reason().isEmpty() ? ": " + e.reason() : "") + "; POST /v2/repository/models/"
                    + name + "/load loads it");
        }
        return e;
    }

    private void infer(Request request, Response response, Callback callback, String name) {
        // Counted before the shutdown check, so that a drain that saw no request running misses none.
        metrics.inferring().incrementAndGet();
        try {
            inferCounted(request, response, callback, name);
        } finally {
            metrics.inferring().decrementAndGet();
        }
    }

    private void inferCounted(Request request, Response response, Callback callback, String name) {
        long start = request.getHeadersNanoTime();
        ModelRegistry.Entry entry;
        try {
            if (draining.getAsBoolean()) {
                throw HttpFailure.unavailable("the server is shutting down");
            }
            entry = ready(name);
        } catch (HttpFailure f) {
            if (f.status() != 404) {
                metrics.inferFailed(name);
            }
            throw f;
        }
        if (!infers.tryAcquire()) {
            metrics.inferFailed(name);
            throw HttpFailure.unavailable(
                    options.maxConcurrentInfers() + " inference requests are already being handled; try again shortly");
        }
        try {
            ModelPool pool = entry.pool();
            checkContentType(request);
            long jsonLength = headerLength(request);
            byte[] body = body(request);
            InferRequest req = InferRequest.parse(body, jsonLength, pool.signature());
            Map<String, HostTensor> outputs;
            try {
                outputs = pool.run(req.inputs());
            } catch (NeuronException e) {
                throw failure(e);
            }
            InferResponse answer = InferResponse.of(name, req, pool.signature(), outputs);
            metrics.inferSucceeded(name, System.nanoTime() - start);
            if (answer.jsonLength() < 0) {
                send(response, callback, 200, "application/json", answer.body());
            } else {
                response.getHeaders().put(HEADER_LENGTH, Integer.toString(answer.jsonLength()));
                send(response, callback, 200, "application/octet-stream", answer.body());
            }
        } catch (HttpFailure f) {
            metrics.inferFailed(name);
            throw f;
        } finally {
            infers.release();
        }
    }

    private static HttpFailure failure(NeuronException e) {
        switch (e.status()) {
            case EXEC_BAD_INPUT:
            case INVALID:
                return new HttpFailure(400, e.getMessage());
            case QUEUE_FULL:
            case CLOSED:
                return HttpFailure.unavailable(e.getMessage());
            default:
                return new HttpFailure(500, e.getMessage());
        }
    }

    private static void checkContentType(Request request) {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null) {
            return;
        }
        String base = type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (!base.equals("application/json") && !base.equals("application/octet-stream")) {
            throw new HttpFailure(
                    415,
                    "Content-Type " + shorten(type)
                            + " is not taken; send application/json, or application/octet-stream with "
                            + HEADER_LENGTH);
        }
    }

    private static long headerLength(Request request) {
        String v = request.getHeaders().get(HEADER_LENGTH);
        if (v == null) {
            return -1;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new HttpFailure(400, HEADER_LENGTH + " must be a byte count, got " + shorten(v));
        }
    }

    /** The body, refused with 413 from its Content-Length before any of it is read, or once it passes the limit. */
    private byte[] body(Request request) {
        long declared = request.getLength();
        long max = options.maxRequestBytes();
        if (declared > max) {
            throw new HttpFailure(413, "the request body is " + declared + " bytes; the server takes at most " + max);
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
            if (body.length > max) {
                // A client still sending when the connection closes gets a reset, which loses the answer (JDK 17's
                // HttpClient does): the rest of a body with no length is read and dropped, up to the limit again.
                in.skip(max);
                throw new HttpFailure(413, "the request body is over " + max + " bytes, the most the server takes");
            }
            return body;
        } catch (IOException e) {
            throw new HttpFailure(400, "the request body could not be read: " + e.getMessage());
        }
    }

    private void repository(Request request, Response response, Callback callback, String[] s) {
        String method = request.getMethod();
        if (s.length == 3 && s[2].equals("index")) {
            allow(method, "GET", "POST");
            ArrayNode index = NODES.arrayNode();
            for (ModelRegistry.Entry e : registry.index()) {
                ObjectNode o = index.addObject();
                o.put("name", e.name());
                o.put("version", ModelRegistry.VERSION);
                o.put("state", e.state());
                o.put("reason", e.reason());
            }
            json(response, callback, 200, index);
            return;
        }
        if (s.length == 5 && s[2].equals("models") && (s[4].equals("load") || s[4].equals("unload"))) {
            allow(method, "POST");
            String name = s[3];
            requireKnown(name);
            if (s[4].equals("load")) {
                if (draining.getAsBoolean()) {
                    throw HttpFailure.unavailable("the server is shutting down");
                }
                try {
                    registry.load(name);
                } catch (NeuronException e) {
                    throw e.status() == dev.nrt4j.Status.INVALID ? new HttpFailure(400, e.getMessage()) : failure(e);
                }
            } else {
                registry.unload(name);
            }
            send(response, callback, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        throw new HttpFailure(404, "no such route " + shorten(Request.getPathInContext(request)));
    }

    private static ObjectNode serverMetadata() {
        ObjectNode o = NODES.objectNode();
        o.put("name", "nrt4j");
        String version = V2Handler.class.getPackage().getImplementationVersion();
        o.put("version", version == null ? "development" : version);
        ArrayNode ext = o.putArray("extensions");
        ext.add("binary_tensor_data");
        ext.add("model_repository");
        return o;
    }

    private static ObjectNode modelMetadata(ModelRegistry.Entry e) {
        ModelPool pool = e.pool();
        ObjectNode o = NODES.objectNode();
        o.put("name", e.name());
        o.putArray("versions").add(ModelRegistry.VERSION);
        o.put("platform", "nrt4j");
        tensors(o.putArray("inputs"), pool.signature().inputs(), pool.maxBatch() > 0);
        tensors(o.putArray("outputs"), pool.signature().outputs(), pool.maxBatch() > 0);
        return o;
    }

    private static void tensors(ArrayNode into, List<TensorInfo> infos, boolean batched) {
        for (TensorInfo t : infos) {
            ObjectNode o = into.addObject();
            o.put("name", t.name());
            o.put("datatype", V2Datatype.nameOf(t.dtype()));
            ArrayNode shape = o.putArray("shape");
            long[] dims = t.shape().dims();
            for (int i = 0; i < dims.length; i++) {
                // A batched model takes 1 to the batch rows: a variable dimension, which the protocol writes -1.
                shape.add(batched && i == 0 ? -1 : dims[i]);
            }
        }
    }

    private static void allow(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) {
                return;
            }
        }
        throw new HttpFailure(
                405, "method " + shorten(method) + " is not allowed here; use " + String.join(" or ", allowed));
    }

    /**
     * 406 unless the client accepts JSON (or binary, for inference). Not for health probes, whose answer is
     * a status with an empty body, whatever a load balancer's checker says it accepts.
     */
    private static void acceptJson(Request request, boolean binaryToo) {
        List<String> accept = request.getHeaders().getValuesList(HttpHeader.ACCEPT);
        if (accept.isEmpty()) {
            return;
        }
        for (String header : accept) {
            for (String range : header.split(",")) {
                String r = range.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
                if (r.equals("*/*")
                        || r.equals("application/*")
                        || r.equals("application/json")
                        || (binaryToo && r.equals("application/octet-stream"))) {
                    return;
                }
            }
        }
        throw new HttpFailure(
                406,
                "the server answers application/json" + (binaryToo ? " (or application/octet-stream)" : "")
                        + ", which the Accept header " + shorten(String.join(", ", accept)) + " does not take");
    }

    private void json(Response response, Callback callback, int status, JsonNode body) {
        send(response, callback, status, "application/json", StrictJson.MAPPER.writeValueAsBytes(body));
    }

    private void error(Request request, Response response, Callback callback, HttpFailure f) {
        ObjectNode o = NODES.objectNode();
        o.put("error", f.getMessage());
        if (f.retryLater()) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        }
        if (f.status() == 413 || draining.getAsBoolean()) {
            // 413: the body is not all read, so the connection cannot carry another request. Draining: a client's
            // next request should find the listener closed (refused), not a kept-alive connection the stop closes.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        send(response, callback, f.status(), "application/json", StrictJson.MAPPER.writeValueAsBytes(o));
    }

    private void send(Response response, Callback callback, int status, String type, byte[] body) {
        metrics.responded(status);
        response.setStatus(status);
        if (type != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
