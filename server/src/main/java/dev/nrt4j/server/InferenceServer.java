package dev.nrt4j.server;

import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.Status;
import dev.nrt4j.pool.ModelPool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An Open Inference Protocol (KServe v2) server over HTTP: health, server and model metadata, inference
 * with JSON or binary tensor data, Triton's model repository extension, and {@code /metrics}. Each model
 * is a {@link ModelPool} on the given runtime's cores.
 *
 * <p><b>Ownership:</b> {@link #start} loads the models and owns them; {@link #close()} unloads them. The
 * runtime stays the caller's and must outlive the server.
 *
 * <p><b>Thread-safety:</b> requests are served from Jetty's threads; {@link #close()} may be called from
 * any thread (a shutdown hook, say) and waits: readiness turns 503 at once, new inference requests are
 * refused with 503, those in flight finish (up to the drain timeout), then the listener stops and the
 * models are unloaded, freeing their cores. It logs one line when it starts and one when it stops.
 *
 * <p><b>Errors:</b> {@link #start} throws {@link NeuronException}: {@link Status#INVALID} for a bad model
 * name or a model that does not load, {@link Status#RESOURCE} when the port cannot be had.
 */
public final class InferenceServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(InferenceServer.class.getName());

    private final Server jetty;
    private final ModelRegistry registry;
    private final ServerMetrics metrics;
    private final ServerOptions options;
    private final NeuronRuntime runtime;
    private volatile boolean draining;
    private String stopLine;

    private InferenceServer(
            NeuronRuntime runtime, ServerOptions options, ModelRegistry registry, ServerMetrics metrics) {
        this.runtime = runtime;
        this.options = options;
        this.registry = registry;
        this.metrics = metrics;
        // Inference requests block a thread while they run; the rest never wait, so a pool larger than the
        // inference cap always has threads for health probes.
        QueuedThreadPool threads = new QueuedThreadPool(options.maxConcurrentInfers() + 32, 8);
        threads.setName("nrt4j-serve");
        threads.setDaemon(true);
        jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        http.setIdleTimeout(options.idleTimeout().toMillis());
        ServerConnector connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(options.host());
        connector.setPort(options.port());
        connector.setIdleTimeout(options.idleTimeout().toMillis());
        jetty.addConnector(connector);
        jetty.addBean(new NetworkConnectionLimit(options.maxConnections(), jetty));
        jetty.setErrorHandler(new JsonErrorHandler());
        // Tracks each request until its response is written, so that stopping waits for answers being sent.
        GracefulHandler graceful = new GracefulHandler(new V2Handler(registry, metrics, options, () -> draining));
        jetty.setHandler(graceful);
        jetty.setStopTimeout(options.drainTimeout().toMillis());
    }

    /**
     * Loads the models and starts listening.
     *
     * @param runtime where the models run; open, stays the caller's
     * @param options where to listen and the limits; not null
     * @param repository a model repository ({@code DIR/<name>/}) whose every model is loaded, or null
     * @param models models by name, by path (file or directory); not null, may be empty
     * @return the running server, which the caller closes
     * @throws NeuronException {@link Status#INVALID} for a bad name or a model that does not load,
     *     {@link Status#RESOURCE} when the port cannot be listened on
     */
    public static InferenceServer start(
            NeuronRuntime runtime, ServerOptions options, Path repository, Map<String, Path> models) {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(options, "options");
        ModelRegistry registry = new ModelRegistry(runtime, repository, models);
        ServerMetrics metrics = new ServerMetrics();
        registry.onRetire(metrics::retire);
        Map<String, NeuronException> failed = registry.loadAll();
        if (!failed.isEmpty()) {
            registry.close();
            if (failed.size() == 1) {
                throw failed.values().iterator().next();
            }
            Map.Entry<String, NeuronException> first =
                    failed.entrySet().iterator().next();
            throw new NeuronException(
                    first.getValue().status(),
                    "serve " + failed.size() + " models",
                    "models " + failed.keySet() + " failed to load; the first, '" + first.getKey() + "': "
                            + first.getValue().getMessage(),
                    first.getValue());
        }
        InferenceServer server = new InferenceServer(runtime, options, registry, metrics);
        try {
            server.jetty.start();
        } catch (Exception e) {
            registry.close();
            try {
                server.jetty.stop();
            } catch (Exception ignored) {
                // Already failed to start; the first failure is the one to report.
            }
            throw new NeuronException(
                    Status.RESOURCE,
                    "listen on " + options.host() + ":" + options.port(),
                    String.valueOf(e.getMessage()) + "; choose another --port or stop what holds it",
                    e);
        }
        LOG.log(
                System.Logger.Level.INFO,
                "nrt4j serve: listening on port " + server.port() + " (" + server.describeModels() + "), "
                        + runtime.backend().name() + " backend with "
                        + runtime.cores().size() + " cores");
        return server;
    }

    private String describeModels() {
        List<String> out = new ArrayList<>();
        registry.loaded()
                .forEach(e -> out.add(e.name() + " on cores " + e.pool().cores()
                        + (e.pool().maxBatch() > 0 ? " batch " + e.pool().maxBatch() : "")));
        out.sort(null);
        return out.isEmpty() ? "no models" : "models " + String.join(", ", out);
    }

    /** {@return the port it listens on (the one chosen when the options asked for 0)} */
    public int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    /** {@return whether it answers readiness probes with 200: started and not shutting down} */
    public boolean isReady() {
        return jetty.isStarted() && !draining;
    }

    /**
     * Blocks until the server has stopped (after {@link #close()}, from another thread).
     *
     * @throws InterruptedException if this thread is interrupted while waiting
     */
    public void join() throws InterruptedException {
        jetty.join();
    }

    /**
     * Shuts down, as {@link #shutdown()} does. Idempotent.
     */
    @Override
    public void close() {
        shutdown();
    }

    /**
     * Shuts down: readiness 503 and new inference requests refused, in-flight requests finished (up to the
     * drain timeout), the listener stopped, then every model unloaded. Logs its one line and returns it too,
     * for a caller in a shutdown hook, where {@code java.util.logging} may already be shut. Idempotent: a
     * later call returns the same line without doing anything.
     *
     * @return the stop line, e.g. {@code nrt4j serve: stopped on port 8000 (models mlp on cores [0]), every
     *     request finished; 2 cores freed}
     */
    public synchronized String shutdown() {
        if (stopLine != null) {
            return stopLine;
        }
        draining = true;
        int port = port();
        long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        while (metrics.inferring().get() > 0 && System.nanoTime() < deadline) {
            try {
                TimeUnit.MILLISECONDS.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int unfinished = metrics.inferring().get();
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "nrt4j serve: stopping the listener failed: " + e);
        }
        String models = describeModels();
        registry.close();
        stopLine = "nrt4j serve: stopped on port " + port + " (" + models + ")"
                + (unfinished > 0
                        ? ", " + unfinished + " requests still running at the drain timeout"
                        : ", every request finished")
                + "; " + runtime.cores().size() + " cores freed";
        LOG.log(System.Logger.Level.INFO, stopLine);
        return stopLine;
    }
}
