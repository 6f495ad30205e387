package dev.nrt4j.hlo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HloOpcodeTest {

    @Test
    void everyOpcodeRoundTripsThroughItsName() {
        Set<String> names = new HashSet<>();
        for (HloOpcode op : HloOpcode.values()) {
            assertThat(HloOpcode.fromName(op.text())).as(op.name()).contains(op);
            assertThat(op.toString()).isEqualTo(op.text());
            assertThat(names.add(op.text()))
                    .as("%s is the name of two opcodes", op.text())
                    .isTrue();
            // The constant is the HLO name in Java's spelling, so either one finds the other.
            assertThat(op.name()).isEqualTo(op.text().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    @Test
    void namesAreXlasSpellings() {
        // Where XLA's enum and text names differ, the text name is the one HLO text and the proto use.
        assertThat(HloOpcode.fromName("count-leading-zeros")).contains(HloOpcode.COUNT_LEADING_ZEROS);
        assertThat(HloOpcode.fromName("opt-barrier")).contains(HloOpcode.OPT_BARRIER);
        assertThat(HloOpcode.fromName("exponential")).contains(HloOpcode.EXPONENTIAL);
        assertThat(HloOpcode.fromName("all-reduce-start")).contains(HloOpcode.ALL_REDUCE_START);
        assertThat(HloOpcode.fromName("clz")).isEmpty();
        assertThat(HloOpcode.fromName("exp")).isEmpty();
    }

    @Test
    void unknownAndMisspelledNamesAreNotOpcodes() {
        assertThat(HloOpcode.fromName("frobnicate")).isEmpty();
        assertThat(HloOpcode.fromName("")).isEmpty();
        assertThat(HloOpcode.fromName("ADD")).isEmpty();
        assertThat(HloOpcode.fromName("dynamic_slice")).isEmpty();
        assertThat(HloOpcode.fromName(" add")).isEmpty();
    }
}
