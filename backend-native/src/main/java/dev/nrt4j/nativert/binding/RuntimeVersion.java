package dev.nrt4j.nativert.binding;

/**
 * libnrt's {@code nrt_version_t}: the runtime library's product version (e.g. 2.30.50.0), which
 * decides, among other things, how {@code nrt_dtype_t} is numbered. Immutable.
 *
 * @param major {@code rt_major}
 * @param minor {@code rt_minor}
 * @param patch {@code rt_patch}
 * @param maintenance {@code rt_maintenance}
 * @param detail {@code rt_detail}
 * @param gitHash {@code git_hash}
 */
public record RuntimeVersion(long major, long minor, long patch, long maintenance, String detail, String gitHash) {
    /** Whether this version is at least {@code major.minor}. */
    public boolean atLeast(long wantedMajor, long wantedMinor) {
        return major > wantedMajor || (major == wantedMajor && minor >= wantedMinor);
    }

    /** Whether this version is at least {@code major.minor.patch}. */
    public boolean atLeast(long wantedMajor, long wantedMinor, long wantedPatch) {
        if (major != wantedMajor || minor != wantedMinor) {
            return atLeast(wantedMajor, wantedMinor);
        }
        return patch >= wantedPatch;
    }

    /** E.g. {@code 2.30.50.0}. */
    @Override
    public String toString() {
        return major + "." + minor + "." + patch + "." + maintenance;
    }
}
