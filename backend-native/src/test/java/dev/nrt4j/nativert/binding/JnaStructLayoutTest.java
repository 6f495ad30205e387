package dev.nrt4j.nativert.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** JNA's computed struct layouts against nrt-api.md section 3.3; needs no libnrt. */
class JnaStructLayoutTest {

    @Test
    void everyRecordedSizeAndOffsetMatches() {
        assertThat(JnaStructs.ALL.keySet())
                .containsExactlyInAnyOrderElementsOf(RecordedLayouts.ALL.stream()
                        .map(RecordedLayouts.Struct::name)
                        .toList());
        for (RecordedLayouts.Struct s : RecordedLayouts.ALL) {
            assertThat(JnaStructs.size(s.name())).as("sizeof(%s)", s.name()).isEqualTo(s.size());
            for (Map.Entry<String, Long> f : s.offsets().entrySet()) {
                assertThat(JnaStructs.offset(s.name(), f.getKey()))
                        .as("offsetof(%s, %s)", s.name(), f.getKey())
                        .isEqualTo(f.getValue());
            }
        }
    }

    @Test
    void unknownNamesAreRefused() {
        assertThatThrownBy(() -> JnaStructs.size("nrt_nothing_t")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JnaStructs.offset("nrt_version_t", "nothing"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
