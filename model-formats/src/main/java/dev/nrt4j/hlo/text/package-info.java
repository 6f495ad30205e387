/**
 * The HLO text reader: {@link dev.nrt4j.hlo.text.HloTextParser} turns XLA's textual module format
 * ({@code *.hlo.txt}, {@code HloModule::ToString()}) into the immutable IR of {@link dev.nrt4j.hlo}.
 *
 * <p>Text is a convenience for hand-written test modules and small dumps: XLA's default printing
 * elides every constant of more than ten elements as {@code {...}}, which this reader refuses; the
 * lossless input is the {@code .hlo_module.pb}. Every failure is a
 * {@link dev.nrt4j.NeuronException} of status {@link dev.nrt4j.Status#INVALID} whose message starts
 * with the {@code line:column} of the problem.
 */
package dev.nrt4j.hlo.text;
