package dev.nrt4j.nativert;

import dev.nrt4j.nativert.binding.InstanceInfo;
import java.util.Optional;

/**
 * Names the instance from {@code nrt_instance_info_t}'s family and size codes (nrt.h's anonymous
 * enums, nrt-api.md section 3.2), e.g. family TRN1 (2) and size 2XL (1) is {@code trn1.2xlarge}.
 */
final class InstanceTypes {
    private static final String[] FAMILIES = {
        null,
        "inf1",
        "trn1",
        "trn1n",
        "inf2",
        "trn2",
        "trn2n",
        "inf2e",
        "trn2p",
        "trn2u",
        "trn2e",
        "trn2eu",
        "trn2ac",
        "trn2uac",
        "trn3",
        "trn3pds98",
    };
    /** Not sorted by size: 3xlarge was appended, and UNKNOWN (9) may move up as sizes are added. */
    private static final String[] SIZES = {
        "xlarge", "2xlarge", "4xlarge", "6xlarge", "8xlarge", "24xlarge", "32xlarge", "48xlarge", "3xlarge"
    };

    private InstanceTypes() {}

    /** E.g. {@code trn1.2xlarge}, or empty when either code is unknown. */
    static Optional<String> name(InstanceInfo info) {
        int f = info.family();
        int s = info.size();
        if (f <= 0 || f >= FAMILIES.length || s < 0 || s >= SIZES.length) {
            return Optional.empty();
        }
        return Optional.of(FAMILIES[f] + "." + SIZES[s]);
    }
}
