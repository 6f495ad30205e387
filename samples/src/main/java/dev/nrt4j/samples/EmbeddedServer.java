package dev.nrt4j.samples;

import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.samples.models.MlpModel;
import dev.nrt4j.samples.models.SampleInputs;
import dev.nrt4j.server.InferenceServer;
import dev.nrt4j.server.ServerOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Embeds nrt4j's Open Inference Protocol server ({@link InferenceServer}, what {@code nrt4j serve} runs)
 * in an application: the application owns the runtime, starts the server on it with its models, and
 * closes the server before the runtime. Here the model is the samples' MLP, asked once over HTTP as any
 * KServe v2 client would ask it; then the server runs until Ctrl-C or SIGTERM, which drain it.
 *
 * <p>Run it with {@code bin/nrt4j-sample EmbeddedServer [port]} (default 8080; 0 takes any free port).
 */
public final class EmbeddedServer {
    /** The served model, as "mlp": 64 → 32 → 4, compiled for batches of {@link #BATCH} rows. */
    public static final MlpModel MODEL = MlpModel.of(64, 32, 4, 5);
    /** Rows the model takes per execution. */
    public static final int BATCH = 2;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    /** Held so that its level stays set: java.util.logging keeps loggers weakly. */
    private static final Logger JETTY_LOG = Logger.getLogger("org.eclipse.jetty");

    private EmbeddedServer() {}

    /** Usage: {@code EmbeddedServer [port]}. */
    public static void main(String[] args) {
        SampleExit.onFailure("EmbeddedServer", () -> {
            int port;
            try {
                port = args.length == 0 ? 8080 : Integer.parseInt(args[0]);
                if (args.length > 1 || port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                System.err.println("usage: EmbeddedServer [port]    serve the MLP as \"mlp\" (default port 8080)");
                System.exit(2);
                return;
            }
            // Jetty logs through java.util.logging here; its start-up lines would bury the sample's output.
            JETTY_LOG.setLevel(Level.WARNING);
            SampleFiles files = SampleFiles.create();
            NeuronRuntime runtime = NeuronRuntime.open(RuntimeOptions.defaults());
            InferenceServer server = start(runtime, files.dir(), port);
            // The server drains (readiness 503, requests in flight finish) before the runtime frees the cores.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                runtime.close();
                files.close();
            }));
            float[] row = SampleInputs.batch(BATCH, MODEL.inputs(), 3);
            System.out.println("POST /v2/models/mlp/infer answered " + Arrays.toString(infer(server.port(), row)));
            System.out.println("serving \"mlp\" on port " + server.port() + " until Ctrl-C; try: curl localhost:"
                    + server.port() + "/v2/models/mlp");
            try {
                server.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * Writes the MLP to {@code dir} and serves it as "mlp" on {@code port} of every interface.
     *
     * @param runtime open; stays the caller's and must outlive the server
     * @return the running server, which the caller closes
     * @throws dev.nrt4j.NeuronException {@code INVALID} if the model does not load, {@code RESOURCE} if the
     *     port is taken
     */
    public static InferenceServer start(NeuronRuntime runtime, Path dir, int port) {
        Path model = MODEL.writeHlo(dir, "mlp", BATCH);
        return InferenceServer.start(
                runtime, ServerOptions.defaults().withAddress("0.0.0.0", port), null, Map.of("mlp", model));
    }

    /**
     * Asks the server on {@code localhost:port} for the MLP's output on {@code rows} ({@link #BATCH} rows
     * of 64), with a plain HTTP client and the v2 JSON body, as a client in any language would.
     *
     * @return the output, row-major [BATCH, 4]
     * @throws IllegalStateException if the server answers anything but 200
     */
    public static float[] infer(int port, float[] rows) {
        ObjectNode input = JSON.createObjectNode()
                .put("name", "input0")
                .put("datatype", "FP32")
                .set("shape", JSON.valueToTree(new int[] {BATCH, MODEL.inputs()}));
        input.set("data", JSON.valueToTree(rows));
        ObjectNode body = JSON.createObjectNode();
        body.putArray("inputs").add(input);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v2/models/mlp/infer"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "the server answered " + response.statusCode() + ": " + response.body());
            }
            JsonNode data = JSON.readTree(response.body()).get("outputs").get(0).get("data");
            float[] out = new float[data.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = data.get(i).floatValue();
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("could not reach the server on port " + port + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the server", e);
        }
    }
}
