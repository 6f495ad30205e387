package dev.nrt4j.samples.server;

import dev.nrt4j.samples.models.MlpModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The models and settings the server tests share, and a plain JDK HTTP client. */
final class ServerFixtures {
    /** Served as "mlp": f32[2, 8] → f32[2, 3]. */
    static final MlpModel MLP = MlpModel.of(8, 16, 3, 5);

    static final int BATCH = 2;
    /** Served as "pair": two f32[3] inputs, their sum and product as two outputs. */
    static final String PAIR = String.join(
            "\n",
            "HloModule pair",
            "ENTRY pair {",
            "  a = f32[3] parameter(0)",
            "  b = f32[3] parameter(1)",
            "  s = f32[3] add(a, b)",
            "  p = f32[3] multiply(a, b)",
            "  ROOT t = (f32[3], f32[3]) tuple(s, p)",
            "}",
            "");
    /** Small enough that a test can send a body over it cheaply. */
    static final int MAX_BODY = 64 << 10;

    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private ServerFixtures() {}

    static Map<String, Path> programs(Path dir) {
        try {
            Map<String, Path> m = new LinkedHashMap<>();
            m.put("mlp", MLP.writeHlo(dir, "mlp", BATCH));
            m.put("pair", Files.writeString(dir.resolve("pair.hlo.txt"), PAIR));
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ServerConfig config() {
        return ServerConfig.defaults()
                .withAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withMaxBodyBytes(MAX_BODY)
                .withWorkers(4)
                .withShutdownHook(false)
                .withDrainTimeout(Duration.ofSeconds(10));
    }

    static HttpResponse<String> get(InferenceServer server, String path) throws IOException, InterruptedException {
        return CLIENT.send(
                HttpRequest.newBuilder(uri(server, path))
                        .timeout(Duration.ofSeconds(20))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(InferenceServer server, String path, String contentType, byte[] body)
            throws IOException, InterruptedException {
        return CLIENT.send(
                HttpRequest.newBuilder(uri(server, path))
                        .timeout(Duration.ofSeconds(20))
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static URI uri(InferenceServer server, String path) {
        return server.uri().resolve(path);
    }
}
