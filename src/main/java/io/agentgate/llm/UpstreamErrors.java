package io.agentgate.llm;

import io.agentgate.security.Secrets;
import io.agentgate.api.JsonP;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Optional;

/**
 * Turns what an upstream said about a failure into text a client may see. Only the upstream's own
 * {@code error.message} is kept (a context-length complaint is worth passing on), and only after
 * masking anything that could be a credential ({@link Secrets}) or an internal address.
 */
final class UpstreamErrors {

    private static final int MAX_MESSAGE = 300;

    private UpstreamErrors() {}

    /** "Upstream model error (HTTP 400): …" with the redacted upstream message when there is one. */
    static String clientMessage(String what, String rawBody, Optional<String> apiKey) {
        return message(rawBody)
                .map(m -> redact(m, apiKey))
                .filter(m -> !m.isBlank())
                .map(m -> "Upstream model error (" + what + "): " + m)
                .orElse("Upstream model error (" + what + ").");
    }

    /** The error message of an OpenAI-style body: {@code {"error":{"message":…}}} or {@code {"error":"…"}}. */
    static Optional<String> message(String rawBody) {
        try (JsonReader reader = JsonP.PROVIDER.createReader(new StringReader(rawBody))) {
            if (!(reader.readValue() instanceof JsonObject root)) {
                return Optional.empty();
            }
            JsonValue error = root.get("error");
            if (error instanceof JsonObject e && e.get("message") instanceof JsonString s) {
                return Optional.of(s.getString());
            }
            if (error instanceof JsonString s) {
                return Optional.of(s.getString());
            }
            return Optional.empty();
        } catch (RuntimeException notJson) {
            return Optional.empty();
        }
    }

    static String redact(String message, Optional<String> apiKey) {
        String text = new Secrets(apiKey.stream().toList()).redactForClient(message);
        text = text.replaceAll("\\s+", " ").trim();
        return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "…" : text;
    }
}
