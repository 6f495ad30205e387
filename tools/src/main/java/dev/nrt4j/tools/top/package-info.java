/**
 * {@code nrt4j top}: neuron-top for nrt4j. {@link dev.nrt4j.tools.top.TopCommand} reads the machine twice,
 * a frame ({@code TopFrame}) holds what the two readings show, a renderer lays it out as text, and either
 * {@code --once} prints that or the JLine screen ({@code TopScreen}) keeps redrawing it.
 */
package dev.nrt4j.tools.top;
