package dev.nrt4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.testsupport.BatchedHlo;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import tools.jackson.databind.JsonNode;

/** The server as a v2 client sees it: every route, JSON and binary tensors, errors, the repository, batching. */
@Isolated("claims simulated cores, which are shared by every runtime of the JVM")
class V2ProtocolTest {
    private static final long MAX_BODY = 1 << 20;

    @TempDir
    static Path dir;

    private static NeuronRuntime runtime;
    private static InferenceServer server;
    private static V2Client client;

    @BeforeAll
    static void start() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        // Ten seconds to fill a batch: in the batching test only a full batch ends the wait in time.
        ServedModels.model(
                repo,
                "affine",
                BatchedHlo.AFFINE,
                "{\"max_batch_size\": 8, \"dynamic_batching\": {\"max_queue_delay_microseconds\": 10000000}}");
        ServedModels.model(
                repo,
                "affine_now",
                BatchedHlo.AFFINE,
                "{\"max_batch_size\": 8, \"dynamic_batching\": {\"max_queue_delay_microseconds\": 0}}");
        ServedModels.model(repo, "types", ServedModels.TYPES, null);
        Path swap = Files.writeString(dir.resolve("swap.hlo.txt"), ServedModels.SWAP);
        runtime = NeuronRuntime.open(RuntimeOptions.builder(Map.of(), new Properties())
                .backend("reference")
                .stateDir(Files.createDirectories(dir.resolve("state")))
                .build());
        server = InferenceServer.start(
                runtime,
                ServerOptions.defaults().withAddress("127.0.0.1", 0).withLimits(64, MAX_BODY, 32),
                repo,
                Map.of("swap", swap));
        client = new V2Client(server.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (runtime != null) {
            runtime.close();
        }
    }

    private static String error(V2Client.Reply r) {
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return r.json().get("error").stringValue();
    }

    @Test
    void healthAnswers200WithAnEmptyBody() throws Exception {
        for (String path : List.of("/v2/health/live", "/v2/health/ready")) {
            V2Client.Reply r = client.get(path);
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.body()).isEmpty();
        }
    }

    @Test
    void serverMetadataNamesTheExtensions() throws Exception {
        JsonNode m = client.get("/v2").json();
        assertThat(m.get("name").stringValue()).isEqualTo("nrt4j");
        assertThat(m.get("version").isString()).isTrue();
        assertThat(m.get("extensions").toString()).contains("\"binary_tensor_data\"", "\"model_repository\"");
    }

    @Test
    void modelMetadataShowsTheBatchAsAVariableDimension() throws Exception {
        for (String path : List.of("/v2/models/affine", "/v2/models/affine/versions/1")) {
            V2Client.Reply r = client.get(path);
            assertThat(r.status()).isEqualTo(200);
            JsonNode m = r.json();
            assertThat(m.get("name").stringValue()).isEqualTo("affine");
            assertThat(m.get("versions").toString()).isEqualTo("[\"1\"]");
            assertThat(m.get("inputs").toString())
                    .isEqualTo("[{\"name\":\"input0\",\"datatype\":\"FP32\",\"shape\":[-1,3]}]");
            assertThat(m.get("outputs").toString())
                    .isEqualTo("[{\"name\":\"output0\",\"datatype\":\"FP32\",\"shape\":[-1,3]}]");
        }
        JsonNode swap = client.get("/v2/models/swap").json();
        assertThat(swap.get("inputs").toString())
                .isEqualTo("[{\"name\":\"input0\",\"datatype\":\"FP32\",\"shape\":[2]},"
                        + "{\"name\":\"input1\",\"datatype\":\"INT32\",\"shape\":[2,2]}]");
        assertThat(client.get("/v2/models/swap/ready").status()).isEqualTo(200);
        assertThat(client.get("/v2/models/swap/versions/1/ready").status()).isEqualTo(200);
        V2Client.Reply v2 = client.get("/v2/models/swap/versions/2");
        assertThat(v2.status()).isEqualTo(404);
        assertThat(error(v2)).contains("has no version '2'");
        V2Client.Reply unknown = client.get("/v2/models/nosuch");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(error(unknown)).contains("no model named 'nosuch'");
    }

    @Test
    void jsonInferenceEchoesTheIdAndTakesFlatAndNestedData() throws Exception {
        V2Client.Reply r = client.post(
                "/v2/models/swap/infer",
                "{\"id\": \"req-7\", \"parameters\": {\"priority\": 1}, \"inputs\": ["
                        + "{\"name\": \"input0\", \"shape\": [2], \"datatype\": \"FP32\", \"data\": [1.5, -2.25]},"
                        + "{\"name\": \"input1\", \"shape\": [2, 2], \"datatype\": \"INT32\", \"data\": [[1, 2], [3, -2147483648]]}]}",
                "Content-Type",
                "application/json");
        assertThat(r.status()).isEqualTo(200);
        JsonNode j = r.json();
        assertThat(j.get("model_name").stringValue()).isEqualTo("swap");
        assertThat(j.get("model_version").stringValue()).isEqualTo("1");
        assertThat(j.get("id").stringValue()).isEqualTo("req-7");
        assertThat(j.get("outputs").toString())
                .isEqualTo(
                        "[{\"name\":\"output0\",\"datatype\":\"INT32\",\"shape\":[2,2],\"data\":[1,2,3,-2147483648]},"
                                + "{\"name\":\"output1\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[1.5,-2.25]}]");
    }

    @Test
    void outputsSelectWhichComeBack() throws Exception {
        V2Client.Reply r = client.post(
                "/v2/models/swap/infer",
                "{\"inputs\": ["
                        + "{\"name\": \"input0\", \"shape\": [2], \"datatype\": \"FP32\", \"data\": [1, 2]},"
                        + "{\"name\": \"input1\", \"shape\": [2, 2], \"datatype\": \"INT32\", \"data\": [5, 6, 7, 8]}],"
                        + "\"outputs\": [{\"name\": \"output1\"}]}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("id")).isNull();
        assertThat(r.json().get("outputs").toString())
                .isEqualTo("[{\"name\":\"output1\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[1.0,2.0]}]");
    }

    @Test
    void narrowAndWideTypesRoundTrip() throws Exception {
        V2Client.Reply r = client.post(
                "/v2/models/types/infer",
                "{\"inputs\": ["
                        + "{\"name\": \"input0\", \"shape\": [2], \"datatype\": \"BF16\", \"data\": [1.5, -3]},"
                        + "{\"name\": \"input1\", \"shape\": [2], \"datatype\": \"UINT8\", \"data\": [0, 255]},"
                        + "{\"name\": \"input2\", \"shape\": [2], \"datatype\": \"BOOL\", \"data\": [true, false]},"
                        + "{\"name\": \"input3\", \"shape\": [1], \"datatype\": \"INT64\", \"data\": [-9223372036854775808]}]}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode out = r.json().get("outputs");
        assertThat(out.get(0).get("data").toString()).isEqualTo("[1.5,-3.0]");
        assertThat(out.get(1).get("data").toString()).isEqualTo("[0,255]");
        assertThat(out.get(2).get("data").toString()).isEqualTo("[true,false]");
        assertThat(out.get(3).get("data").toString()).isEqualTo("[-9223372036854775808]");
    }

    @Test
    void binaryTensorDataInAndOut() throws Exception {
        byte[] json =
                ("{\"inputs\": [{\"name\": \"input0\", \"shape\": [2], \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": 8}},"
                                + "{\"name\": \"input1\", \"shape\": [2, 2], \"datatype\": \"INT32\", \"data\": [1, 2, 3, 4]}],"
                                + "\"outputs\": [{\"name\": \"output1\", \"parameters\": {\"binary_data\": true}}, {\"name\": \"output0\"}]}")
                        .getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(json.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        body.put(json).putFloat(0.5f).putFloat(-7f);
        V2Client.Reply r = client.post(
                "/v2/models/swap/infer",
                body.array(),
                "Content-Type",
                "application/octet-stream",
                "Inference-Header-Content-Length",
                Integer.toString(json.length));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode head = r.header();
        assertThat(head.get("outputs").get(0).toString())
                .isEqualTo(
                        "{\"name\":\"output1\",\"datatype\":\"FP32\",\"shape\":[2],\"parameters\":{\"binary_data_size\":8}}");
        assertThat(head.get("outputs").get(1).get("data").toString()).isEqualTo("[1,2,3,4]");
        ByteBuffer bin = ByteBuffer.wrap(r.binary()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bin.remaining()).isEqualTo(8);
        assertThat(bin.getFloat()).isEqualTo(0.5f);
        assertThat(bin.getFloat()).isEqualTo(-7f);
    }

    @Test
    void binaryDataOutputForEveryOutput() throws Exception {
        V2Client.Reply r = client.post(
                "/v2/models/swap/infer",
                "{\"parameters\": {\"binary_data_output\": true}, \"inputs\": ["
                        + "{\"name\": \"input0\", \"shape\": [2], \"datatype\": \"FP32\", \"data\": [1, 2]},"
                        + "{\"name\": \"input1\", \"shape\": [2, 2], \"datatype\": \"INT32\", \"data\": [5, 6, 7, 8]}]}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(r.header()
                        .get("outputs")
                        .get(0)
                        .get("parameters")
                        .get("binary_data_size")
                        .intValue())
                .isEqualTo(16);
        assertThat(r.binary()).hasSize(16 + 8);
    }

    @Test
    void badTensorsAre400WithOneLine() throws Exception {
        String swap = "/v2/models/swap/infer";
        String ok1 = "{\"name\": \"input1\", \"shape\": [2, 2], \"datatype\": \"INT32\", \"data\": [5, 6, 7, 8]}";
        Map<String, String> cases = Map.ofEntries(
                Map.entry("not json", "not valid JSON"),
                Map.entry("{\"inputs\": [], \"inputs\": []}", "not valid JSON"),
                Map.entry(
                        "{\"inputs\": [{\"name\": \"input0\", \"shape\": [2], \"datatype\": \"FP32\", \"data\": [1e400, 1]}, "
                                + ok1 + "]}",
                        "is not a FP32 value"),
                Map.entry(
                        "{\"inputs\": [{\"name\": \"input0\", \"shape\": [2], \"datatype\": \"FP32\", \"data\": [NaN, 1]}, "
                                + ok1 + "]}",
                        "not valid JSON"),
                Map.entry(
                        "{\"inputs\": [{\"name\": \"input0\", \"shape\": [2], \"datatype\": \"BYTES\", \"data\": [1, 1]}, "
                                + ok1 + "]}",
                        "datatype 'BYTES'"),
                Map.entry(
                        "{\"inputs\": [{\"name\": \"input0\", \"shape\": [3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}, "
                                + ok1 + "]}",
                        "f32[3] but the model takes f32[2]"),
                Map.entry(
                        "{\"inputs\": [{\"name\": \"input0\", \"shape\": [2], \"datatype\": \"FP32\", \"data\": [1]}, "
                                + ok1 + "]}",
                        "holds 2 elements but 'data' has 1"),
                Map.entry(
                        "{\"inputs\": [{\"name\": \"input0\", \"shape\": [2], \"datatype\": \"FP32\", \"data\": [1, 2]},"
                                + "{\"name\": \"input1\", \"shape\": [2, 2], \"datatype\": \"INT32\", \"data\": [1, 2, 3, 2147483648]}]}",
                        "is not a INT32 value"),
                Map.entry(
                        "{\"inputs\": [{\"name\": \"nosuch\", \"shape\": [2], \"datatype\": \"FP32\", \"data\": [1, 2]}]}",
                        "no input 'nosuch'"),
                Map.entry(
                        "{\"inputs\": [{\"name\": \"input0\", \"shape\": [2], \"datatype\": \"FP32\", \"data\": [1, 2]}]}",
                        "input 'input1' is missing"),
                Map.entry(
                        "{\"inputs\": [{\"name\": \"input0\", \"shape\": [2], \"datatype\": \"FP32\", \"data\": [1, 2]}, "
                                + ok1 + "]," + " \"outputs\": [{\"name\": \"nosuch\"}]}",
                        "no output 'nosuch'"),
                Map.entry(
                        "{\"inputs\": [{\"name\": \"input0\", \"shape\": [2], \"datatype\": \"FP32\", \"data\": [1, 2]}, "
                                + ok1 + "], \"extra\": 1}",
                        "unknown key 'extra'"),
                Map.entry("[".repeat(200) + "]".repeat(200), "not valid JSON"));
        for (Map.Entry<String, String> c : cases.entrySet()) {
            V2Client.Reply r = client.post(swap, c.getKey());
            assertThat(r.status()).as(c.getKey()).isEqualTo(400);
            assertThat(error(r))
                    .as(c.getKey())
                    .contains(c.getValue())
                    .doesNotContain("\n")
                    .doesNotContain("at dev.nrt4j");
        }
    }

    @Test
    void routingErrorsHaveTheirStatuses() throws Exception {
        V2Client.Reply unknown = client.post("/v2/models/nosuch/infer", "{}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(error(unknown)).contains("no model named 'nosuch'");
        assertThat(client.get("/v2/nothing").status()).isEqualTo(404);
        assertThat(client.get("/elsewhere").status()).isEqualTo(404);
        V2Client.Reply method = client.get("/v2/models/swap/infer");
        assertThat(method.status()).isEqualTo(405);
        assertThat(error(method)).contains("use POST");
        V2Client.Reply xml = client.get("/v2/models/swap", "Accept", "application/xml");
        assertThat(xml.status()).isEqualTo(406);
        assertThat(error(xml)).contains("application/json");
        V2Client.Reply text = client.post("/v2/models/swap/infer", "{}", "Content-Type", "text/plain");
        assertThat(text.status()).isEqualTo(415);
    }

    @Test
    void aBodyTooLargeIsRefusedFromItsContentLengthBeforeAnyOfItIsSent() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            // Headers only: a server that waited for the body would never answer.
            out.write(("POST /v2/models/swap/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 99999999999\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String reply = new String(in.readNBytes(2048), StandardCharsets.UTF_8);
            assertThat(reply)
                    .startsWith("HTTP/1.1 413 ")
                    .contains("application/json")
                    .contains("99999999999 bytes");
        }
        // Chunked, so with no length: refused once the limit is passed. The body is written on another thread
        // while this one reads: the server answers and closes mid-body, and a client that only read after
        // writing it all could have the answer discarded by the reset its next write provokes.
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            ExecutorService writer = Executors.newSingleThreadExecutor();
            try {
                writer.submit(() -> {
                    try {
                        out.write(
                                ("POST /v2/models/swap/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                                + "Transfer-Encoding: chunked\r\n\r\n")
                                        .getBytes(StandardCharsets.US_ASCII));
                        byte[] chunk = new byte[64 << 10];
                        java.util.Arrays.fill(chunk, (byte) ' ');
                        for (long sent = 0; sent <= MAX_BODY + chunk.length; sent += chunk.length) {
                            out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                            out.write(chunk);
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    } catch (java.io.IOException closedByTheServer) {
                        // The server refused the body and closed: what this test expects.
                    }
                    return null;
                });
                String reply = new String(s.getInputStream().readNBytes(2048), StandardCharsets.UTF_8);
                assertThat(reply).startsWith("HTTP/1.1 413 ").contains("application/json");
            } finally {
                writer.shutdownNow();
            }
        }
    }

    @Test
    void malformedHttpGetsAJsonError() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream()
                    .write(
                            ("POST /v2/models/swap/infer HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
            String reply = new String(s.getInputStream().readNBytes(2048), StandardCharsets.UTF_8);
            assertThat(reply)
                    .startsWith("HTTP/1.1 400 ")
                    .contains("application/json")
                    .contains("{\"error\":");
        }
    }

    @Test
    void theRepositoryIndexLoadsAndUnloads() throws Exception {
        JsonNode index = client.post("/v2/repository/index", "{}").json();
        assertThat(index.toString())
                .contains(
                        "{\"name\":\"swap\",\"version\":\"1\",\"state\":\"READY\",\"reason\":\"\"}",
                        "{\"name\":\"types\",\"version\":\"1\",\"state\":\"READY\",\"reason\":\"\"}");
        assertThat(client.get("/v2/repository/index").status()).isEqualTo(200);

        assertThat(client.post("/v2/repository/models/types/unload", "").status())
                .isEqualTo(200);
        assertThat(client.post("/v2/repository/index", "").json().toString())
                .contains("{\"name\":\"types\",\"version\":\"1\",\"state\":\"UNAVAILABLE\",\"reason\":\"unloaded\"}");
        assertThat(client.get("/v2/models/types/ready").status()).isEqualTo(503);
        V2Client.Reply refused = client.post("/v2/models/types/infer", "{}");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(error(refused)).contains("not loaded");

        assertThat(client.post("/v2/repository/models/types/load", "").status()).isEqualTo(200);
        assertThat(client.get("/v2/models/types/ready").status()).isEqualTo(200);
        assertThat(client.post("/v2/repository/models/nosuch/load", "").status())
                .isEqualTo(404);
    }

    @Test
    void concurrentRequestsAreBatchedAndEachGetsOnlyItsRows() throws Exception {
        int[] rows = {1, 2, 2, 3};
        long execsBefore = metric("nv_inference_exec_count", "affine");
        ExecutorService callers = Executors.newFixedThreadPool(rows.length);
        try {
            CyclicBarrier start = new CyclicBarrier(rows.length);
            List<Future<JsonNode>> answers = new ArrayList<>();
            for (int c = 0; c < rows.length; c++) {
                int caller = c;
                answers.add(callers.submit(() -> {
                    start.await();
                    V2Client.Reply r = client.post("/v2/models/affine/infer", affineRequest(caller + 1, rows[caller]));
                    assertThat(r.status()).as(r.text()).isEqualTo(200);
                    return r.json();
                }));
            }
            for (int c = 0; c < rows.length; c++) {
                // Well before the ten seconds the batch could wait: it ran as soon as it was full.
                JsonNode out =
                        answers.get(c).get(5, TimeUnit.SECONDS).get("outputs").get(0);
                assertThat(out.get("shape").toString()).isEqualTo("[" + rows[c] + ",3]");
                assertThat(out.get("data").toString()).isEqualTo(expected(c + 1, rows[c]));
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(metric("nv_inference_exec_count", "affine") - execsBefore).isEqualTo(1);
    }

    @Test
    void aPaddedBatchNeverReturnsThePadding() throws Exception {
        V2Client.Reply r = client.post("/v2/models/affine_now/infer", affineRequest(5, 3));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("outputs").get(0).get("shape").toString()).isEqualTo("[3,3]");
        assertThat(r.json().get("outputs").get(0).get("data").toString()).isEqualTo(expected(5, 3));
        V2Client.Reply tooMany = client.post("/v2/models/affine_now/infer", affineRequest(5, 9));
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(error(tooMany)).contains("the model takes f32[1..8, 3]");
    }

    @Test
    void metricsUseTritonsNames() throws Exception {
        client.post(
                "/v2/models/swap/infer",
                "{\"inputs\": ["
                        + "{\"name\": \"input0\", \"shape\": [2], \"datatype\": \"FP32\", \"data\": [1, 2]},"
                        + "{\"name\": \"input1\", \"shape\": [2, 2], \"datatype\": \"INT32\", \"data\": [5, 6, 7, 8]}]}");
        client.post("/v2/models/swap/infer", "{\"inputs\": []}");
        V2Client.Reply m = client.get("/metrics");
        assertThat(m.status()).isEqualTo(200);
        assertThat(m.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        for (String name : List.of(
                "nv_inference_request_success",
                "nv_inference_request_failure",
                "nv_inference_count",
                "nv_inference_exec_count",
                "nv_inference_request_duration_us",
                "nv_inference_queue_duration_us",
                "nv_inference_compute_infer_duration_us")) {
            assertThat(m.text()).contains("# TYPE " + name + " counter");
            assertThat(metric(name, "swap")).as(name).isGreaterThanOrEqualTo(0);
        }
        assertThat(metric("nv_inference_request_success", "swap")).isGreaterThanOrEqualTo(1);
        assertThat(metric("nv_inference_request_failure", "swap")).isGreaterThanOrEqualTo(1);
        assertThat(m.text())
                .contains("nrt4j_model_instances{model=\"swap\",core=\"0\"} 1", "nrt4j_requests_in_flight ");
        long limit = gauge(m.text(), "nrt4j_device_memory_limit_bytes{core=\"0\"} ");
        long used = gauge(m.text(), "nrt4j_device_memory_used_bytes{core=\"0\"} ");
        assertThat(limit).as("core 0's device memory limit").isPositive();
        assertThat(used).as("core 0's device memory in use").isBetween(0L, limit);
        double busy = value(m.text(), "nrt4j_core_busy_seconds_total{core=\"0\"} ");
        assertThat(busy).as("core 0 ran swap").isPositive();
        assertThat(value(m.text(), "nrt4j_core_utilization_ratio{core=\"0\"} ")).isBetween(0.0, 1.0);
        client.post(
                "/v2/models/swap/infer",
                "{\"inputs\": ["
                        + "{\"name\": \"input0\", \"shape\": [2], \"datatype\": \"FP32\", \"data\": [1, 2]},"
                        + "{\"name\": \"input1\", \"shape\": [2, 2], \"datatype\": \"INT32\", \"data\": [5, 6, 7, 8]}]}");
        assertThat(value(client.get("/metrics").text(), "nrt4j_core_busy_seconds_total{core=\"0\"} "))
                .as("the busy counter grows with each execution")
                .isGreaterThan(busy);
    }

    private static double value(String exposition, String prefix) {
        return Double.parseDouble(text(exposition, prefix));
    }

    private static String text(String exposition, String prefix) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
        }
        throw new AssertionError("no " + prefix + " in /metrics");
    }

    private static long gauge(String exposition, String prefix) {
        return Long.parseLong(text(exposition, prefix));
    }

    private static long metric(String name, String model) throws Exception {
        return gauge(client.get("/metrics").text(), name + "{model=\"" + model + "\",version=\"1\"} ");
    }

    /** Caller {@code id}'s rows: values no other caller sends, all above 0. */
    private static float[] values(int id, int rows) {
        float[] v = new float[rows * 3];
        for (int i = 0; i < v.length; i++) {
            v[i] = id * 100 + i + 1;
        }
        return v;
    }

    private static String affineRequest(int id, int rows) {
        StringBuilder data = new StringBuilder();
        for (float f : values(id, rows)) {
            data.append(data.length() == 0 ? "" : ",").append(f);
        }
        return "{\"inputs\": [{\"name\": \"input0\", \"shape\": [" + rows + ", 3], \"datatype\": \"FP32\", \"data\": ["
                + data + "]}]}";
    }

    private static String expected(int id, int rows) {
        StringBuilder s = new StringBuilder("[");
        for (float f : values(id, rows)) {
            s.append(s.length() == 1 ? "" : ",").append(2 * f + 1);
        }
        return s.append(']').toString();
    }
}
