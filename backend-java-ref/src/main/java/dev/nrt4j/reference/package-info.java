/**
 * The reference device: a pure-Java Neuron runtime that imitates any instance type of the device
 * model — its devices, logical NeuronCores, LNC grouping and HBM stacks — so that programs written
 * against {@link dev.nrt4j.NeuronRuntime} run and can be tested on any machine.
 *
 * <p>Applications do not use this package directly; they put the module on the class path and
 * choose it with {@code -Dnrt4j.backend=reference} (or get it when no hardware is present).
 */
package dev.nrt4j.reference;
