/**
 * NumPy's {@code .npy} format (versions 1.0 to 3.0, both byte orders, C and Fortran order):
 * {@link dev.nrt4j.npy.Npy} reads a file or stream into a {@link dev.nrt4j.HostTensor},
 * {@link dev.nrt4j.npy.NpyWriter} writes one. Headers are parsed as the restricted Python literal the
 * format allows, never evaluated; damaged input fails with {@link dev.nrt4j.NeuronException} of status
 * {@link dev.nrt4j.Status#INVALID}, quoting the offending bytes with control characters escaped.
 */
package dev.nrt4j.npy;
