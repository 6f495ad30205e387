/**
 * What a model source holds and where: {@link dev.nrt4j.artifacts.ModelArtifacts} resolves a
 * {@link dev.nrt4j.ModelSource} (a file, bytes in memory, or a directory) to its
 * {@link dev.nrt4j.artifacts.ModelFile}s, NEFF and HLO module, and is the only code that knows the
 * file names inside a model directory; {@link dev.nrt4j.artifacts.CompileCacheEntry} reads the
 * entries of Neuron's persistent compile cache. Nothing here writes.
 */
package dev.nrt4j.artifacts;
