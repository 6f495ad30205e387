package dev.nrt4j.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/**
 * A load generator for a running {@code nrt4j serve}: N clients each send JSON inference requests of one
 * FP32 tensor back to back for a while, then it prints requests per second and latency percentiles. Only
 * the JDK, so it runs as a source file:
 * {@code java server/src/test/java/dev/nrt4j/server/LoadGenerator.java URL MODEL INPUT ROWS WIDTH CLIENTS SECONDS}.
 * A measuring tool, not a test.
 */
public final class LoadGenerator {
    private LoadGenerator() {}

    /**
     * Runs the load and prints one summary line.
     *
     * @param args base URL, model name, input name, rows per request, row width, clients, seconds
     * @throws Exception if a client fails to send
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: LoadGenerator URL MODEL INPUT ROWS WIDTH CLIENTS SECONDS");
            System.exit(2);
        }
        String url = args[0] + "/v2/models/" + args[1] + "/infer";
        int rows = Integer.parseInt(args[3]);
        int width = Integer.parseInt(args[4]);
        int clients = Integer.parseInt(args[5]);
        long seconds = Long.parseLong(args[6]);
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < rows * width; i++) {
            data.append(i == 0 ? "" : ",").append((i % 7) * 0.125);
        }
        String body = "{\"inputs\": [{\"name\": \"" + args[2] + "\", \"shape\": [" + rows + ", " + width
                + "], \"datatype\": \"FP32\", \"data\": [" + data
                + "]}], \"parameters\": {\"binary_data_output\": true}}";
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        // Warm-up: the server's and this JVM's code paths, not measured.
        long warm = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < warm) {
            http.send(request, HttpResponse.BodyHandlers.discarding());
        }
        LongAdder errors = new LongAdder();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<long[]>> results = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            results.add(pool.submit(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                while (System.nanoTime() < end) {
                    long t = System.nanoTime();
                    HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() != 200) {
                        errors.increment();
                        continue;
                    }
                    if (n == lat.length) {
                        lat = Arrays.copyOf(lat, n * 2);
                    }
                    lat[n++] = System.nanoTime() - t;
                }
                return Arrays.copyOf(lat, n);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : results) {
            all.add(f.get());
        }
        double wall = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        long[] lat = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.printf(
                "%d clients, %d rows per request: %.0f requests/s, p50 %.1f ms, p99 %.1f ms, %d errors, %d requests in %.1f s%n",
                clients, rows, lat.length / wall, pct(lat, 0.50), pct(lat, 0.99), errors.sum(), lat.length, wall);
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0
                ? Double.NaN
                : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }
}
