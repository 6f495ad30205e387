package dev.nrt4j.strict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StrictUtf8Test {
    @Test
    void wellFormedTextIsDecodedAsItIsWithoutSkippingAByteOrderMark() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'a'};
        assertThat(StrictUtf8.decode(bom)).isEqualTo("\uFEFFa");
        assertThat(StrictUtf8.decode("na\u00efve \u20ac".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("na\u00efve \u20ac");
    }

    @Test
    void malformedBytesAreRefusedNotReplaced() {
        assertThatThrownBy(() -> StrictUtf8.decode(new byte[] {'a', (byte) 0xC3}))
                .as("a truncated sequence")
                .isInstanceOf(CharacterCodingException.class);
        assertThatThrownBy(() -> StrictUtf8.decode(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}))
                .as("a UTF-16 surrogate encoded as UTF-8")
                .isInstanceOf(CharacterCodingException.class);
        assertThatThrownBy(() -> StrictUtf8.decode(new byte[] {(byte) 0xC0, (byte) 0xAF}))
                .as("an overlong '/'")
                .isInstanceOf(CharacterCodingException.class);
    }

    @Test
    void aRangeDecodesOnlyItsBytes() throws Exception {
        byte[] padded = {(byte) 0xFF, 'o', 'k', (byte) 0xFF};
        assertThat(StrictUtf8.decode(padded, 1, 2)).isEqualTo("ok");
        assertThatThrownBy(() -> StrictUtf8.decode(padded, 0, 2)).isInstanceOf(CharacterCodingException.class);
    }
}
