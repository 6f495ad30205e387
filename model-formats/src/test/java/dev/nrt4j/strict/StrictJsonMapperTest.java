package dev.nrt4j.strict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.json.JsonMapper;

class StrictJsonMapperTest {
    private static final JsonMapper STRICT = StrictJsonMapper.builder(
                    StreamReadConstraints.builder().maxNestingDepth(3).build())
            .build();

    @Test
    void aWellFormedDocumentIsRead() {
        assertThat(STRICT.readTree("{\"a\": [1, 2], \"b\": {\"c\": true}}")
                        .path("b")
                        .path("c")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void aDuplicateKeyIsRefusedAtAnyDepth() {
        assertThatThrownBy(() -> STRICT.readTree("{\"a\": 1, \"a\": 2}"))
                .isInstanceOf(JacksonException.class)
                .hasMessageContaining("Duplicate");
        assertThatThrownBy(() -> STRICT.readTree("{\"x\": {\"a\": 1, \"a\": 1}}"))
                .isInstanceOf(JacksonException.class)
                .hasMessageContaining("Duplicate");
    }

    @Test
    void anythingAfterTheValueIsRefused() {
        assertThatThrownBy(() -> STRICT.readTree("{} {}")).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> STRICT.readTree("[1] x")).isInstanceOf(JacksonException.class);
    }

    @Test
    void nanAndInfinityTokensAreRefused() {
        assertThatThrownBy(() -> STRICT.readTree("[NaN]")).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> STRICT.readTree("[Infinity]")).isInstanceOf(JacksonException.class);
    }

    @Test
    void theCallersBoundsApply() {
        assertThat(STRICT.readTree("[[[1]]]").isArray()).isTrue();
        assertThatThrownBy(() -> STRICT.readTree("[[[[1]]]]")).isInstanceOf(StreamConstraintsException.class);
    }
}
