/**
 * The generator of the repository's {@code examples/} folder: example models as corpus cases, with
 * expected outputs computed by plain float loops on the host.
 */
package dev.nrt4j.samples.examples;
