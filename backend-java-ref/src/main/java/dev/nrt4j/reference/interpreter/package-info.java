/**
 * The reference device's HLO interpreter: evaluates a type-checked {@link dev.nrt4j.hlo.HloModule} with
 * XLA CPU's numerics (bf16/f16 computed in f32 and rounded once, dot products accumulated in order with
 * fused multiply-add, reductions and windows folded in XLA's order).
 *
 * <p>{@link dev.nrt4j.reference.interpreter.Evaluator} walks a computation in instruction order and
 * dispatches each opcode through {@link dev.nrt4j.reference.interpreter.OpRegistry} to a small
 * per-family handler ({@code ElementwiseOps}, {@code DotOps}, {@code ReduceOps}, {@code ShapeOps}, ...).
 * Values are {@link dev.nrt4j.reference.interpreter.Array}s (or tuples of them) owned by the
 * evaluation that made them; an evaluator is shared by the executions of one loaded model, and each
 * execution carries its own {@link dev.nrt4j.reference.interpreter.EvaluationContext} (deadline,
 * cancellation, replica id and the rendezvous of its collectives). Before a value is allocated its
 * size is checked against the core's HBM and the free heap ({@code MemoryGuard}).
 *
 * <p>To add an op: give it a type rule in {@link dev.nrt4j.hlo.HloTypeChecker}, a handler in the
 * family class it belongs to, and its registration in {@code OpRegistry}; corpus cases or a
 * {@code *OpsTest} prove its numerics.
 */
package dev.nrt4j.reference.interpreter;
