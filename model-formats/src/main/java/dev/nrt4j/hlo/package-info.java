/**
 * The HLO intermediate representation nrt4j reads: an immutable {@link dev.nrt4j.hlo.HloModule} of
 * {@link dev.nrt4j.hlo.HloComputation}s whose {@link dev.nrt4j.hlo.HloInstruction}s carry their
 * {@link dev.nrt4j.hlo.HloOpcode}, {@link dev.nrt4j.hlo.HloShape} and attributes, and the
 * {@link dev.nrt4j.hlo.HloSignature} a loaded model presents. {@code HloOpcode} is the one vocabulary of
 * what an instruction can be: readers refuse any other name, and the type checker and interpreters key
 * their rules and kernels by it.
 *
 * <p>Both readers ({@code hlo.proto} for HloModuleProto, {@code hlo.text} for HLO text) build modules
 * through {@link dev.nrt4j.hlo.HloModuleAssembler}, the one home of the graph checks (a reader only
 * says where a {@link dev.nrt4j.hlo.GraphSite} is in its input), which also runs
 * {@link dev.nrt4j.hlo.HloTypeChecker}; and both expand replica groups through
 * {@link dev.nrt4j.hlo.ReplicaGroups}, under one set of limits. So every module a caller holds is
 * well-formed and well-typed, and a program that is not fails with {@link dev.nrt4j.NeuronException}
 * of status {@link dev.nrt4j.Status#INVALID} naming the instruction. Modules are immutable and may be
 * shared between threads.
 */
package dev.nrt4j.hlo;
