/**
 * JMH benchmarks of nrt4j: the reference device on the shared performance workloads and the native
 * binding's call and copy costs. Run from {@code benchmarks/target/benchmarks.jar}; not part of the
 * test run, and speed is compared only with a yardstick measured in the same run.
 */
package dev.nrt4j.benchmarks;
