package io.agentgate.session;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Session keys are opaque client input of Unicode characters. On the wire a key is UTF-8: the bytes
 * of the {@code X-Session-Key} header, and percent-encoded UTF-8 in a path ({@code /v1/sessions/{key}}),
 * so the same key reaches the same session through every endpoint. Containers hand header bytes
 * over as ISO-8859-1 characters (one char per byte), hence {@link #fromHeader} and {@link #toHeader};
 * they decode paths as UTF-8 themselves. Control characters are not part of any key.
 */
public final class SessionKeys {

    private SessionKeys() {}

    /** A key may be a user identifier: logs and messages show its first characters only. */
    public static String redact(String key) {
        return key.length() <= 6 ? key : key.substring(0, 6) + "…";
    }

    /**
     * The key a header value names: its bytes (as the container read them, one char per byte)
     * decoded as UTF-8. Empty when they are not UTF-8. A value a container already decoded beyond
     * Latin-1 is taken as it is.
     */
    public static Optional<String> fromHeader(String value) {
        if (value.chars().anyMatch(c -> c > 0xFF)) {
            return Optional.of(value);
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value.getBytes(StandardCharsets.ISO_8859_1))).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** The header value that carries {@code key}: its UTF-8 bytes, one char per byte, as containers write them. */
    public static String toHeader(String key) {
        return new String(key.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** True when the key holds a control character (C0, DEL, C1), which no key may. */
    public static boolean hasControlCharacters(String key) {
        return key.chars().anyMatch(Character::isISOControl);
    }
}
