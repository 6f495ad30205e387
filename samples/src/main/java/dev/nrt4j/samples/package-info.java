/**
 * Small programs on the public API, each runnable with {@code bin/nrt4j-sample NAME}: a first tensor,
 * MLP inference on one core, a tensor-parallel MLP over four cores, concurrent inference over every
 * core. They use only {@code dev.nrt4j} and show the ownership rules: every runtime, model and tensor
 * in a try-with-resources block.
 */
package dev.nrt4j.samples;
