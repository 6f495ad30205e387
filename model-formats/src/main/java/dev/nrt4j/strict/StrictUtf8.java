package dev.nrt4j.strict;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes bytes that must be UTF-8, refusing malformed or unmappable input instead of replacing it with
 * U+FFFD as {@code new String(bytes, UTF_8)} would: a reader that silently repairs a name or a key sees
 * something other than what the file holds, and two readers may repair it differently. No byte-order mark is
 * skipped and no other encoding is guessed. Stateless and thread-safe (each call takes a fresh decoder).
 */
public final class StrictUtf8 {
    private StrictUtf8() {}

    /**
     * {@code bytes} as text.
     *
     * @param bytes the bytes; not null
     * @return the text they encode
     * @throws CharacterCodingException if they are not well-formed UTF-8; the caller says which input that was
     */
    public static String decode(byte[] bytes) throws CharacterCodingException {
        return decode(bytes, 0, bytes.length);
    }

    /**
     * {@code length} bytes of {@code bytes} from {@code offset}, as text.
     *
     * @param bytes the bytes; not null
     * @param offset where the text starts
     * @param length how many bytes it has
     * @return the text they encode
     * @throws CharacterCodingException if they are not well-formed UTF-8; the caller says which input that was
     * @throws IndexOutOfBoundsException if the range is not inside {@code bytes}
     */
    public static String decode(byte[] bytes, int offset, int length) throws CharacterCodingException {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes, offset, length))
                .toString();
    }
}
