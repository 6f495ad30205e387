package dev.nrt4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    @Test
    void labelValuesEscapeBackslashQuoteAndLineFeedOnly() {
        assertThat(PrometheusText.labelValue("plain-name_1.0")).isEqualTo("plain-name_1.0");
        assertThat(PrometheusText.labelValue("a\\b\"c\nd")).isEqualTo("a\\\\b\\\"c\\nd");
        assertThat(PrometheusText.labelValue("tab\there\r")).isEqualTo("tab\there\r");
        assertThat(PrometheusText.labelValue("")).isEmpty();
    }

    @Test
    void aFamilyStartsWithItsHelpThenItsType() {
        StringBuilder out = new StringBuilder("x 1\n");
        PrometheusText.appendHeader(out, "nrt4j_queue_depth", "gauge", "Requests waiting.");
        assertThat(out.toString())
                .isEqualTo("x 1\n# HELP nrt4j_queue_depth Requests waiting.\n# TYPE nrt4j_queue_depth gauge\n");
    }
}
