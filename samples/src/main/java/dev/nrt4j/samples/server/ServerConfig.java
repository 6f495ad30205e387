package dev.nrt4j.samples.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link InferenceServer} listens and what it accepts. Immutable; the {@code with…} methods
 * return changed copies.
 *
 * @param address where to listen; port 0 picks a free port
 * @param maxBodyBytes the largest request body accepted; larger ones are answered 413
 * @param workers threads handling requests (and so the most executions in flight)
 * @param queueCapacity requests waiting for a worker; beyond it the accepting thread handles the
 *     request itself, which slows accepting down instead of dropping connections
 * @param drainTimeout how long {@link InferenceServer#stop()} waits for requests in flight
 * @param shutdownHook whether to stop the server when the JVM exits (Ctrl-C, SIGTERM)
 */
public record ServerConfig(
        InetSocketAddress address,
        int maxBodyBytes,
        int workers,
        int queueCapacity,
        Duration drainTimeout,
        boolean shutdownHook) {
    /** 16 MiB: a batch of a few thousand float rows as JSON, many more as .npy. */
    public static final int DEFAULT_MAX_BODY_BYTES = 16 << 20;

    /** Checks the values. */
    public ServerConfig {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        if (maxBodyBytes < 1 || workers < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("maxBodyBytes, workers and queueCapacity must be positive, got "
                    + maxBodyBytes + ", " + workers + ", " + queueCapacity);
        }
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drainTimeout must not be negative, got " + drainTimeout);
        }
    }

    /** Port 8080 on every interface, 16 MiB bodies, 8 workers, 64 queued requests, 10 s to drain, a shutdown hook. */
    public static ServerConfig defaults() {
        return new ServerConfig(
                new InetSocketAddress(8080), DEFAULT_MAX_BODY_BYTES, 8, 64, Duration.ofSeconds(10), true);
    }

    /** This configuration listening on {@code a}. */
    public ServerConfig withAddress(InetSocketAddress a) {
        return new ServerConfig(a, maxBodyBytes, workers, queueCapacity, drainTimeout, shutdownHook);
    }

    /** This configuration accepting bodies of up to {@code n} bytes. */
    public ServerConfig withMaxBodyBytes(int n) {
        return new ServerConfig(address, n, workers, queueCapacity, drainTimeout, shutdownHook);
    }

    /** This configuration with {@code n} worker threads. */
    public ServerConfig withWorkers(int n) {
        return new ServerConfig(address, maxBodyBytes, n, queueCapacity, drainTimeout, shutdownHook);
    }

    /** This configuration with or without the JVM shutdown hook. */
    public ServerConfig withShutdownHook(boolean enabled) {
        return new ServerConfig(address, maxBodyBytes, workers, queueCapacity, drainTimeout, enabled);
    }

    /** This configuration giving requests in flight {@code d} to finish at stop. */
    public ServerConfig withDrainTimeout(Duration d) {
        return new ServerConfig(address, maxBodyBytes, workers, queueCapacity, d, shutdownHook);
    }
}
