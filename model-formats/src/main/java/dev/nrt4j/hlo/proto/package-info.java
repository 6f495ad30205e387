/**
 * XLA's {@code HloModuleProto} (plain, wrapped in an {@code HloProto}, or gzipped) to and from the
 * {@link dev.nrt4j.hlo} IR: {@link dev.nrt4j.hlo.proto.HloProtoReader} reads bounded input and
 * converts it, {@link dev.nrt4j.hlo.proto.HloProtoWriter} writes a module XLA can load. One set of
 * converter tables (element types, literals, enum attributes) serves both directions. Damaged or
 * hostile input fails with {@link dev.nrt4j.NeuronException} of status
 * {@link dev.nrt4j.Status#INVALID}; readers and writers keep no state between calls.
 */
package dev.nrt4j.hlo.proto;
