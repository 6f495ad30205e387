package dev.nrt4j.nativert.binding;

/**
 * libnrt's {@code nrt_instance_info_t}: the instance family and size codes of nrt.h's anonymous
 * enums, plus the architecture name and device revision of newer runtimes (empty on older ones,
 * which fill only the first 8 bytes). Immutable.
 *
 * @param family {@code NRT_INSTANCE_*} code, e.g. 2 for trn1
 * @param size {@code NRT_INSTANCE_SIZE_*} code, e.g. 1 for 2xlarge
 * @param archName {@code arch_name}
 * @param deviceRevision {@code device_revision}
 */
public record InstanceInfo(int family, int size, String archName, String deviceRevision) {}
