package dev.nrt4j.samples.server;

import static dev.nrt4j.samples.server.ServerFixtures.BATCH;
import static dev.nrt4j.samples.server.ServerFixtures.MLP;
import static dev.nrt4j.samples.server.ServerFixtures.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.LoadOptions;
import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.samples.TestRuntimes;
import dev.nrt4j.samples.models.SampleInputs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import tools.jackson.databind.json.JsonMapper;

/** Graceful shutdown: requests in flight finish, new ones are refused, and everything is freed. */
@Isolated("claims simulated cores")
class InferenceServerShutdownTest {
    @TempDir
    Path dir;

    @Test
    void stopLetsTheRequestInFlightFinishThenFreesTheCores() throws Exception {
        RuntimeOptions options =
                TestRuntimes.reference(dir.resolve("state"), "trn1.2xlarge").build();
        Map<String, Path> programs = ServerFixtures.programs(dir);
        InferenceServer server = InferenceServer.start(options, programs, ServerFixtures.config());
        CompletableFuture<Void> stopped = null;
        Socket socket = null;
        try {
            // A request whose body arrives in two parts, the second held back until the server is stopping.
            // Written on a plain socket: HttpClient's streaming publishers may read a blocking body on its
            // I/O thread, which would stall the very request this test holds open.
            float[] x = SampleInputs.batch(BATCH, MLP.inputs(), 9);
            byte[] json = ("{\"inputs\": {\"input0\": {\"data\": " + Arrays.toString(x) + "}}}")
                    .getBytes(StandardCharsets.UTF_8);
            socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/models/mlp/infer HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + json.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(json, 0, 10);
            out.flush();
            awaitInFlight(server, 1);

            stopped = CompletableFuture.runAsync(server::stop);
            awaitStopping(server);
            // Draining: the listener is still up, but new work is refused with 503.
            HttpResponse<String> health = get(server, "/healthz");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("the server is shutting down");
            assertThat(stopped).isNotDone();

            out.write(json, 10, json.length - 10);
            out.flush();
            String[] answer = readResponse(socket.getInputStream());
            assertThat(answer[0]).as(answer[1]).startsWith("HTTP/1.1 200");
            assertThat(JsonMapper.builder()
                            .build()
                            .readTree(answer[1])
                            .get("outputs")
                            .get("output0")
                            .get("data")
                            .size())
                    .isEqualTo(BATCH * MLP.outputs());
            stopped.get(20, TimeUnit.SECONDS);
        } finally {
            server.stop();
            if (socket != null) {
                socket.close();
            }
        }

        assertThat(server.resourcesOpenAtShutdown()).isEmpty();
        assertThat(server.runtime().isOpen()).isFalse();
        assertThatThrownBy(() -> get(server, "/healthz")).isInstanceOf(IOException.class);
        // Both cores are free again: a new runtime claims them and loads the model on each.
        try (NeuronRuntime rt = NeuronRuntime.open(options)) {
            assertThat(rt.cores()).hasSize(2);
            for (int core = 0; core < 2; core++) {
                try (Model m = rt.load(ModelSource.of(programs.get("mlp")), LoadOptions.onCore(core))) {
                    assertThat(m.core()).isEqualTo(core);
                }
            }
        }
    }

    @Test
    void stopIsIdempotentAndAServerThatCannotLoadItsModelLeavesNothingOpen() throws Exception {
        RuntimeOptions options =
                TestRuntimes.reference(dir.resolve("state"), "trn1.2xlarge").build();
        Map<String, Path> programs = ServerFixtures.programs(dir);
        InferenceServer server = InferenceServer.start(options, programs, ServerFixtures.config());
        server.stop();
        server.stop();
        server.close();
        assertThat(server.resourcesOpenAtShutdown()).isEmpty();

        Path missing = dir.resolve("missing.hlo.txt");
        assertThatThrownBy(() -> InferenceServer.start(
                        options, Map.of("mlp", programs.get("mlp"), "gone", missing), ServerFixtures.config()))
                .isInstanceOf(dev.nrt4j.NeuronException.class);
        // The failed start released the cores it had claimed.
        try (NeuronRuntime rt = NeuronRuntime.open(options)) {
            assertThat(rt.cores()).hasSize(2);
        }
    }

    /** The status line and the body of one HTTP/1.1 response with a Content-Length. */
    private static String[] readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the connection closed inside the response head: " + head);
            }
            head.append((char) c);
        }
        Matcher length = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$").matcher(head);
        assertThat(length.find()).as(head.toString()).isTrue();
        byte[] body = in.readNBytes(Integer.parseInt(length.group(1)));
        return new String[] {head.substring(0, head.indexOf("\r\n")), new String(body, StandardCharsets.UTF_8)};
    }

    private static void awaitInFlight(InferenceServer server, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (server.requestsInFlight() < n) {
            assertThat(System.nanoTime()).as("a request in flight within 20 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static void awaitStopping(InferenceServer server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!server.isStopping()) {
            assertThat(System.nanoTime()).as("stopping within 20 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
