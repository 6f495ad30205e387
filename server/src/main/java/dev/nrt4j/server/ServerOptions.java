package dev.nrt4j.server;

import java.time.Duration;
import java.util.Objects;

/**
 * Where an {@link InferenceServer} listens and the limits that keep it answering under load and attack:
 * the idle timeout (a connection that sends or reads nothing for this long is closed, headers included),
 * the connection cap, the largest request body (refused with 413 from its {@code Content-Length} before
 * it is read), how many inference requests run at once (more are answered 503 with {@code Retry-After}),
 * and how long shutting down waits for requests in flight. Immutable and thread-safe; each {@code with}
 * method returns a new instance.
 */
public final class ServerOptions {
    private final String host;
    private final int port;
    private final Duration idleTimeout;
    private final int maxConnections;
    private final long maxRequestBytes;
    private final int maxConcurrentInfers;
    private final Duration drainTimeout;

    private ServerOptions(
            String host,
            int port,
            Duration idleTimeout,
            int maxConnections,
            long maxRequestBytes,
            int maxConcurrentInfers,
            Duration drainTimeout) {
        this.host = host;
        this.port = port;
        this.idleTimeout = idleTimeout;
        this.maxConnections = maxConnections;
        this.maxRequestBytes = maxRequestBytes;
        this.maxConcurrentInfers = maxConcurrentInfers;
        this.drainTimeout = drainTimeout;
    }

    /**
     * The defaults: all interfaces, port 8000 (Triton's HTTP port), a 30 s idle timeout, 1024 connections,
     * 64 MiB bodies, 64 inference requests at once, 30 s to drain.
     *
     * @return the default options
     */
    public static ServerOptions defaults() {
        return new ServerOptions("0.0.0.0", 8000, Duration.ofSeconds(30), 1024, 64L << 20, 64, Duration.ofSeconds(30));
    }

    /**
     * Listens on this interface and port.
     *
     * @param host the interface to listen on, e.g. {@code 127.0.0.1}; not null
     * @param port the TCP port, 0 for any free one (see {@link InferenceServer#port()}), at most 65535
     * @return new options listening there
     * @throws IllegalArgumentException for a port out of range
     */
    public ServerOptions withAddress(String host, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
        }
        return new ServerOptions(
                Objects.requireNonNull(host, "host"),
                port,
                idleTimeout,
                maxConnections,
                maxRequestBytes,
                maxConcurrentInfers,
                drainTimeout);
    }

    /**
     * Closes connections idle this long.
     *
     * @param idleTimeout how long a connection may send or read nothing, 1 ms to 30 s; not null
     * @return new options with that timeout
     * @throws IllegalArgumentException outside that range: a longer one lets idle connections pile up
     */
    public ServerOptions withIdleTimeout(Duration idleTimeout) {
        if (idleTimeout.toMillis() < 1 || idleTimeout.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new IllegalArgumentException(
                    "the idle timeout must be 1 ms to 30 s, got " + idleTimeout.toMillis() + " ms");
        }
        return new ServerOptions(
                host, port, idleTimeout, maxConnections, maxRequestBytes, maxConcurrentInfers, drainTimeout);
    }

    /**
     * Sets the connection cap, the largest body and the inference concurrency.
     *
     * @param maxConnections connections open at once, 1 or more; past it the server stops accepting until one closes
     * @param maxRequestBytes the largest request body, 1 or more
     * @param maxConcurrentInfers inference requests handled at once, 1 or more
     * @return new options with those limits
     * @throws IllegalArgumentException if a limit is less than 1
     */
    public ServerOptions withLimits(int maxConnections, long maxRequestBytes, int maxConcurrentInfers) {
        if (maxConnections < 1 || maxRequestBytes < 1 || maxConcurrentInfers < 1) {
            throw new IllegalArgumentException("limits must be 1 or more, got " + maxConnections + " connections, "
                    + maxRequestBytes + " bytes, " + maxConcurrentInfers + " concurrent inferences");
        }
        return new ServerOptions(
                host, port, idleTimeout, maxConnections, maxRequestBytes, maxConcurrentInfers, drainTimeout);
    }

    /**
     * Waits this long for requests in flight when shutting down.
     *
     * @param drainTimeout how long {@link InferenceServer#close()} waits for requests in flight, 0 or more; not null
     * @return new options with that wait
     * @throws IllegalArgumentException if negative
     */
    public ServerOptions withDrainTimeout(Duration drainTimeout) {
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException(
                    "the drain timeout must be 0 or more, got " + drainTimeout.toMillis() + " ms");
        }
        return new ServerOptions(
                host, port, idleTimeout, maxConnections, maxRequestBytes, maxConcurrentInfers, drainTimeout);
    }

    /** {@return the interface listened on} */
    public String host() {
        return host;
    }

    /** {@return the port asked for (0: any free one)} */
    public int port() {
        return port;
    }

    /** {@return the idle timeout} */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** {@return the connection cap} */
    public int maxConnections() {
        return maxConnections;
    }

    /** {@return the largest request body in bytes} */
    public long maxRequestBytes() {
        return maxRequestBytes;
    }

    /** {@return how many inference requests are handled at once} */
    public int maxConcurrentInfers() {
        return maxConcurrentInfers;
    }

    /** {@return how long closing waits for requests in flight} */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    @Override
    public String toString() {
        return host + ":" + port + ", idle timeout " + idleTimeout.toMillis() + " ms, " + maxConnections
                + " connections, " + maxRequestBytes + " bytes per request, " + maxConcurrentInfers
                + " concurrent inferences";
    }
}
