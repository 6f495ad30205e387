package dev.nrt4j.tools.monitor;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code monitor --prometheus-port}'s HTTP server: {@code GET /metrics} answers the current exposition in
 * the Prometheus text format; any other path is 404, any other method 405. Jetty, in its own class so that
 * only a monitor that serves Prometheus loads it. Thread-safe; close it to stop listening.
 */
final class PrometheusEndpoint implements AutoCloseable {
    private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * Jetty logs through slf4j to java.util.logging: its start-up lines, and a stack trace when the port is
     * taken, would crowd out the monitor's one line. Kept here since java.util.logging holds loggers weakly.
     */
    private static final Logger JETTY_LOG = Logger.getLogger("org.eclipse.jetty");

    private final Server jetty;

    private PrometheusEndpoint(Server jetty) {
        this.jetty = jetty;
    }

    /**
     * Listens on {@code host:port}.
     *
     * @param port 0 for any free port
     * @param exposition called for each scrape
     * @throws NeuronException {@link Status#RESOURCE} when the address cannot be listened on (port in use,
     *     no such interface), {@link Status#INVALID} for a host name that does not resolve
     */
    static PrometheusEndpoint start(String host, int port, Supplier<String> exposition) {
        JETTY_LOG.setLevel(Level.SEVERE);
        // Scrapes are short and rare: a small pool, daemon threads so that the monitor's end ends them.
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("nrt4j-monitor-prometheus");
        threads.setDaemon(true);
        Server jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        jetty.addConnector(connector);
        jetty.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = Request.getPathInContext(request);
                if (!path.equals("/metrics")) {
                    send(response, callback, 404, "only /metrics is served here\n");
                } else if (!request.getMethod().equals("GET")
                        && !request.getMethod().equals("HEAD")) {
                    response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                    send(response, callback, 405, "use GET\n");
                } else {
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, TEXT_FORMAT);
                    send(response, callback, 200, exposition.get());
                }
                return true;
            }
        });
        try {
            jetty.start();
        } catch (Exception e) {
            try {
                jetty.stop();
            } catch (Exception ignored) {
                // Already failed to start; the first failure is the one to report.
            }
            String why = e instanceof BindException || e.getCause() instanceof BindException
                    ? "the port is in use or the address is not this host's (" + e.getMessage() + ")"
                    : e.getMessage() == null || e.getMessage().isBlank()
                            ? "the address cannot be listened on"
                            : e.getMessage();
            throw new NeuronException(
                    Status.RESOURCE,
                    "serve Prometheus metrics on " + host + ":" + port,
                    why + "; choose another --prometheus-port or --prometheus-bind, or stop what holds it");
        }
        return new PrometheusEndpoint(jetty);
    }

    private static void send(Response response, Callback callback, int status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        if (!response.getHeaders().contains(HttpHeader.CONTENT_TYPE)) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /** {@return the port it listens on (the one chosen when asked for 0)} */
    int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    /** Stops listening; scrapes in progress are cut. */
    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            // Stopping a server that answers only scrapes cannot lose anything worth a failure.
        }
    }
}
