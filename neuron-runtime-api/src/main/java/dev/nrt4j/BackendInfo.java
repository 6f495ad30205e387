package dev.nrt4j;

import java.util.Objects;

/**
 * What a runtime runs on: the backend's name and version, the instance type it found (or imitates)
 * and the logical core size in force. Immutable and thread-safe.
 */
public final class BackendInfo {
    private final String name;
    private final String version;
    private final String instanceType;
    private final int lnc;
    private final String detail;

    /**
     * @param name backend name, e.g. {@code reference}
     * @param version backend or runtime library version
     * @param instanceType e.g. {@code trn1.2xlarge}, or {@code unknown}
     * @param lnc physical cores per logical core
     * @param detail one line on where it runs, e.g. the library path
     */
    public BackendInfo(String name, String version, String instanceType, int lnc, String detail) {
        this.name = Objects.requireNonNull(name, "name");
        this.version = Objects.requireNonNull(version, "version");
        this.instanceType = Objects.requireNonNull(instanceType, "instanceType");
        this.lnc = lnc;
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    /** The backend's name, e.g. {@code reference} or {@code native}. */
    public String name() {
        return name;
    }

    /** The backend's version (for the native backend, the libnrt version). */
    public String version() {
        return version;
    }

    /** The instance type found or imitated, e.g. {@code trn1.2xlarge}, or {@code unknown}. */
    public String instanceType() {
        return instanceType;
    }

    /** Physical NeuronCores per logical core (1 or 2). */
    public int lnc() {
        return lnc;
    }

    /** One line on where it runs, e.g. the library path or the simulated machine. */
    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return name + " " + version + " (" + instanceType + ", LNC=" + lnc + "): " + detail;
    }
}
