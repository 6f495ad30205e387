/** {@code nrt4j bench}: latency and throughput of a model, in the spirit of trtexec and onnxruntime_perf_test. */
package dev.nrt4j.tools.bench;
