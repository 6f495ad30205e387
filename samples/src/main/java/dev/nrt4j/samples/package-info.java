/**
 * Small programs on the public API, each runnable with {@code bin/nrt4j-sample NAME}: a first tensor,
 * MLP inference on one core, a tensor-parallel MLP over four cores, concurrent inference over every
 * core, and an application embedding the inference server ({@code dev.nrt4j.server}). They use only
 * the published API and show the ownership rules: every runtime, model and tensor is closed by its
 * owner, in a try-with-resources block or, for the server that runs until Ctrl-C, in a shutdown hook
 * that closes the server before the runtime.
 */
package dev.nrt4j.samples;
