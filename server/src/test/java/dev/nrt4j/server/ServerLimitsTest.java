package dev.nrt4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import dev.nrt4j.testsupport.BatchedHlo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/** What the server refuses at start, and how it answers when it is saturated. */
@Isolated("claims simulated cores, which are shared by every runtime of the JVM")
class ServerLimitsTest {
    @TempDir
    Path dir;

    private NeuronRuntime runtime;

    @BeforeEach
    void open() throws Exception {
        runtime = NeuronRuntime.open(RuntimeOptions.builder(Map.of(), new Properties())
                .backend("reference")
                .stateDir(Files.createDirectories(dir.resolve("state")))
                .build());
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    private NeuronException refusal(Path repo, Map<String, Path> models) {
        try (InferenceServer s =
                InferenceServer.start(runtime, ServerOptions.defaults().withAddress("127.0.0.1", 0), repo, models)) {
            throw new AssertionError("the server started: " + s);
        } catch (NeuronException e) {
            return e;
        }
    }

    @Test
    void aSaturatedServerAnswers503WithRetryAfterAndFinishesWhatItTook() throws Exception {
        Path repo = dir.resolve("repo");
        // A batch waits 3 s to fill: the one request it holds keeps the single inference slot taken.
        ServedModels.model(
                repo,
                "affine",
                BatchedHlo.AFFINE,
                "{\"max_batch_size\": 8, \"dynamic_batching\": {\"max_queue_delay_microseconds\": 3000000}}");
        try (InferenceServer server = InferenceServer.start(
                runtime,
                ServerOptions.defaults().withAddress("127.0.0.1", 0).withLimits(16, 1 << 20, 1),
                repo,
                Map.of())) {
            V2Client client = new V2Client(server.port());
            String one =
                    "{\"inputs\": [{\"name\": \"input0\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}";
            CompletableFuture<V2Client.Reply> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.post("/v2/models/affine/infer", one);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1000);
            V2Client.Reply second = client.post("/v2/models/affine/infer", one);
            assertThat(second.status()).isEqualTo(503);
            assertThat(second.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(second.json().get("error").stringValue())
                    .contains("1 inference requests are already being handled");
            // Probes are not inference: they still answer at once.
            assertThat(client.get("/v2/health/ready").status()).isEqualTo(200);
            V2Client.Reply taken = first.get(30, TimeUnit.SECONDS);
            assertThat(taken.status()).isEqualTo(200);
            assertThat(taken.json().get("outputs").get(0).get("data").toString())
                    .isEqualTo("[3.0,5.0,7.0]");
        }
    }

    @Test
    void aConfigWithATypoIsRefusedInOneLine() throws Exception {
        Path repo = dir.resolve("repo");
        ServedModels.model(repo, "affine", BatchedHlo.AFFINE, "{\"max_batchsize\": 8}");
        NeuronException e = refusal(repo, Map.of());
        assertThat(e.status()).isEqualTo(Status.INVALID);
        assertThat(e.getMessage())
                .startsWith(
                        "read " + repo.resolve("affine/config.json") + " failed [INVALID]: unknown key 'max_batchsize'")
                .doesNotContain("\n");
    }

    @Test
    void aConfiguredBatchMustBeTheCompiledOne() throws Exception {
        Path repo = dir.resolve("repo");
        ServedModels.model(repo, "affine", BatchedHlo.AFFINE, "{\"max_batch_size\": 4}");
        assertThat(refusal(repo, Map.of()).getMessage())
                .contains("says max_batch_size 4 but the model is compiled for a batch of 8");
        // Its inputs differ in their first dimension (2 and 1): no batch.
        ServedModels.model(repo, "affine", ServedModels.TYPES, "{\"max_batch_size\": 2}");
        assertThat(refusal(repo, Map.of()).getMessage()).contains("turn batching off");
        // Nothing refused is left holding a core.
        assertThat(runtime.openResources()).isEmpty();
    }

    @Test
    void modelNamesCannotLeaveTheRepository() throws Exception {
        Path swap = Files.writeString(dir.resolve("swap.hlo.txt"), ServedModels.SWAP);
        NeuronException e = refusal(null, Map.of("../swap", swap));
        assertThat(e.status()).isEqualTo(Status.INVALID);
        assertThat(e.getMessage()).contains("a model name is 1 to 128 letters, digits");
    }

    @Test
    void aPortInUseIsAResourceRefusal() throws Exception {
        Path swap = Files.writeString(dir.resolve("swap.hlo.txt"), ServedModels.SWAP);
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            NeuronException e;
            try (InferenceServer s = InferenceServer.start(
                    runtime,
                    ServerOptions.defaults().withAddress("127.0.0.1", taken.getLocalPort()),
                    null,
                    Map.of("swap", swap))) {
                throw new AssertionError("started on a port in use: " + s);
            } catch (NeuronException refused) {
                e = refused;
            }
            assertThat(e.status()).isEqualTo(Status.RESOURCE);
            assertThat(e.getMessage()).contains("choose another --port");
            assertThat(runtime.openResources()).isEmpty();
        }
    }
}
