package dev.nrt4j.samples.server;

import static dev.nrt4j.samples.server.ServerFixtures.BATCH;
import static dev.nrt4j.samples.server.ServerFixtures.CLIENT;
import static dev.nrt4j.samples.server.ServerFixtures.MLP;
import static dev.nrt4j.samples.server.ServerFixtures.get;
import static dev.nrt4j.samples.server.ServerFixtures.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nrt4j.HostTensor;
import dev.nrt4j.Shape;
import dev.nrt4j.npy.Npy;
import dev.nrt4j.samples.PlainMlp;
import dev.nrt4j.samples.TestRuntimes;
import dev.nrt4j.samples.models.SampleInputs;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The server through a real HTTP client: answers, bad requests, metrics. */
@Isolated("claims simulated cores")
class InferenceServerTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;

    private static InferenceServer server;

    @BeforeAll
    static void start() {
        server = InferenceServer.start(
                TestRuntimes.reference(dir.resolve("state"), "trn1.2xlarge").build(),
                ServerFixtures.programs(dir),
                ServerFixtures.config());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private static float[] input(long seed) {
        return SampleInputs.batch(BATCH, MLP.inputs(), seed);
    }

    private static String mlpRequest(float[] x, String dtype, String shape) {
        return "{\"inputs\": {\"input0\": {\"dtype\": \"" + dtype + "\", \"shape\": " + shape + ", \"data\": "
                + Arrays.toString(x) + "}}}";
    }

    private static HttpResponse<String> postJson(String path, String body) throws Exception {
        return post(server, path, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertMlpOutput(float[] x, float[] y) {
        double[] expected = PlainMlp.output(MLP, x, BATCH);
        assertThat(y).hasSize(expected.length);
        for (int i = 0; i < y.length; i++) {
            assertThat((double) y[i]).as("element %d", i).isCloseTo(expected[i], within(1e-5));
        }
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).doubleValue();
        }
        return out;
    }

    @Test
    void jsonRequestsAreAnsweredWithTheModelsOutputOnEveryCoreInTurn() throws Exception {
        Set<Integer> cores = new HashSet<>();
        for (int seed = 1; seed <= 2; seed++) {
            float[] x = input(seed);
            HttpResponse<String> r = postJson("/v1/models/mlp/infer", mlpRequest(x, "f32", "[2, 8]"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
            JsonNode out = JSON.readTree(r.body());
            assertThat(out.get("model").stringValue()).isEqualTo("mlp");
            cores.add(out.get("core").intValue());
            JsonNode y = out.get("outputs").get("output0");
            assertThat(y.get("dtype").stringValue()).isEqualTo("f32");
            assertThat(y.get("shape").toString()).isEqualTo("[2,3]");
            assertMlpOutput(x, floats(y.get("data")));
        }
        assertThat(cores).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void dtypeAndShapeMayBeLeftOutAndDataMayBeNested() throws Exception {
        float[] x = input(3);
        String nested = "[" + Arrays.toString(Arrays.copyOfRange(x, 0, 8)) + ","
                + Arrays.toString(Arrays.copyOfRange(x, 8, 16)) + "]";
        HttpResponse<String> r =
                postJson("/v1/models/mlp/infer", "{\"inputs\": {\"input0\": {\"data\": " + nested + "}}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertMlpOutput(
                x, floats(JSON.readTree(r.body()).get("outputs").get("output0").get("data")));
    }

    @Test
    void anNpyBodyIsAnsweredAsNpyWhenAskedAndAsJsonOtherwise() throws Exception {
        float[] x = input(4);
        byte[] npy = Npy.toBytes(HostTensor.of(x, BATCH, MLP.inputs()));
        HttpResponse<byte[]> asNpy = CLIENT.send(
                HttpRequest.newBuilder(ServerFixtures.uri(server, "/v1/models/mlp/infer"))
                        .timeout(Duration.ofSeconds(20))
                        .header("Content-Type", "application/x-npy")
                        .header("Accept", "application/x-npy")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(npy))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(asNpy.statusCode()).isEqualTo(200);
        assertThat(asNpy.headers().firstValue("Content-Type")).hasValue("application/x-npy");
        HostTensor y = Npy.read(asNpy.body());
        assertThat(y.shape()).isEqualTo(Shape.of(BATCH, MLP.outputs()));
        assertMlpOutput(x, y.toFloatArray());

        HttpResponse<String> asJson = post(server, "/v1/models/mlp/infer?input=input0", "application/x-npy", npy);
        assertThat(asJson.statusCode()).as(asJson.body()).isEqualTo(200);
        assertMlpOutput(
                x,
                floats(JSON.readTree(asJson.body())
                        .get("outputs")
                        .get("output0")
                        .get("data")));
    }

    @Test
    void aModelWithTwoInputsAndTwoOutputs() throws Exception {
        HttpResponse<String> r = postJson(
                "/v1/models/pair/infer",
                "{\"inputs\": {\"input0\": {\"data\": [1, 2, 3]}, \"input1\": {\"dtype\": \"float32\", \"data\": [0.5, -1, 4]}}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode out = JSON.readTree(r.body()).get("outputs");
        assertThat(floats(out.get("output0").get("data"))).containsExactly(1.5f, 1f, 7f);
        assertThat(floats(out.get("output1").get("data"))).containsExactly(0.5f, -2f, 12f);

        HttpResponse<String> listing = get(server, "/v1/models/pair");
        assertThat(listing.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(listing.body()).get("inputs").toString())
                .isEqualTo(
                        "[{\"name\":\"input0\",\"dtype\":\"f32\",\"shape\":[3]},{\"name\":\"input1\",\"dtype\":\"f32\",\"shape\":[3]}]");
    }

    @Test
    void badRequestsGetA4xxNamingWhatWasWrongAndTheServerKeepsServing() throws Exception {
        float[] x = input(5);
        String npyInts = "application/x-npy";
        expectError(
                postJson("/v1/models/mlp/infer", mlpRequest(x, "f32", "[4, 4]")),
                400,
                "input 'input0' has shape [4, 4] but the model expects [2, 8]",
                "input0 f32[2, 8]");
        expectError(
                postJson("/v1/models/mlp/infer", mlpRequest(x, "s32", "[2, 8]")),
                400,
                "input 'input0' has dtype s32 but the model expects f32",
                "input0 f32[2, 8]");
        expectError(postJson("/v1/models/mlp/infer", mlpRequest(x, "complex", "[2, 8]")), 400, "not a dtype");
        expectError(
                postJson("/v1/models/mlp/infer", mlpRequest(Arrays.copyOf(x, 15), "f32", "[2, 8]")),
                400,
                "has 15 values but shape [2, 8] needs 16");
        expectError(
                postJson("/v1/models/mlp/infer", "{\"inputs\": {\"input0\": {\"data\": [1, \"two\"]}}}"),
                400,
                "value 1 is \"two\", not a number");
        expectError(
                postJson("/v1/models/mlp/infer", "{\"inputs\": {\"input0\": {\"data\": [1, 2,"), 400, "not valid JSON");
        expectError(postJson("/v1/models/mlp/infer", "{\"inputs\": {}} trailing"), 400, "not valid JSON");
        expectError(postJson("/v1/models/mlp/infer", "[1, 2, 3]"), 400, "must be a JSON object {\"inputs\"");
        expectError(postJson("/v1/models/mlp/infer", "{\"inputs\": {}}"), 400, "input 'input0' is missing");
        expectError(
                postJson("/v1/models/mlp/infer", "{\"inputs\": {\"x\": {\"data\": [1]}}}"),
                400,
                "model 'mlp' has no input 'x'; it expects input0 f32[2, 8]");
        expectError(
                post(server, "/v1/models/mlp/infer", npyInts, Npy.toBytes(HostTensor.of(new int[16], BATCH, 8))),
                400,
                "input 'input0' has dtype s32 but the model expects f32");
        expectError(
                post(server, "/v1/models/mlp/infer", npyInts, "not an npy file".getBytes(StandardCharsets.US_ASCII)),
                400,
                "not a valid .npy file");
        expectError(
                post(server, "/v1/models/pair/infer", npyInts, Npy.toBytes(HostTensor.of(new float[3]))),
                400,
                "a .npy body carries one input and model 'pair' has 2; send JSON");
        expectError(
                post(server, "/v1/models/mlp/infer", "text/plain", "1 2 3".getBytes(StandardCharsets.US_ASCII)),
                415,
                "Content-Type must be application/json or application/x-npy");
        expectError(
                postJson("/v1/models/nope/infer", mlpRequest(x, "f32", "[2, 8]")),
                404,
                "no model named 'nope'; this server serves mlp, pair");
        expectError(get(server, "/v2/whatever"), 404, "no endpoint /v2/whatever");
        HttpResponse<String> wrongMethod = get(server, "/v1/models/mlp/infer");
        expectError(wrongMethod, 405, "method GET is not allowed here; use POST");
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("POST");

        // Over the 64 KiB limit: refused with 413 whether the size is declared or streamed.
        byte[] big = new byte[3 * ServerFixtures.MAX_BODY];
        Arrays.fill(big, (byte) ' ');
        expectError(
                post(server, "/v1/models/mlp/infer", "application/json", big),
                413,
                "the body is " + big.length + " bytes, more than the limit of 65536 bytes");
        HttpResponse<String> streamed = CLIENT.send(
                HttpRequest.newBuilder(ServerFixtures.uri(server, "/v1/models/mlp/infer"))
                        .timeout(Duration.ofSeconds(20))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        expectError(streamed, 413, "the body is more than the limit of 65536 bytes");

        HttpResponse<byte[]> twoOutputsAsNpy = CLIENT.send(
                HttpRequest.newBuilder(ServerFixtures.uri(server, "/v1/models/pair/infer"))
                        .timeout(Duration.ofSeconds(20))
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/x-npy")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"inputs\": {\"input0\": {\"data\": [1, 2, 3]}, \"input1\": {\"data\": [1, 2, 3]}}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(twoOutputsAsNpy.statusCode()).isEqualTo(406);

        // Still serving, and right.
        HttpResponse<String> good = postJson("/v1/models/mlp/infer", mlpRequest(x, "f32", "[2, 8]"));
        assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
        assertMlpOutput(
                x,
                floats(JSON.readTree(good.body()).get("outputs").get("output0").get("data")));
    }

    private static void expectError(HttpResponse<String> r, int status, String... messageParts) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("status").intValue()).isEqualTo(status);
        assertThat(error.get("message").stringValue()).contains(messageParts);
    }

    @Test
    void healthzSaysOk() throws Exception {
        HttpResponse<String> r = get(server, "/healthz");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok\n");
        assertThat(post(server, "/healthz", "text/plain", new byte[0]).statusCode())
                .isEqualTo(405);
    }

    @Test
    void metricsCountExecutionsPerCoreLatencyErrorsAndMemory() throws Exception {
        String before = get(server, "/metrics").body();
        for (int i = 0; i < 3; i++) {
            assertThat(postJson("/v1/models/mlp/infer", mlpRequest(input(10 + i), "f32", "[2, 8]"))
                            .statusCode())
                    .isEqualTo(200);
        }
        assertThat(postJson("/v1/models/mlp/infer", "{").statusCode()).isEqualTo(400);

        HttpResponse<String> r = get(server, "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        String after = r.body();
        assertThat(after)
                .contains(
                        "# TYPE nrt4j_executions_total counter\n",
                        "# TYPE nrt4j_execution_latency_seconds histogram\n",
                        "# TYPE nrt4j_hbm_used_bytes gauge\n",
                        "# TYPE nrt4j_request_errors_total counter\n",
                        "# HELP nrt4j_executions_total ");
        double executed = value(after, "nrt4j_executions_total{model=\"mlp\",core=\"0\"}")
                + value(after, "nrt4j_executions_total{model=\"mlp\",core=\"1\"}")
                - value(before, "nrt4j_executions_total{model=\"mlp\",core=\"0\"}")
                - value(before, "nrt4j_executions_total{model=\"mlp\",core=\"1\"}");
        assertThat(executed).isEqualTo(3);
        assertThat(value(after, "nrt4j_execution_latency_seconds_count{model=\"mlp\"}")
                        - value(before, "nrt4j_execution_latency_seconds_count{model=\"mlp\"}"))
                .isEqualTo(3);
        assertThat(value(after, "nrt4j_execution_latency_seconds_bucket{model=\"mlp\",le=\"+Inf\"}"))
                .isEqualTo(value(after, "nrt4j_execution_latency_seconds_count{model=\"mlp\"}"));
        assertThat(value(after, "nrt4j_execution_latency_seconds_bucket{model=\"mlp\",le=\"0.0005\"}"))
                .isLessThanOrEqualTo(value(after, "nrt4j_execution_latency_seconds_bucket{model=\"mlp\",le=\"10.0\"}"));
        assertThat(value(after, "nrt4j_execution_latency_seconds_sum{model=\"mlp\"}"))
                .isPositive();
        assertThat(value(after, "nrt4j_request_errors_total{code=\"400\"}")
                        - valueOrZero(before, "nrt4j_request_errors_total{code=\"400\"}"))
                .isEqualTo(1);
        // Only the scrape itself is in flight.
        assertThat(value(after, "nrt4j_requests_in_flight")).isEqualTo(1);
    }

    @Test
    void metricsShowTheModelsConstantsInEachCoresHbm() throws Exception {
        // The runtime's own figures: no driver counters to wait for.
        String text = get(server, "/metrics").body();
        // Each core holds a copy of both models: the MLP's weights and biases (195 floats) and its zero are constants.
        long mlpConstants =
                4L * (MLP.inputs() * MLP.hidden() + MLP.hidden() + MLP.hidden() * MLP.outputs() + MLP.outputs());
        assertThat(value(text, "nrt4j_hbm_used_bytes{core=\"0\"}")).isGreaterThanOrEqualTo(mlpConstants);
        assertThat(value(text, "nrt4j_hbm_used_bytes{core=\"1\"}")).isGreaterThanOrEqualTo(mlpConstants);
    }

    private static double valueOrZero(String text, String series) {
        return text.contains("\n" + series + " ") ? value(text, series) : 0;
    }

    private static double value(String text, String series) {
        Matcher m =
                Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertThat(m.find()).as("series %s in%n%s", series, text).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
