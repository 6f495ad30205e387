/**
 * Running models against independent expected outputs: corpus cases ({@code case.json} with its
 * inputs and expected {@code .npy} outputs), output comparison with XLA's tolerances and bounded known
 * failures, differential runs of one case on several backends, and the reports (JSON and JUnit XML)
 * that {@code nrt4j conformance} writes. The runtime contract itself, the rules every backend must
 * keep, is in {@link dev.nrt4j.conformance.contract}.
 */
package dev.nrt4j.conformance;
