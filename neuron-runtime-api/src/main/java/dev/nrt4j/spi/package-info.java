/**
 * The backend SPI: what a backend implements so that {@link dev.nrt4j.NeuronRuntime} can run on it.
 *
 * <p>Applications do not use this package. A backend registers a {@link dev.nrt4j.spi.BackendProvider}
 * in {@code META-INF/services/dev.nrt4j.spi.BackendProvider}; the provider class must load on
 * Java 17 (a backend that needs a newer JDK delegates from a Java 17 class, so that the
 * {@link java.util.ServiceLoader} never meets a class it cannot load).
 *
 * <p>The API layer checks arguments, bounds, open/closed state and names before it calls a handle,
 * serialises a handle's release against its uses, and frees what users forget. Handles can therefore
 * assume valid arguments and no use after release, and only report faults the backend itself finds
 * (device memory full, a corrupt model) as {@link dev.nrt4j.NeuronException}s.
 */
package dev.nrt4j.spi;
