package dev.nrt4j.samples.server;

import static dev.nrt4j.samples.server.ServerFixtures.BATCH;
import static dev.nrt4j.samples.server.ServerFixtures.CLIENT;
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
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
        RuntimeOptions options = TestRuntimes.reference(dir.resolve("state"), "trn1.2xlarge").build();
        Map<String, Path> programs = ServerFixtures.programs(dir);
        InferenceServer server = InferenceServer.start(options, programs, ServerFixtures.config());
        CompletableFuture<Void> stopped = null;
        try {
            // A request whose body arrives in two parts, the second held back until the server is stopping.
            float[] x = SampleInputs.batch(BATCH, MLP.inputs(), 9);
            byte[] json = ("{\"inputs\": {\"input0\": {\"data\": " + Arrays.toString(x) + "}}}").getBytes(StandardCharsets.UTF_8);
            CountDownLatch release = new CountDownLatch(1);
            InputStream held = new InputStream() {
                private final InputStream rest = new ByteArrayInputStream(json, 10, json.length - 10);

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    try {
                        release.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                    return rest.read(b, off, len);
                }
            };
            InputStream body = new SequenceInputStream(new ByteArrayInputStream(json, 0, 10), held);
            CompletableFuture<HttpResponse<String>> inFlight = CLIENT.sendAsync(
                    HttpRequest.newBuilder(ServerFixtures.uri(server, "/v1/models/mlp/infer")).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            awaitInFlight(server, 1);

            stopped = CompletableFuture.runAsync(server::stop);
            awaitStopping(server);
            // Draining: the listener is still up, but new work is refused with 503.
            HttpResponse<String> health = get(server, "/healthz");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("the server is shutting down");
            assertThat(stopped).isNotDone();

            release.countDown();
            HttpResponse<String> answer = inFlight.get(20, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(JsonMapper.builder().build().readTree(answer.body()).get("outputs").get("output0").get("data").size())
                    .isEqualTo(BATCH * MLP.outputs());
            stopped.get(20, TimeUnit.SECONDS);
        } finally {
            server.stop();
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
        RuntimeOptions options = TestRuntimes.reference(dir.resolve("state"), "trn1.2xlarge").build();
        Map<String, Path> programs = ServerFixtures.programs(dir);
        InferenceServer server = InferenceServer.start(options, programs, ServerFixtures.config());
        server.stop();
        server.stop();
        server.close();
        assertThat(server.resourcesOpenAtShutdown()).isEmpty();

        Path missing = dir.resolve("missing.hlo.txt");
        assertThatThrownBy(() -> InferenceServer.start(options, Map.of("mlp", programs.get("mlp"), "gone", missing),
                ServerFixtures.config())).isInstanceOf(dev.nrt4j.NeuronException.class);
        // The failed start released the cores it had claimed.
        try (NeuronRuntime rt = NeuronRuntime.open(options)) {
            assertThat(rt.cores()).hasSize(2);
        }
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
