package dev.nrt4j.samples.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nrt4j.HostTensor;
import dev.nrt4j.LoadOptions;
import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronCore;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.TensorInfo;
import dev.nrt4j.npy.Npy;
import dev.nrt4j.samples.MlpInference;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A small HTTP server for models, on the JDK's own {@code com.sun.net.httpserver}: each model is
 * loaded once per core of the runtime, and requests take turns over the copies.
 *
 * <p>Endpoints:
 * <ul>
 *   <li>{@code POST /v1/models/<name>/infer} — run the model. A JSON body
 *       {@code {"inputs": {"input0": {"dtype": "f32", "shape": [4, 64], "data": [...]}}}} (dtype and
 *       shape may be omitted; data row-major, flat or nested), or, for a model with one input, a
 *       {@code .npy} file with {@code Content-Type: application/x-npy}. The answer is JSON
 *       {@code {"model": ..., "core": ..., "outputs": {"output0": {"dtype", "shape", "data"}}}}, or a
 *       {@code .npy} when the request says {@code Accept: application/x-npy} and the model has one output.
 *   <li>{@code GET /v1/models} and {@code GET /v1/models/<name>} — names and signatures.
 *   <li>{@code GET /healthz} — {@code ok} while serving, 503 while shutting down.
 *   <li>{@code GET /metrics} — Prometheus text format: executions per core, execution latency
 *       histogram, HBM in use per core, errors per status code, requests in flight. HBM is the
 *       runtime's own figure ({@link NeuronRuntime#memoryUsage(int)}): the models' constants and the
 *       tensors of executions in progress, with whatever shares the core's HBM stack in this process.
 * </ul>
 * Errors are JSON {@code {"error": {"status": 400, "message": "..."}}}: 400 for a body that does not
 * fit the model (the message names the input, what was sent and the model's signature), 404 for an
 * unknown model or path, 405 for a wrong method, 406/415 for media types it cannot produce or read,
 * 413 for a body over {@link ServerConfig#maxBodyBytes()}, 503 while stopping, 504 when an execution
 * times out. A bad request never affects the next one.
 *
 * <p><b>Ownership.</b> The server opens its own {@link NeuronRuntime} and owns it, the models and every
 * tensor it allocates; {@link #stop()} (also run by {@link #close()} and, if configured, by a JVM
 * shutdown hook) stops accepting requests, waits for those in flight, unloads the models and closes
 * the runtime, which frees its cores for other processes. Thread-safe.
 */
public final class InferenceServer implements AutoCloseable {
    /** The name the sample model is served under when {@link #main} is given no model. */
    public static final String SAMPLE_MODEL = "mlp";
    /** Rows per request of the sample model. */
    public static final int SAMPLE_BATCH = 4;

    private static final String JSON = "application/json";
    private static final String NPY = "application/x-npy";
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /** The most of an oversized body read and thrown away so the client sees the 413; past it the connection is dropped. */
    private static final long MAX_DISCARD = 64L << 20;

    private final NeuronRuntime runtime;
    private final Map<String, ServedModel> models;
    private final ServerConfig config;
    private final HttpServer http;
    private final ThreadPoolExecutor workers;
    private final ServerMetrics metrics = new ServerMetrics();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Thread shutdownHook;
    private volatile List<String> openAtShutdown;

    private InferenceServer(NeuronRuntime runtime, Map<String, ServedModel> models, ServerConfig config)
            throws IOException {
        this.runtime = runtime;
        this.models = models;
        this.config = config;
        models.values().forEach(m -> m.replicas().forEach(r -> metrics.register(m.name(), r.core())));
        AtomicInteger threadNumber = new AtomicInteger();
        // Bounded: a burst queues up to queueCapacity requests, and past that the HTTP dispatcher runs the
        // request itself, so it stops accepting connections until it is done (back pressure, not an error).
        this.workers = new ThreadPoolExecutor(
                config.workers(),
                config.workers(),
                30,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.queueCapacity()),
                r -> {
                    Thread t = new Thread(r, "nrt4j-server-" + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                },
                new ThreadPoolExecutor.CallerRunsPolicy());
        this.http = HttpServer.create(config.address(), 0);
        http.createContext("/", this::handle);
        http.setExecutor(workers);
        http.start();
        this.shutdownHook = config.shutdownHook() ? new Thread(this::stop, "nrt4j-server-shutdown") : null;
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /**
     * Opens a runtime with {@code options}, loads each model of {@code modelFiles} (name → program
     * file) on every core, and starts listening.
     *
     * @throws NeuronException if the runtime cannot be opened or a model cannot be loaded; nothing is
     *     left open then
     * @throws UncheckedIOException if the server cannot listen on the configured address
     * @throws IllegalArgumentException if no model is given or a name is not a plain word
     */
    public static InferenceServer start(RuntimeOptions options, Map<String, Path> modelFiles, ServerConfig config) {
        if (modelFiles.isEmpty()) {
            throw new IllegalArgumentException("give the server at least one model to serve");
        }
        for (String name : modelFiles.keySet()) {
            if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException(
                        "model name '" + name + "' must be 1-64 letters, digits, '.', '_' or '-'");
            }
        }
        NeuronRuntime rt = NeuronRuntime.open(options);
        List<Model> loaded = new ArrayList<>();
        try {
            Map<String, ServedModel> served = new LinkedHashMap<>();
            for (Map.Entry<String, Path> e : modelFiles.entrySet()) {
                List<Model> copies = new ArrayList<>();
                for (NeuronCore core : rt.cores()) {
                    Model m = rt.load(ModelSource.of(e.getValue()), LoadOptions.onCore(core.index()));
                    loaded.add(m);
                    copies.add(m);
                }
                served.put(e.getKey(), new ServedModel(e.getKey(), copies));
            }
            return new InferenceServer(rt, Collections.unmodifiableMap(served), config);
        } catch (IOException | RuntimeException e) {
            loaded.forEach(Model::close);
            rt.close();
            if (e instanceof IOException) {
                throw new UncheckedIOException("could not listen on " + config.address(), (IOException) e);
            }
            throw (RuntimeException) e;
        }
    }

    /** The port the server listens on (the chosen one when configured with port 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** {@code http://localhost:<port>/}. */
    public URI uri() {
        return URI.create("http://localhost:" + port() + "/");
    }

    /** The runtime the server owns; for inspection only, it is closed by {@link #stop()}. */
    public NeuronRuntime runtime() {
        return runtime;
    }

    /** Requests being handled now, the number {@link #stop()} waits to fall to zero. */
    public int requestsInFlight() {
        return metrics.inFlight().get();
    }

    /** Whether {@link #stop()} has begun. */
    public boolean isStopping() {
        return stopping.get();
    }

    /**
     * What the runtime still held open after the server closed its models at {@link #stop()}, just
     * before it closed the runtime: empty when the server freed everything it allocated; null before stop.
     */
    public List<String> resourcesOpenAtShutdown() {
        return openAtShutdown;
    }

    /**
     * Stops gracefully: new requests are answered 503, requests in flight get up to
     * {@link ServerConfig#drainTimeout()} to finish, then the listener closes, the models are unloaded
     * and the runtime closed. Idempotent; later calls return at once.
     */
    public void stop() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        while (metrics.inFlight().get() > 0 && System.nanoTime() < deadline) {
            sleepBriefly();
        }
        http.stop(0);
        workers.shutdown();
        try {
            if (!workers.awaitTermination(
                    Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        models.values().forEach(m -> m.replicas().forEach(Model::close));
        openAtShutdown = List.copyOf(runtime.openResources());
        runtime.close();
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // The JVM is already exiting; the hook will find the server stopped.
            }
        }
    }

    /** {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    // ---- request handling ----

    private void handle(HttpExchange ex) {
        metrics.inFlight().incrementAndGet();
        try {
            try {
                // Counted first, checked second: stop() waits for every request that saw the server running.
                if (stopping.get()) {
                    throw new HttpProblem(503, "the server is shutting down");
                }
                route(ex);
            } catch (HttpProblem p) {
                if (p.allow() != null) {
                    ex.getResponseHeaders().set("Allow", p.allow());
                }
                error(ex, p.status(), p.getMessage());
            } catch (NeuronException e) {
                error(ex, statusFor(e), e.getMessage());
            } catch (RuntimeException e) {
                error(ex, 500, "internal error: " + e);
            }
        } catch (IOException e) {
            // The client went away while we answered; nothing is left to tell it.
        } finally {
            ex.close();
            metrics.inFlight().decrementAndGet();
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        if (path.equals("/healthz")) {
            allow(method, "GET");
            send(ex, 200, "text/plain; charset=utf-8", "ok\n".getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/metrics")) {
            allow(method, "GET");
            send(
                    ex,
                    200,
                    ServerMetrics.CONTENT_TYPE,
                    metrics.render(hbmBytesByCore()).getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/v1/models") || path.equals("/v1/models/")) {
            allow(method, "GET");
            ObjectNode root = MAPPER.createObjectNode();
            ArrayNode list = root.putArray("models");
            models.values().forEach(m -> list.add(describe(m)));
            sendJson(ex, 200, root);
        } else if (path.startsWith("/v1/models/")) {
            String rest = path.substring("/v1/models/".length());
            if (rest.endsWith("/infer")) {
                String name = rest.substring(0, rest.length() - "/infer".length());
                allow(method, "POST");
                infer(ex, model(name));
            } else if (!rest.contains("/")) {
                allow(method, "GET");
                sendJson(ex, 200, describe(model(rest)));
            } else {
                throw notFound(path);
            }
        } else {
            throw notFound(path);
        }
    }

    private void infer(HttpExchange ex, ServedModel model) throws IOException {
        byte[] body = readBody(ex);
        String type = mediaType(ex.getRequestHeaders().getFirst("Content-Type"));
        Map<String, HostTensor> inputs;
        if (type.equals(JSON)) {
            inputs = InferInputs.fromJson(MAPPER, body, model);
        } else if (type.equals(NPY)) {
            inputs = InferInputs.fromNpy(body, model, query(ex.getRequestURI()).get("input"));
        } else {
            throw new HttpProblem(415, "Content-Type must be " + JSON + " or " + NPY + ", not '" + type + "'");
        }
        boolean wantsNpy = accepts(ex, NPY) && !accepts(ex, JSON);
        if (wantsNpy && model.signature().outputs().size() != 1) {
            throw new HttpProblem(
                    406,
                    "model '" + model.name() + "' has "
                            + model.signature().outputs().size() + " outputs and a .npy answer holds one; accept "
                            + JSON);
        }
        Model copy = model.pick();
        long start = System.nanoTime();
        Map<String, HostTensor> outputs = copy.run(inputs);
        metrics.executed(model.name(), copy.core(), (System.nanoTime() - start) / 1e9);
        if (wantsNpy) {
            ex.getResponseHeaders().set("X-Nrt4j-Core", Integer.toString(copy.core()));
            send(ex, 200, NPY, Npy.toBytes(outputs.values().iterator().next()));
            return;
        }
        ObjectNode root = MAPPER.createObjectNode();
        root.put("model", model.name());
        root.put("core", copy.core());
        ObjectNode out = root.putObject("outputs");
        outputs.forEach((name, t) -> out.set(name, TensorJson.encode(t)));
        sendJson(ex, 200, root);
    }

    /** The body, refusing (413) more than the configured limit without holding more than that in memory. */
    private byte[] readBody(HttpExchange ex) throws IOException {
        int max = config.maxBodyBytes();
        InputStream in = ex.getRequestBody();
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw HttpProblem.badRequest("Content-Length '" + declared + "' is not a number");
            }
            if (length > max) {
                discard(in);
                throw new HttpProblem(
                        413, "the body is " + length + " bytes, more than the limit of " + max + " bytes");
            }
        }
        byte[] body = in.readNBytes(max + 1);
        if (body.length > max) {
            discard(in);
            throw new HttpProblem(413, "the body is more than the limit of " + max + " bytes");
        }
        return body;
    }

    /**
     * Reads and drops the rest of a refused body, so that the client, still sending it, gets to read
     * the answer instead of a reset connection; beyond {@link #MAX_DISCARD} the connection is given up.
     */
    private static void discard(InputStream in) throws IOException {
        byte[] sink = new byte[64 << 10];
        long total = 0;
        int n;
        while (total < MAX_DISCARD && (n = in.read(sink)) >= 0) {
            total += n;
        }
    }

    private ServedModel model(String name) {
        // getPath() has already decoded %-escapes.
        ServedModel m = models.get(name);
        if (m == null) {
            throw new HttpProblem(
                    404, "no model named '" + name + "'; this server serves " + String.join(", ", models.keySet()));
        }
        return m;
    }

    private static ObjectNode describe(ServedModel m) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("name", m.name());
        ArrayNode cores = o.putArray("cores");
        m.replicas().forEach(r -> cores.add(r.core()));
        ArrayNode ins = o.putArray("inputs");
        m.signature().inputs().forEach(t -> ins.add(tensorInfo(t)));
        ArrayNode outs = o.putArray("outputs");
        m.signature().outputs().forEach(t -> outs.add(tensorInfo(t)));
        return o;
    }

    private static ObjectNode tensorInfo(TensorInfo t) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("name", t.name());
        o.put("dtype", t.dtype().hloName());
        ArrayNode shape = o.putArray("shape");
        for (long d : t.shape().dims()) {
            shape.add(d);
        }
        return o;
    }

    /** Device memory in use per core, as the runtime counts it; empty where the backend cannot tell. */
    private SortedMap<Integer, Long> hbmBytesByCore() {
        SortedMap<Integer, Long> out = new TreeMap<>();
        if (stopping.get()) {
            return out;
        }
        try {
            for (NeuronCore core : runtime.cores()) {
                out.put(core.index(), runtime.memoryUsage(core.index()).usedBytes());
            }
        } catch (NeuronException | IllegalStateException e) {
            // A libnrt without the memory statistics, or a runtime closing under the scrape: the gauge is
            // left out rather than the scrape failing.
            out.clear();
        }
        return out;
    }

    // ---- HTTP plumbing ----

    private static void allow(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw HttpProblem.methodNotAllowed(allowed, method);
        }
    }

    private static HttpProblem notFound(String path) {
        return new HttpProblem(
                404,
                "no endpoint " + path + "; try POST /v1/models/<name>/infer, GET /v1/models, /healthz or /metrics");
    }

    private static int statusFor(NeuronException e) {
        switch (e.status()) {
            case INVALID:
            case EXEC_BAD_INPUT:
                return 400;
            case TIMEOUT:
                return 504;
            default:
                return 500;
        }
    }

    private void error(HttpExchange ex, int status, String message) throws IOException {
        metrics.failed(status);
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode err = root.putObject("error");
        err.put("status", status);
        err.put("message", message);
        sendJson(ex, status, root);
    }

    private static void sendJson(HttpExchange ex, int status, ObjectNode body) throws IOException {
        send(ex, status, JSON, MAPPER.writeValueAsBytes(body));
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** The media type without parameters, lower case; "" when absent. */
    private static String mediaType(String header) {
        if (header == null) {
            return "";
        }
        int semi = header.indexOf(';');
        return (semi < 0 ? header : header.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static boolean accepts(HttpExchange ex, String type) {
        List<String> accept = ex.getRequestHeaders().get("Accept");
        if (accept == null) {
            return false;
        }
        for (String header : accept) {
            for (String part : header.split(",")) {
                if (mediaType(part).equals(type)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        String q = uri.getRawQuery();
        if (q == null) {
            return out;
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- command line ----

    /**
     * Usage: {@code InferenceServer [--port N] [NAME=PROGRAM ...]}. Without a program it serves the
     * samples' MLP (64 → 128 → 10, batches of 4) as {@code mlp}. Stops on Ctrl-C or SIGTERM.
     */
    public static void main(String[] args) throws IOException {
        int port = 8080;
        Map<String, Path> programs = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--port") && i + 1 < args.length && args[i + 1].matches("\\d{1,5}")) {
                port = Integer.parseInt(args[++i]);
            } else if (a.indexOf('=') > 0 && !a.startsWith("-")) {
                programs.put(a.substring(0, a.indexOf('=')), Path.of(a.substring(a.indexOf('=') + 1)));
            } else {
                System.err.println(
                        "usage: InferenceServer [--port N] [NAME=PROGRAM ...]    serve models over HTTP (default: the sample MLP as 'mlp' on port 8080)");
                System.exit(2);
            }
        }
        if (programs.isEmpty()) {
            Path dir = Files.createTempDirectory("nrt4j-server-");
            Path file = MlpInference.MODEL.writeHlo(dir, SAMPLE_MODEL, SAMPLE_BATCH);
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            programs.put(SAMPLE_MODEL, file);
        }
        InferenceServer server = start(
                RuntimeOptions.defaults(), programs, ServerConfig.defaults().withAddress(new InetSocketAddress(port)));
        System.out.println("backend: " + server.runtime().backend());
        for (ServedModel m : server.models.values()) {
            System.out.println("serving " + m.name() + " on cores "
                    + m.replicas().stream()
                            .map(r -> Integer.toString(r.core()))
                            .reduce((x, y) -> x + "," + y)
                            .orElse("")
                    + ": " + m.expectation().substring(m.expectation().indexOf("expects")));
        }
        String name = programs.keySet().iterator().next();
        System.out.println("listening on " + server.uri() + "  (Ctrl-C stops)");
        System.out.println("  curl " + server.uri() + "v1/models/" + name);
        System.out.println("  curl " + server.uri() + "metrics");
        // The HTTP dispatcher thread keeps the JVM alive; the shutdown hook stops the server on exit.
    }
}
