package dev.nrt4j.nativert.binding;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The version comparisons the nrta gate rests on: v3 from 2.31.24, completion events from 2.32.31. */
class RuntimeVersionTest {
    private static RuntimeVersion v(long major, long minor, long patch) {
        return new RuntimeVersion(major, minor, patch, 0, "", "");
    }

    @Test
    void thePatchLevelCountsOnlyWithinTheSameMinor() {
        assertThat(v(2, 31, 23).atLeast(2, 31, 24)).isFalse();
        assertThat(v(2, 31, 24).atLeast(2, 31, 24)).isTrue();
        assertThat(v(2, 31, 100).atLeast(2, 31, 24)).isTrue();
        assertThat(v(2, 32, 0).atLeast(2, 31, 24)).isTrue();
        assertThat(v(2, 30, 99).atLeast(2, 31, 24)).isFalse();
        assertThat(v(3, 0, 0).atLeast(2, 32, 31)).isTrue();
        assertThat(v(1, 99, 99).atLeast(2, 0, 0)).isFalse();
    }
}
