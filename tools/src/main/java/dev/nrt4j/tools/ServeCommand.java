package dev.nrt4j.tools;

import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.Status;
import dev.nrt4j.server.InferenceServer;
import dev.nrt4j.server.ServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nrt4j serve [--port N] [--model-repository DIR] [NAME=MODEL ...]}: serves models over the Open
 * Inference Protocol (KServe v2 REST) until SIGTERM or SIGINT, which drain it: readiness turns 503, requests
 * in flight finish, then the cores are freed.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description =
                "Serve models over the Open Inference Protocol (KServe v2 REST, Triton-compatible) until SIGTERM.")
final class ServeCommand implements Callable<Integer> {
    /** Kept so that the levels set on them stay (java.util.logging holds loggers weakly). */
    private static final Logger JETTY_LOG = Logger.getLogger("org.eclipse.jetty");

    private static final Logger SERVER_LOG = Logger.getLogger(InferenceServer.class.getName());

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeSelection selection;

    @Option(
            names = "--port",
            paramLabel = "N",
            description = "TCP port to listen on (default ${DEFAULT-VALUE}; 0: any free port).",
            defaultValue = "8000")
    int port;

    @Option(
            names = "--host",
            paramLabel = "ADDRESS",
            description = "Interface to listen on (default ${DEFAULT-VALUE}).",
            defaultValue = "0.0.0.0")
    String host;

    @Option(
            names = "--model-repository",
            paramLabel = "DIR",
            description =
                    "Serve every DIR/<name>/ (a NEFF, an HLO module or a compile-cache entry, with an optional config.json).")
    Path repository;

    @Option(
            names = "--idle-timeout",
            paramLabel = "SECONDS",
            description = "Close a connection that sends or reads nothing this long, headers included (default 30,"
                    + " at most 30).")
    double idleTimeoutSeconds = ServerOptions.defaults().idleTimeout().toMillis() / 1000.0;

    @Option(
            names = "--max-connections",
            paramLabel = "N",
            description = "Connections open at once; past it the server accepts no more until one closes"
                    + " (default ${DEFAULT-VALUE}).")
    int maxConnections = ServerOptions.defaults().maxConnections();

    @Option(
            names = "--max-request-bytes",
            paramLabel = "BYTES",
            description =
                    "The largest request body, refused with 413 from its Content-Length (default ${DEFAULT-VALUE}).")
    long maxRequestBytes = ServerOptions.defaults().maxRequestBytes();

    @Option(
            names = "--max-concurrent-infers",
            paramLabel = "N",
            description = "Inference requests handled at once; more are answered 503 with Retry-After"
                    + " (default ${DEFAULT-VALUE}).")
    int maxConcurrentInfers = ServerOptions.defaults().maxConcurrentInfers();

    @Option(
            names = "--drain-timeout",
            paramLabel = "SECONDS",
            description = "At SIGTERM, how long requests in flight may take to finish (default 30).")
    double drainTimeoutSeconds = ServerOptions.defaults().drainTimeout().toMillis() / 1000.0;

    @Parameters(
            paramLabel = "NAME=MODEL",
            arity = "0..*",
            description = "A model to serve under NAME: a .neff, an HLO module or a model directory.")
    List<String> models = List.of();

    /**
     * The server options the command line asks for.
     *
     * @throws ParameterException for a port, limit or timeout out of range (exit status 2, with usage)
     */
    ServerOptions options() {
        try {
            return ServerOptions.defaults()
                    .withAddress(host, port)
                    .withIdleTimeout(seconds("--idle-timeout", idleTimeoutSeconds))
                    .withLimits(maxConnections, maxRequestBytes, maxConcurrentInfers)
                    .withDrainTimeout(seconds("--drain-timeout", drainTimeoutSeconds));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "serve: " + e.getMessage());
        }
    }

    private Duration seconds(String option, double value) {
        if (!(value >= 0) || value > 86_400) {
            throw new ParameterException(
                    spec.commandLine(), "serve: " + option + " must be 0 to 86400 seconds, got " + value);
        }
        return Duration.ofNanos(Math.round(value * 1e9));
    }

    @Override
    public Integer call() throws Exception {
        ServerOptions options = options();
        Map<String, Path> named = new LinkedHashMap<>();
        for (String m : models) {
            int eq = m.indexOf('=');
            if (eq <= 0 || eq == m.length() - 1) {
                throw new NeuronException(
                        Status.INVALID, "serve " + m, "give each model as NAME=MODEL, e.g. mlp=model.hlo.txt");
            }
            named.put(m.substring(0, eq), Path.of(m.substring(eq + 1)));
        }
        if (repository != null && !Files.isDirectory(repository)) {
            throw new NeuronException(Status.INVALID, "serve --model-repository " + repository, "no such directory");
        }
        if (repository == null && named.isEmpty()) {
            throw new NeuronException(Status.INVALID, "serve", "no models: give --model-repository DIR or NAME=MODEL");
        }
        // Jetty's own start-up lines would crowd out the server's one line; its warnings still show.
        JETTY_LOG.setLevel(Level.WARNING);
        CountDownLatch stopped = new CountDownLatch(1);
        NeuronRuntime runtime = NeuronRuntime.open(selection.toOptions());
        InferenceServer server;
        try {
            server = InferenceServer.start(runtime, options, repository, named);
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
        // SIGTERM and SIGINT run shutdown hooks: drain, unload, free the cores, then let the JVM exit.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                // java.util.logging shuts down in a hook of its own, which may run first: the stop line
                                // is
                                // printed here, and the logger, which may or may not still print, is quietened.
                                SERVER_LOG.setLevel(Level.WARNING);
                                String line = server.shutdown();
                                runtime.close();
                                spec.commandLine().getErr().println(line);
                                spec.commandLine().getErr().flush();
                            } finally {
                                stopped.countDown();
                            }
                        },
                        "nrt4j-serve-shutdown"));
        stopped.await();
        return 0;
    }
}
