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
     * Describes a backend; backends build one when they open.
     *
     * @param name backend name, e.g. {@code reference}; not null
     * @param version backend or runtime library version; not null
     * @param instanceType e.g. {@code trn1.2xlarge}, or {@code unknown}; not null
     * @param lnc physical cores per logical core (1 or 2)
     * @param detail one line on where it runs, e.g. the library path; not null
     * @throws NullPointerException if a string argument is null
     */
    public BackendInfo(String name, String version, String instanceType, int lnc, String detail) {
        this.name = Objects.requireNonNull(name, "name");
        this.version = Objects.requireNonNull(version, "version");
        this.instanceType = Objects.requireNonNull(instanceType, "instanceType");
        this.lnc = lnc;
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    /** {@return the backend's name, e.g. {@code reference} or {@code native}} */
    public String name() {
        return name;
    }

    /** {@return the backend's version (for the native backend, the libnrt version)} */
    public String version() {
        return version;
    }

    /** {@return the instance type found or imitated, e.g. {@code trn1.2xlarge}, or {@code unknown}} */
    public String instanceType() {
        return instanceType;
    }

    /** {@return the number of physical NeuronCores per logical core (1 or 2)} */
    public int lnc() {
        return lnc;
    }

    /** {@return one line on where it runs, e.g. the library path or the simulated machine} */
    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return name + " " + version + " (" + instanceType + ", LNC=" + lnc + "): " + detail;
    }
}
