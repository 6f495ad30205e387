package dev.nrt4j.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class LncTest {

    @ParameterizedTest
    @CsvSource({"INFERENTIA, 1", "INFERENTIA2, 1", "TRAINIUM, 1", "TRAINIUM2, 2", "TRAINIUM3, 2"})
    void unsetMeansTheChipDefault(NeuronChip chip, int expected) {
        assertThat(Lnc.resolve(chip, null)).isEqualTo(expected);
        assertThat(Lnc.parse(chip, null)).isEqualTo(expected);
        assertThat(Lnc.parse(chip, "  ")).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "INFERENTIA2, 1, true",
        "INFERENTIA2, 2, false",
        "TRAINIUM,    1, true",
        "TRAINIUM,    2, false",
        "TRAINIUM2,   1, true",
        "TRAINIUM2,   2, true",
        "TRAINIUM2, 3, false",
        "TRAINIUM2, 0, false",
        "TRAINIUM3,   1, true",
        "TRAINIUM3,   2, true",
        "TRAINIUM3, 4, false",
        "INFERENTIA,  1, true",
        "INFERENTIA,  2, false",
    })
    void acceptsOnlyWhatTheChipSupports(NeuronChip chip, int lnc, boolean accepted) {
        if (accepted) {
            assertThat(Lnc.resolve(chip, lnc)).isEqualTo(lnc);
            assertThat(Lnc.parse(chip, " " + lnc + " ")).isEqualTo(lnc);
        } else {
            assertThatThrownBy(() -> Lnc.resolve(chip, lnc))
                    .isInstanceOf(InvalidLncException.class)
                    .hasMessageContaining("LNC=" + lnc)
                    .hasMessageContaining(chip.displayName());
            assertThatThrownBy(() -> Lnc.parse(chip, Integer.toString(lnc)))
                    .isInstanceOf(InvalidLncException.class)
                    .hasMessageContaining(Lnc.ENV_VAR);
        }
    }

    @Test
    void rejectionNamesTheChipTheAllowedValuesAndTheDefault() {
        assertThatThrownBy(() -> Lnc.resolve(NeuronChip.TRAINIUM, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LNC=2 is not supported; Trainium accepts LNC 1 (default 1);"
                        + " only Trainium2 and Trainium3 accept 2")
                .satisfies(e -> {
                    InvalidLncException x = (InvalidLncException) e;
                    assertThat(x.chip()).isEqualTo(NeuronChip.TRAINIUM);
                    assertThat(x.requested()).isEqualTo("2");
                    assertThat(x.allowed()).containsExactly(1);
                });
        assertThatThrownBy(() -> Lnc.resolve(NeuronChip.TRAINIUM2, 4))
                .hasMessage("LNC=4 is not supported; Trainium2 accepts LNC 1 or 2 (default 2)");
        assertThatThrownBy(() -> Lnc.parse(NeuronChip.TRAINIUM3, "99999999999"))
                .hasMessageStartingWith("NEURON_LOGICAL_NC_CONFIG=\"99999999999\" is not supported;");
        assertThatThrownBy(() -> Lnc.parse(NeuronChip.TRAINIUM3, "two"))
                .hasMessageStartingWith("NEURON_LOGICAL_NC_CONFIG=\"two\" is not a number;");
    }

    @ParameterizedTest
    @EnumSource(NeuronChip.class)
    void nonNumbersAreRejected(NeuronChip chip) {
        for (String bad : new String[] {"two", "2.0", "-1", "+2", "1 2", "99999999999"}) {
            assertThatThrownBy(() -> Lnc.parse(chip, bad))
                    .as(bad)
                    .isInstanceOf(InvalidLncException.class)
                    .hasMessageContaining("\"" + bad + "\"");
        }
    }
}
