/**
 * Serving a model on several NeuronCores at once: a {@link dev.nrt4j.pool.ModelPool} loads one instance
 * per chosen core, hands each request to an idle instance, and can group concurrent small requests into
 * the batch a statically shaped model was compiled for. {@link dev.nrt4j.pool.PoolOptions} says where and
 * how; {@link dev.nrt4j.pool.PoolStats} counts what it did.
 */
package dev.nrt4j.pool;
