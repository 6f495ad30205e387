/**
 * {@code nrt4j serve}: the Open Inference Protocol (KServe v2 REST, with Triton's binary tensor data
 * and model repository extensions) over HTTP, serving {@link dev.nrt4j.pool.ModelPool}s on Jetty.
 * {@link dev.nrt4j.server.InferenceServer} is the server, embeddable in an application;
 * {@link dev.nrt4j.server.ServerOptions} sets its port, limits and timeouts.
 */
package dev.nrt4j.server;
