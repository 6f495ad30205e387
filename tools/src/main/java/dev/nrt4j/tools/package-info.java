/**
 * The {@code nrt4j} command line ({@link dev.nrt4j.tools.Nrt4jCommand}, picocli): one class per
 * subcommand ({@code info}, {@code backends}, {@code instance-types}, {@code run}, {@code inspect},
 * {@code conformance}; {@code ls}, {@code top}, {@code monitor} and {@code bench} in subpackages,
 * {@code machine} for what they read) and what they share: backend selection, output file names made
 * safe, and the one-line failure message every command prints instead of a stack trace.
 */
package dev.nrt4j.tools;
