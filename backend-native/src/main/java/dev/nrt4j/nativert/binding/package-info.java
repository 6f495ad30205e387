/**
 * libnrt's C API as one Java interface, {@link dev.nrt4j.nativert.binding.LibNrt}, with two
 * implementations: FFM on Java 22+ (in the jar's {@code META-INF/versions/22}, reached through the
 * Java 17 facade {@link dev.nrt4j.nativert.binding.FfmBinding}) and JNA direct mapping on Java 17+.
 * {@link dev.nrt4j.nativert.binding.Bindings} chooses one. Internal to nrt4j; struct layouts and enum
 * values follow {@code shared/research/nrt-api.md}.
 */
package dev.nrt4j.nativert.binding;
