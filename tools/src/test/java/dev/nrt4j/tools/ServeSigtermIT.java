package dev.nrt4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.artifacts.ModelArtifacts;
import dev.nrt4j.testsupport.BatchedHlo;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nrt4j serve} from the shaded jar, stopped with SIGTERM while 8 clients keep it busy: readiness
 * turns 503 first, requests in flight finish with 200, later ones get 503 or find the port closed (never a
 * connection cut mid-answer), and the process logs its stop line and exits.
 */
class ServeSigtermIT {
    private static final String REQUEST =
            "{\"inputs\": [{\"name\": \"input0\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}";

    @TempDir
    Path dir;

    @Test
    void sigtermUnderLoadDrainsThenStops() throws Exception {
        Path model = Files.createDirectories(dir.resolve("repo/affine"));
        // y = 2x + 1 on a batch of 8 rows; batches wait up to 300 ms to fill, so requests are always in flight.
        Files.writeString(model.resolve(ModelArtifacts.HLO_TEXT), BatchedHlo.AFFINE);
        Files.writeString(
                model.resolve("config.json"),
                "{\"max_batch_size\": 8, \"dynamic_batching\": {\"max_queue_delay_microseconds\": 300000}}");
        Path jar = Path.of(System.getProperty("basedir", "."))
                .resolve("target/nrt4j.jar")
                .toAbsolutePath();
        Path err = dir.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElseThrow(),
                        "-jar",
                        jar.toString(),
                        "serve",
                        "--backend=reference",
                        "--state-dir",
                        dir.resolve("state").toString(),
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "0",
                        "--model-repository",
                        dir.resolve("repo").toString())
                .redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(err.toFile());
        pb.environment()
                .keySet()
                .removeIf(k -> k.startsWith("NEURON_") || k.startsWith("NRT4J_") || k.equals("XDG_RUNTIME_DIR"));
        Process server = pb.start();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            int port = portFrom(err, server);
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            String base = "http://127.0.0.1:" + port;
            AtomicBoolean stopping = new AtomicBoolean();
            AtomicInteger okAfterSigterm = new AtomicInteger();
            List<Future<List<String>>> load = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                load.add(clients.submit(() -> {
                    List<String> odd = new ArrayList<>();
                    while (true) {
                        HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/v2/models/affine/infer"))
                                .timeout(Duration.ofSeconds(30))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(REQUEST))
                                .build();
                        boolean sentWhileStopping = stopping.get();
                        try {
                            HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
                            if (resp.statusCode() == 200) {
                                if (stopping.get() && !sentWhileStopping) {
                                    okAfterSigterm.incrementAndGet();
                                }
                                if (!resp.body().contains("\"data\":[3.0,5.0,7.0]")) {
                                    odd.add("wrong answer " + resp.body());
                                }
                            } else if (resp.statusCode() == 503) {
                                if (!stopping.get() || !resp.body().startsWith("{\"error\":")) {
                                    odd.add("503 " + resp.body());
                                }
                            } else {
                                odd.add(resp.statusCode() + " " + resp.body());
                            }
                        } catch (ConnectException e) {
                            // The listener has closed: the end of the drain.
                            if (!stopping.get()) {
                                odd.add("connection refused before SIGTERM");
                            }
                            return odd;
                        } catch (IOException e) {
                            // Sent after SIGTERM, a request may meet a connection the stopping server closes, as
                            // it may meet a closed listener; one in flight at SIGTERM must be answered.
                            if (!sentWhileStopping) {
                                odd.add("a request sent before SIGTERM failed mid-request: " + e);
                            }
                            return odd;
                        }
                    }
                }));
            }
            // Let the load run, then stop the server the way a container runtime does.
            Thread.sleep(1500);
            assertThat(get(http, base + "/v2/health/ready")).isEqualTo(200);
            stopping.set(true);
            server.destroy();
            // Readiness answers 503 while the in-flight requests drain, before the listener closes.
            int ready = 200;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ready == 200 && System.nanoTime() < until) {
                ready = get(http, base + "/v2/health/ready");
            }
            assertThat(ready).as("readiness after SIGTERM").isEqualTo(503);
            for (Future<List<String>> f : load) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEmpty();
            }
            assertThat(okAfterSigterm.get())
                    .as("requests in flight at SIGTERM that finished with 200")
                    .isPositive();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String log = Files.readString(err, StandardCharsets.UTF_8);
            assertThat(log)
                    .contains("nrt4j serve: stopped on port " + port
                            + " (models affine on cores [0] batch 8), every request finished;")
                    .contains("cores freed")
                    .doesNotContain("Exception");
        } finally {
            clients.shutdownNow();
            server.destroyForcibly().waitFor();
        }
    }

    /** The status of a GET, or -1 once the port is closed. */
    private static int get(HttpClient http, String url) throws InterruptedException {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Waits for the start line on stderr and reads the port from it. */
    private static int portFrom(Path err, Process server) throws Exception {
        Pattern started = Pattern.compile("nrt4j serve: listening on port (\\d+)");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < until) {
            Matcher m = started.matcher(Files.readString(err, StandardCharsets.UTF_8));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            assertThat(server.isAlive())
                    .as("nrt4j serve is running; stderr: %s", Files.readString(err))
                    .isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("nrt4j serve did not start in 2 minutes; stderr: " + Files.readString(err));
    }
}
