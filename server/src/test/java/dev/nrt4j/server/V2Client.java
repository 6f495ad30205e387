package dev.nrt4j.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client of the Open Inference Protocol written from the KServe v2 and Triton extension documents, not
 * from the server's classes: plain JSON trees, and the binary extension's framing done by hand.
 */
final class V2Client {
    static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    V2Client(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /**
     * A response.
     *
     * @param status the HTTP status
     * @param body the raw body
     * @param headers the response headers
     */
    record Reply(int status, byte[] body, java.net.http.HttpHeaders headers) {
        JsonNode json() {
            return JSON.readTree(body);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The JSON part of a binary-extension response. */
        JsonNode header() {
            int n = Integer.parseInt(
                    headers.firstValue("Inference-Header-Content-Length").orElseThrow());
            return JSON.readTree(Arrays.copyOfRange(body, 0, n));
        }

        /** The bytes after the JSON part. */
        byte[] binary() {
            int n = Integer.parseInt(
                    headers.firstValue("Inference-Header-Content-Length").orElseThrow());
            return Arrays.copyOfRange(body, n, body.length);
        }
    }

    Reply get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build());
    }

    Reply post(String path, String json, String... headers) throws IOException, InterruptedException {
        return post(path, json.getBytes(StandardCharsets.UTF_8), headers);
    }

    Reply post(String path, byte[] body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build());
    }

    private Reply send(HttpRequest r) throws IOException, InterruptedException {
        HttpResponse<byte[]> resp = http.send(r, HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(resp.statusCode(), resp.body(), resp.headers());
    }
}
