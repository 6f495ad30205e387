/**
 * The sample inference server: models served over HTTP (JSON and {@code .npy} bodies), with health and
 * Prometheus metrics endpoints, one runtime shared by the request threads.
 */
package dev.nrt4j.samples.server;
